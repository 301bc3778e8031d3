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
		r, err := a.decodeConfig(mac, payload)
		if err != nil {
			return nil, err
		}
		return []devices.Report{r}, nil
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
		r := devices.Report{Protocol: devices.Tasmota, Key: topic}
		if err := readSensor(&r, sn, "discovery sensors"); err != nil {
			return nil, err
		}
		return []devices.Report{r}, nil
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

func (a *Adapter) decodeConfig(mac string, payload []byte) (devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return devices.Report{}, err
	}
	var d device
	var topic, name, fn0, model, fw, ip string
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"t", &topic}, {"ft", &d.fullTopic}, {"dn", &name}, {"md", &model}, {"sw", &fw}, {"ip", &ip},
		{"hn", &d.hostname}, {"onln", &d.online}, {"ofln", &d.offline},
	} {
		if *f.dst, _, err = o.String(f.key); err != nil {
			return devices.Report{}, err
		}
	}
	if topic == "" || strings.ContainsAny(topic, "/+#") {
		return devices.Report{}, o.WrongType("t", "the device's topic: one non-empty level")
	}
	if d.fullTopic == "" {
		return devices.Report{}, devices.Errorf(devices.ReasonMissingField, `discovery config: "ft" (FullTopic) is missing`)
	}
	d.prefixes = defaultPrefixes
	if tp, ok, err := o.Strings("tp"); err != nil {
		return devices.Report{}, err
	} else if ok {
		if len(tp) != 3 {
			return devices.Report{}, o.WrongType("tp", "3 prefixes [cmnd, stat, tele]")
		}
		d.prefixes = [3]string(tp)
	}
	p, perr := parsePattern(d.fullTopic, d.prefixes)
	if perr != nil {
		return devices.Report{}, devices.Errorf(devices.ReasonWrongType, "discovery config: %v", perr)
	}
	if st, ok, err := o.Strings("state"); err != nil {
		return devices.Report{}, err
	} else if ok && len(st) >= 2 {
		d.stateOff, d.stateOn = st[0], st[1]
	}
	if fn, ok, err := o.Strings("fn"); err != nil {
		return devices.Report{}, err
	} else if ok && len(fn) > 0 {
		fn0 = fn[0]
	}
	kind, relays, derr := lightKind(o)
	if derr != nil {
		return devices.Report{}, derr
	}
	d.mac = mac
	a.mu.Lock()
	_, exists := a.devices[topic]
	if !exists && len(a.devices) >= maxDevices {
		a.mu.Unlock()
		return devices.Report{}, devices.Errorf(devices.ReasonIgnored, "discovery table full (%d devices); %s not added", maxDevices, mac)
	}
	if !a.addPatternLocked(p) {
		a.mu.Unlock()
		return devices.Report{}, devices.Errorf(devices.ReasonIgnored, "discovery table full (%d FullTopics); %s not added", maxPatterns, devices.Quote(d.fullTopic))
	}
	a.devices[topic] = d
	a.macs[mac] = topic
	a.mu.Unlock()

	if fn0 != "" {
		name = fn0
	}
	extra := map[string]string{"mac": mac, "relays": strconv.Itoa(relays)}
	for k, v := range map[string]string{"ip": ip, "hostname": d.hostname, "lwt_online": d.online, "lwt_offline": d.offline} {
		if v != "" {
			extra[k] = v
		}
	}
	return devices.Report{
		Protocol: devices.Tasmota,
		Key:      topic,
		Kind:     kind,
		Discovery: &devices.Discovery{
			ID: discoveryID(mac), Name: name, Model: model, Firmware: fw,
			Topic: topic, FullTopic: d.fullTopic, Extra: extra,
		},
	}, nil
}

// lightKind says the device is a light when a relay is of type light (rl 2)
// or it has a light subtype (lt_st > 0); a plain relay (rl 1) may switch a
// light too, but that is for the installer to say. It also counts relays.
func lightKind(o jsonfield.Object) (devices.Kind, int, *devices.DecodeError) {
	var kind devices.Kind
	rl, _, err := o.Numbers("rl")
	if err != nil {
		return "", 0, err
	}
	relays := 0
	for _, t := range rl {
		if t == 1 || t == 2 {
			relays++
		}
		if t == 2 {
			kind = devices.Light
		}
	}
	if lt, ok, err := o.Number("lt_st"); err != nil {
		return "", 0, err
	} else if ok && lt > 0 {
		kind = devices.Light
	}
	return kind, relays, nil
}
