package tasmota

import (
	"regexp"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// Decode turns one Tasmota message into reports:
//   - tele/<t>/LWT: availability (the discovery's onln/ofln strings, else Online/Offline);
//   - stat/<t>/RESULT, stat/<t>/POWER[n] (plain or JSON), stat/<t>/<COMMAND> JSON
//     (SetOption4): the lights' state, one report per relay with Channel
//     "n" (POWER and POWER1 are relay 1, the Primary channel; Dimmer or
//     Dimmern 0–100 is its brightness);
//   - tele/<t>/STATE (and stat/<t>/STATE, stat/<t>/STATUS11): light state,
//     Wi-Fi and system metrics and the device's time;
//   - tele/<t>/SENSOR (and stat/<t>/STATUS8, STATUS10): energy and sensor metrics;
//   - tasmota/discovery/<MAC>/config and /sensors: see decodeDiscovery.
//
// Device-wide values (time, Wi-Fi, uptime, availability) go with relay 1's
// report when the message has one, else in a report without a Channel; the
// n-th value of an ENERGY array is relay n's.
//
// Commands (cmnd/…) and messages that carry nothing hamlet reads (INFO1-3,
// POWER_LOW, other STATUS replies) are ReasonIgnored with the reason.
// A field hamlet reads with the wrong type rejects the message, naming it.
func (a *Adapter) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	if rest, ok := strings.CutPrefix(topic, DiscoveryPrefix); ok {
		return a.decodeDiscovery(rest, payload)
	}
	prefix, key, command, ok := a.match(topic)
	if !ok {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "topic %s fits no known Tasmota FullTopic", devices.Quote(topic))
	}
	if prefix == cmnd {
		if retained && len(payload) > 0 {
			return nil, devices.Errorf(devices.ReasonIgnored, "RETAINED command %s %s on %s: it makes the device switch by itself at every reconnect (ghost switching); clear it with an empty retained message", command, devices.Quote(string(payload)), devices.Quote(key))
		}
		if len(payload) == 0 && strings.EqualFold(command, "POWER") {
			return nil, devices.Errorf(devices.ReasonIgnored, "empty POWER on the command topic of %s: a status query (Tasmota sends one itself at every connect)", devices.Quote(key))
		}
		return nil, devices.Errorf(devices.ReasonIgnored, "command topic (a %s command to %s)", command, devices.Quote(key))
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	m := &msg{Report: devices.Report{Protocol: devices.Tasmota, Key: key}}
	r := &m.Report
	d, _ := a.lookup(key)
	upper := strings.ToUpper(command)
	var err *devices.DecodeError
	switch {
	case prefix == tele && upper == "LWT":
		err = decodeLWT(r, d, payload)
	case upper == "STATE":
		err = decodeState(m, d, payload)
	case prefix == tele && upper == "SENSOR":
		err = decodeSensor(m, payload, "SENSOR")
	case prefix == stat && strings.HasPrefix(upper, "STATUS"):
		err = decodeStatus(m, d, upper, payload)
	case prefix == stat && powerN.MatchString(upper) && !strings.HasPrefix(string(payload), "{"):
		err = decodePowerText(m, d, upper, payload)
	case prefix == stat && (upper == "RESULT" || strings.HasPrefix(string(payload), "{")):
		err = decodeResult(m, d, command, payload)
	default:
		return nil, devices.Errorf(devices.ReasonIgnored, "%s/%s carries nothing hamlet reads", [3]string{"cmnd", "stat", "tele"}[prefix], command)
	}
	if err != nil {
		return nil, err
	}
	return m.reports(), nil
}

// powerN matches POWER, POWER1 … POWER32 (upper-cased).
var powerN = regexp.MustCompile(`^POWER[0-9]{0,2}$`)

func decodeLWT(r *devices.Report, d device, payload []byte) *devices.DecodeError {
	s := string(payload)
	switch {
	case s == "":
		return devices.Errorf(devices.ReasonIgnored, "empty LWT (a retained LWT was cleared)")
	case d.online != "" && s == d.online, strings.EqualFold(s, "online"):
		r.Availability = devices.Online
	case d.offline != "" && s == d.offline, strings.EqualFold(s, "offline"):
		r.Availability = devices.Offline
	default:
		want := `"Online" or "Offline"`
		if d.online != "" {
			want = devices.Quote(d.online) + " or " + devices.Quote(d.offline)
		}
		return devices.Errorf(devices.ReasonWrongType, "LWT: want %s, got %s", want, devices.Quote(s))
	}
	return nil
}

// decodePowerText reads the plain-text stat/<t>/POWER[n] reply.
func decodePowerText(m *msg, d device, command string, payload []byte) *devices.DecodeError {
	n, _, ok := lightKey(command)
	if !ok {
		return devices.Errorf(devices.ReasonIgnored, "%s is not a relay (hamlet reads POWER and POWER1 to POWER32)", command)
	}
	on, ok := powerText(d, strings.TrimSpace(string(payload)))
	if !ok {
		return devices.Errorf(devices.ReasonWrongType, `%s: want "ON" or "OFF", got %s`, command, devices.Quote(string(payload)))
	}
	m.relay(n).light.On = devices.Bool(on)
	return nil
}

// powerText reads ON/OFF, 1/0 (rules) and the device's StateText1/2.
func powerText(d device, s string) (on, ok bool) {
	switch {
	case strings.EqualFold(s, "on"), s == "1", d.stateOn != "" && s == d.stateOn:
		return true, true
	case strings.EqualFold(s, "off"), s == "0", d.stateOff != "" && s == d.stateOff:
		return false, true
	}
	return false, false
}

// decodeResult reads a RESULT (or SetOption4 stat/<t>/<COMMAND>) JSON reply.
func decodeResult(m *msg, d device, command string, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	if err := readLights(m, d, o); err != nil {
		return err
	}
	if !m.hasLight() {
		return devices.Errorf(devices.ReasonIgnored, "%s carries no light state (keys: %s; hamlet reads POWER, POWERn, Dimmer and Dimmern)", command, strings.Join(o.Keys(), ", "))
	}
	return nil
}

// decodeStatus reads the STATUS replies that carry state or sensors.
func decodeStatus(m *msg, d device, command string, payload []byte) *devices.DecodeError {
	var key string
	switch command {
	case "STATUS8", "STATUS10":
		key = "StatusSNS"
	case "STATUS11":
		key = "StatusSTS"
	default:
		return devices.Errorf(devices.ReasonIgnored, "%s carries nothing hamlet reads (STATUS8, STATUS10 and STATUS11 are read)", command)
	}
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	inner, ok, err := o.Object(key)
	if err != nil {
		return err
	}
	if !ok {
		return devices.Errorf(devices.ReasonMissingField, "%s: %q is missing", command, key)
	}
	if key == "StatusSNS" {
		return readSensor(m, inner, command)
	}
	return readState(m, d, inner)
}
