package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// BroadcastWindow is a daily local-time window, as offsets from midnight.
// End before Start means the window runs past midnight ("22:00-02:00").
type BroadcastWindow struct {
	Start, End time.Duration
}

// ParseBroadcastWindow parses "HH:MM-HH:MM" (24-hour clock; the end may be
// 24:00). Start and end must differ.
func ParseBroadcastWindow(s string) (BroadcastWindow, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return BroadcastWindow{}, fmt.Errorf("want HH:MM-HH:MM such as 17:00-18:00")
	}
	start, err := parseClock(strings.TrimSpace(from), false)
	if err != nil {
		return BroadcastWindow{}, fmt.Errorf("start %w", err)
	}
	end, err := parseClock(strings.TrimSpace(to), true)
	if err != nil {
		return BroadcastWindow{}, fmt.Errorf("end %w", err)
	}
	if start == end {
		return BroadcastWindow{}, fmt.Errorf("start and end are the same time")
	}
	return BroadcastWindow{Start: start, End: end}, nil
}

// parseClock parses "HH:MM"; "24:00" only when allow24.
func parseClock(s string, allow24 bool) (time.Duration, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h, errH := strconv.Atoi(s[:2])
	m, errM := strconv.Atoi(s[3:])
	if errH != nil || errM != nil || s[0] == '-' || s[3] == '-' || s[0] == '+' || s[3] == '+' {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	if h == 24 && m == 0 && allow24 {
		return 24 * time.Hour, nil
	}
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func (c *Config) checkZones(ps *problems) {
	seen := map[string]int{}
	for i, z := range c.Zones {
		key := fmt.Sprintf("zones[%d]", i)
		checkID(ps, key+".id", z.ID)
		if j, dup := seen[z.ID]; dup && z.ID != "" {
			ps.add(key+".id", z.ID, "duplicate of zones[%d] %q", j, z.ID)
		} else {
			seen[z.ID] = i
		}
		for j, w := range z.BroadcastWindows {
			if _, err := ParseBroadcastWindow(w); err != nil {
				ps.add(fmt.Sprintf("%s.broadcast_windows[%d]", key, j), w, "want HH:MM-HH:MM such as 17:00-18:00 (%s)", err)
			}
		}
	}
}

func (c *Config) checkDevices(ps *problems) {
	zones := map[string]bool{}
	for _, z := range c.Zones {
		zones[z.ID] = true
	}
	ids := map[string]int{}
	topics := map[string]int{}
	for i, d := range c.Devices {
		key := fmt.Sprintf("devices[%d]", i)
		checkID(ps, key+".id", d.ID)
		if j, dup := ids[d.ID]; dup && d.ID != "" {
			ps.add(key+".id", d.ID, "duplicate of devices[%d] %q", j, d.ID)
		} else {
			ids[d.ID] = i
		}
		kind, kindErr := devices.ParseKind(d.Kind)
		switch {
		case d.Kind == "":
			ps.add(key+".kind", nil, "must not be empty (want light, camera or speaker)")
		case kindErr != nil:
			ps.add(key+".kind", d.Kind, "unknown device kind%s", suggest(d.Kind, "want one of", kindNames()))
		}
		switch {
		case d.Zone == "":
			ps.add(key+".zone", nil, "must not be empty (want the id of a zone declared in zones)")
		case !zones[d.Zone]:
			ps.add(key+".zone", d.Zone, "zone %q is not declared in zones", d.Zone)
		}
		proto, err := devices.ParseProtocol(d.Protocol)
		if err != nil {
			if d.Protocol == "" {
				ps.add(key+".protocol", nil, "must not be empty (want one of: %s)", strings.Join(protocolNames(), ", "))
			} else {
				ps.add(key+".protocol", d.Protocol, "unknown protocol%s", suggest(d.Protocol, "want one of", protocolNames()))
			}
			continue
		}
		if kindErr == nil {
			checkKindProtocol(ps, key, kind, proto)
		}
		c.checkDeviceTopic(ps, key, d, proto, topics, i)
		checkStreamURL(ps, key, d, kind)
	}
}

// checkStreamURL checks a camera's stream_url: an absolute http, https or
// rtsp URL, on cameras only.
func checkStreamURL(ps *problems, key string, d Device, kind devices.Kind) {
	if d.StreamURL == "" {
		return
	}
	u, err := url.Parse(d.StreamURL)
	switch {
	case kind != devices.Camera:
		ps.add(key+".stream_url", d.StreamURL, "only cameras have a stream_url")
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "rtsp"):
		ps.add(key+".stream_url", d.StreamURL, "must be an absolute http, https or rtsp URL such as http://192.168.1.10:5000/cameras/cong")
	}
}

// checkKindProtocol rejects kinds a protocol cannot serve.
func checkKindProtocol(ps *problems, key string, kind devices.Kind, proto devices.Protocol) {
	want := map[devices.Protocol]devices.Kind{devices.Frigate: devices.Camera, devices.Sonos2MQTT: devices.Speaker}[proto]
	if want != "" && kind != want {
		ps.add(key+".kind", string(kind), "protocol %s serves only %s devices", proto, want)
	}
}

// checkDeviceTopic checks topic, channel and full_topic for the device's
// protocol, and that no two devices of one protocol share a topic and
// channel (a channel is one output of the controller at topic; no channel is
// its first output, the same as Tasmota "1" or Shelly "0").
func (c *Config) checkDeviceTopic(ps *problems, key string, d Device, proto devices.Protocol, topics map[string]int, i int) {
	topic := d.Topic
	switch {
	case proto == devices.Native && topic != "" && topic != d.ID:
		ps.add(key+".topic", topic, "native devices use their id as topic level; leave topic empty")
		return
	case proto == devices.Native:
		topic = d.ID
	case topic == "":
		ps.add(key+".topic", nil, "is required for protocol %s (%s)", proto, topicMeaning(proto))
	default:
		checkTopic(ps, key+".topic", topic)
	}
	channel := d.Channel
	if err := devices.CheckChannel(proto, channel); err != nil {
		ps.add(key+".channel", channel, "%s", err.Error())
		channel = ""
	} else if channel == devices.FirstChannel(proto) {
		channel = "" // the first output, named or not
	}
	if topic != "" {
		tk := string(proto) + "\x00" + topic + "\x00" + channel
		switch j, dup := topics[tk]; {
		case dup && d.Channel == "" && c.Devices[j].Channel == "":
			ps.add(key+".topic", topic, "devices[%d] already uses %s topic %q", j, proto, topic)
		case dup:
			ps.add(key+".channel", d.Channel, "devices[%d] is already output %s of %s topic %q", j, describeChannel(d.Channel), proto, topic)
		default:
			topics[tk] = i
		}
		c.checkSameFullTopic(ps, key, d, proto, topic, i)
	}
	if d.FullTopic == "" {
		return
	}
	switch {
	case proto != devices.Tasmota:
		ps.add(key+".full_topic", d.FullTopic, "only tasmota devices have a full_topic")
	case !strings.Contains(d.FullTopic, "%topic%") || !strings.Contains(d.FullTopic, "%prefix%"):
		ps.add(key+".full_topic", d.FullTopic, "must contain both %%prefix%% and %%topic%% (e.g. %%prefix%%/%%topic%%/)")
	case strings.ContainsAny(d.FullTopic, "+#\x00"):
		ps.add(key+".full_topic", d.FullTopic, "must not contain the MQTT wildcards + or #")
	}
}

// describeChannel names an output for an error message.
func describeChannel(ch string) string {
	if ch == "" {
		return "(the first)"
	}
	return fmt.Sprintf("%q", ch)
}

// checkSameFullTopic requires the channels of one Tasmota controller
// (devices sharing its topic) to agree on its full_topic.
func (c *Config) checkSameFullTopic(ps *problems, key string, d Device, proto devices.Protocol, topic string, i int) {
	if proto != devices.Tasmota {
		return
	}
	for j, o := range c.Devices[:i] {
		if o.Protocol == d.Protocol && o.Topic == topic && o.FullTopic != d.FullTopic {
			ps.add(key+".full_topic", d.FullTopic, "devices[%d] is another channel of tasmota topic %q with full_topic %q; one controller has one FullTopic", j, topic, o.FullTopic)
			return
		}
	}
}

// topicMeaning says what topic holds for a protocol.
func topicMeaning(p devices.Protocol) string {
	switch p {
	case devices.Tasmota:
		return "Tasmota's %topic%, e.g. den_ngo3_01"
	case devices.ESPHome:
		return "the ESPHome node name, e.g. garagedoor1"
	case devices.HASS:
		return "the Home Assistant discovery object id"
	case devices.Shelly:
		return "the Shelly topic prefix, e.g. shellies/plus1pm"
	case devices.Zigbee2MQTT:
		return "the Zigbee2MQTT friendly name"
	case devices.Frigate:
		return "the Frigate camera name"
	case devices.Sonos2MQTT:
		return "the speaker's UUID or name"
	}
	return "the device's address"
}

func protocolNames() []string {
	names := make([]string, len(devices.Protocols))
	for i, p := range devices.Protocols {
		names[i] = string(p)
	}
	return names
}
