package tasmota

import (
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// decodeDiscovery reads tasmota/discovery/<MAC>/config and …/sensors (rest is
// the part after DiscoveryPrefix). A config teaches the adapter the device's
// topic, FullTopic, prefixes, LWT strings and StateTexts (updating the table
// that later Decode and Encode calls use) and is reported as a Discovery; an
// empty retained config is Discovery{Remove: true}. Sensors are reported as
// metrics of the device whose config was seen.
func (a *Adapter) decodeDiscovery(rest string, payload []byte) ([]devices.Report, error) {
	if !a.discovery {
		return nil, devices.Errorf(devices.ReasonIgnored, "Tasmota discovery is disabled in the config")
	}
	mac, kind, ok := strings.Cut(rest, "/")
	if !ok || mac == "" || strings.Contains(kind, "/") {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "want %s<MAC>/config or /sensors, got %s", DiscoveryPrefix, devices.Quote(DiscoveryPrefix+rest))
	}
	mac = strings.ToUpper(mac)
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	switch kind {
	case "config":
		if len(payload) == 0 {
			return a.removeDiscovered(mac), nil
		}
		reps, err := a.decodeConfig(mac, payload)
		if err != nil {
			return nil, err
		}
		return reps, nil
	case "sensors":
		if len(payload) == 0 {
			return nil, devices.Errorf(devices.ReasonIgnored, "empty discovery sensors for %s (discovery was cleared)", mac)
		}
		a.mu.RLock()
		topic, known := a.macs[mac]
		a.mu.RUnlock()
		if !known {
			return nil, devices.Errorf(devices.ReasonIgnored, "discovery sensors for MAC %s whose config was not seen", mac)
		}
		o, err := jsonfield.Parse(payload)
		if err != nil {
			return nil, err
		}
		sn, ok, err := o.Object("sn")
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, devices.Errorf(devices.ReasonMissingField, `discovery sensors: "sn" is missing`)
		}
		m := &msg{Report: devices.Report{Protocol: devices.Tasmota, Key: topic}}
		if err := readSensor(m, sn, "discovery sensors"); err != nil {
			return nil, err
		}
		return m.reports(), nil
	}
	return nil, devices.Errorf(devices.ReasonIgnored, "discovery %s is not read (config and sensors are)", devices.Quote(kind))
}

func (a *Adapter) removeDiscovered(mac string) []devices.Report {
	a.mu.Lock()
	topic := a.macs[mac]
	delete(a.macs, mac)
	a.mu.Unlock()
	return []devices.Report{{
		Protocol:  devices.Tasmota,
		Key:       topic,
		Discovery: &devices.Discovery{Remove: true, ID: discoveryID(mac), Topic: topic},
	}}
}

func discoveryID(mac string) string { return "tasmota-" + strings.ToLower(mac) }

// decodeConfig reads a discovery config. A device with one relay (or none)
// is one Discovery, id tasmota-<mac>; a device with several relays is one
// Discovery per relay, id tasmota-<mac>-<n> and Channel "n" (relay 1 the
// Primary), named by its FriendlyName fn[n-1] when it has one.
func (a *Adapter) decodeConfig(mac string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, err
	}
	var d device
	var topic, name, model, fw, ip string
	var fn []string
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"t", &topic}, {"ft", &d.fullTopic}, {"dn", &name}, {"md", &model}, {"sw", &fw}, {"ip", &ip},
		{"hn", &d.hostname}, {"onln", &d.online}, {"ofln", &d.offline},
	} {
		if *f.dst, _, err = o.String(f.key); err != nil {
			return nil, err
		}
	}
	if topic == "" || strings.ContainsAny(topic, "/+#") {
		return nil, o.WrongType("t", "the device's topic: one non-empty level")
	}
	if d.fullTopic == "" {
		return nil, devices.Errorf(devices.ReasonMissingField, `discovery config: "ft" (FullTopic) is missing`)
	}
	d.prefixes = defaultPrefixes
	if tp, ok, err := o.Strings("tp"); err != nil {
		return nil, err
	} else if ok {
		if len(tp) != 3 {
			return nil, o.WrongType("tp", "3 prefixes [cmnd, stat, tele]")
		}
		d.prefixes = [3]string(tp)
	}
	p, perr := parsePattern(d.fullTopic, d.prefixes)
	if perr != nil {
		return nil, devices.Errorf(devices.ReasonWrongType, "discovery config: %v", perr)
	}
	if st, ok, err := o.Strings("state"); err != nil {
		return nil, err
	} else if ok && len(st) >= 2 {
		d.stateOff, d.stateOn = st[0], st[1]
	}
	if fn, _, err = o.Strings("fn"); err != nil {
		return nil, err
	}
	kind, relays, derr := lightKind(o)
	if derr != nil {
		return nil, derr
	}
	d.mac = mac
	a.mu.Lock()
	_, exists := a.devices[topic]
	if !exists && len(a.devices) >= maxDevices {
		a.mu.Unlock()
		return nil, devices.Errorf(devices.ReasonIgnored, "discovery table full (%d devices); %s not added", maxDevices, mac)
	}
	if !a.addPatternLocked(p) {
		a.mu.Unlock()
		return nil, devices.Errorf(devices.ReasonIgnored, "discovery table full (%d FullTopics); %s not added", maxPatterns, devices.Quote(d.fullTopic))
	}
	a.devices[topic] = d
	a.macs[mac] = topic
	a.mu.Unlock()

	extra := map[string]string{"mac": mac, "relays": strconv.Itoa(len(relays))}
	for k, v := range map[string]string{"ip": ip, "hostname": d.hostname, "lwt_online": d.online, "lwt_offline": d.offline} {
		if v != "" {
			extra[k] = v
		}
	}
	one := func(n int) devices.Report {
		disc := &devices.Discovery{ID: discoveryID(mac), Name: name, Model: model, Firmware: fw,
			Topic: topic, FullTopic: d.fullTopic, Extra: extra}
		if n > 0 && n <= len(fn) && fn[n-1] != "" {
			disc.Name = fn[n-1]
		}
		return devices.Report{Protocol: devices.Tasmota, Key: topic, Kind: kind, Discovery: disc}
	}
	if len(relays) <= 1 {
		n := 1
		if len(relays) == 1 {
			n = relays[0]
		}
		return []devices.Report{one(n)}, nil
	}
	out := make([]devices.Report, 0, len(relays))
	for _, n := range relays {
		r := one(n)
		r.Channel, r.Primary = strconv.Itoa(n), n == 1
		r.Discovery.ID = devices.ChannelID(r.Discovery.ID, r.Channel)
		out = append(out, r)
	}
	return out, nil
}

// lightKind says the device is a light when a relay is of type light (rl 2)
// or it has a light subtype (lt_st > 0); a plain relay (rl 1) may switch a
// light too, but that is for the installer to say. It also lists the relay
// numbers (1-based positions in rl of relays and lights, at most 32).
func lightKind(o jsonfield.Object) (devices.Kind, []int, *devices.DecodeError) {
	var kind devices.Kind
	rl, _, err := o.Numbers("rl")
	if err != nil {
		return "", nil, err
	}
	var relays []int
	for i, t := range rl {
		if (t == 1 || t == 2) && i < 32 {
			relays = append(relays, i+1)
		}
		if t == 2 {
			kind = devices.Light
		}
	}
	if lt, ok, err := o.Number("lt_st"); err != nil {
		return "", nil, err
	} else if ok && lt > 0 {
		kind = devices.Light
	}
	return kind, relays, nil
}
