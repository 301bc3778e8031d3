package tasmota

import (
	"regexp"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// Decode turns one Tasmota message into reports:
//   - tele/<t>/LWT: availability (the discovery's onln/ofln strings, else Online/Offline);
//   - stat/<t>/RESULT, stat/<t>/POWER[1] (plain or JSON), stat/<t>/<COMMAND> JSON
//     (SetOption4): the light's state (POWER or POWER1 is the light's relay;
//     Dimmer 0–100 is its brightness);
//   - tele/<t>/STATE (and stat/<t>/STATE, stat/<t>/STATUS11): light state,
//     Wi-Fi and system metrics and the device's time;
//   - tele/<t>/SENSOR (and stat/<t>/STATUS8, STATUS10): energy and sensor metrics;
//   - tasmota/discovery/<MAC>/config and /sensors: see decodeDiscovery.
//
// Commands (cmnd/…) and messages that carry nothing hamlet reads (INFO1-3,
// POWER_LOW, other STATUS replies, POWER2…) are ReasonIgnored with the reason.
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
	r := devices.Report{Protocol: devices.Tasmota, Key: key}
	d, _ := a.lookup(key)
	upper := strings.ToUpper(command)
	var err *devices.DecodeError
	switch {
	case prefix == tele && upper == "LWT":
		err = decodeLWT(&r, d, payload)
	case upper == "STATE":
		err = decodeState(&r, d, payload)
	case prefix == tele && upper == "SENSOR":
		err = decodeSensor(&r, payload, "SENSOR")
	case prefix == stat && strings.HasPrefix(upper, "STATUS"):
		err = decodeStatus(&r, d, upper, payload)
	case prefix == stat && powerN.MatchString(upper) && !strings.HasPrefix(string(payload), "{"):
		err = decodePowerText(&r, d, upper, payload)
	case prefix == stat && (upper == "RESULT" || strings.HasPrefix(string(payload), "{")):
		err = decodeResult(&r, d, command, payload)
	default:
		return nil, devices.Errorf(devices.ReasonIgnored, "%s/%s carries nothing hamlet reads", [3]string{"cmnd", "stat", "tele"}[prefix], command)
	}
	if err != nil {
		return nil, err
	}
	return []devices.Report{r}, nil
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
func decodePowerText(r *devices.Report, d device, command string, payload []byte) *devices.DecodeError {
	if command != "POWER" && command != "POWER1" {
		return devices.Errorf(devices.ReasonIgnored, "%s is not the light's relay (hamlet reads POWER or POWER1)", command)
	}
	on, ok := powerText(d, strings.TrimSpace(string(payload)))
	if !ok {
		return devices.Errorf(devices.ReasonWrongType, `%s: want "ON" or "OFF", got %s`, command, devices.Quote(string(payload)))
	}
	r.Light = &devices.LightState{On: devices.Bool(on)}
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
func decodeResult(r *devices.Report, d device, command string, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	if err := readLight(r, d, o); err != nil {
		return err
	}
	if r.Light == nil {
		return devices.Errorf(devices.ReasonIgnored, "%s carries no light state (keys: %s; hamlet reads POWER, POWER1 and Dimmer)", command, strings.Join(o.Keys(), ", "))
	}
	return nil
}

// readLight sets r.Light from the POWER (or POWER1) and Dimmer keys of o.
func readLight(r *devices.Report, d device, o jsonfield.Object) *devices.DecodeError {
	var l devices.LightState
	for _, k := range []string{"POWER", "POWER1"} {
		raw, ok := o.Raw(k)
		if !ok {
			continue
		}
		var on, valid bool
		switch string(raw) {
		case "0", "1":
			on, valid = raw[0] == '1', true
		default:
			if s, isStr, _ := o.String(k); isStr {
				on, valid = powerText(d, s)
			}
		}
		if !valid {
			return o.WrongType(k, `"ON" or "OFF"`)
		}
		l.On = devices.Bool(on)
		break
	}
	v, ok, err := o.NumberIn("Dimmer", 0, 100)
	if err != nil {
		return err
	}
	if ok {
		l.Brightness = devices.Int(int(v + 0.5))
	}
	if l != (devices.LightState{}) {
		r.Light = &l
	}
	return nil
}

// decodeStatus reads the STATUS replies that carry state or sensors.
func decodeStatus(r *devices.Report, d device, command string, payload []byte) *devices.DecodeError {
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
		return readSensor(r, inner, command)
	}
	return readState(r, d, inner)
}
