package web

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
)

// The event stream encodes its two most frequent events, a device's view
// and a command's result, by hand: "all lights on" for a thousand lamps
// sends a thousand of each, and through encoding/json's reflection and
// fmt the stream was a fifth of hamletd's CPU for it (bench/lights
// -hamletd). BenchmarkDeviceEvent: a lamp's event 2.8 µs against 9.6, a
// command result 0.46 µs against 1.6. The bytes are exactly encoding/json's
// (TestEventJSONMatchesEncodingJSON, FuzzEventJSON); every other value
// goes through encoding/json.

// appendEventJSON appends v as encoding/json would encode it.
func appendEventJSON(b []byte, v any) ([]byte, error) {
	e := jsonAppender{b: b}
	switch v := v.(type) {
	case deviceView:
		e.deviceView(&v)
	case lights.CommandEvent:
		e.commandEvent(&v)
	default:
		e.marshal(v)
	}
	return e.b, e.err
}

// jsonAppender appends JSON to b; the first value it cannot encode sets
// err, as it would fail encoding/json's Marshal.
type jsonAppender struct {
	b   []byte
	err error
}

func (e *jsonAppender) marshal(v any) {
	j, err := json.Marshal(v)
	if err != nil && e.err == nil {
		e.err = err
	}
	e.b = append(e.b, j...)
}

func (e *jsonAppender) commandEvent(ev *lights.CommandEvent) {
	e.key('{', "id")
	e.str(ev.ID)
	e.key(',', "device")
	e.str(ev.Device)
	e.key(',', "zone")
	e.str(ev.Zone)
	e.key(',', "status")
	e.str(ev.Status)
	if ev.Error != "" {
		e.key(',', "error")
		e.str(ev.Error)
	}
	if ev.User != "" {
		e.key(',', "user")
		e.str(ev.User)
	}
	e.key(',', "time")
	e.time(ev.At)
	e.b = append(e.b, '}')
}

func (e *jsonAppender) deviceView(v *deviceView) {
	e.key('{', "id")
	e.str(v.ID)
	e.key(',', "name")
	e.str(v.Name)
	e.key(',', "kind")
	e.str(v.Kind)
	e.key(',', "zone")
	e.str(v.Zone)
	e.key(',', "protocol")
	e.str(v.Protocol)
	if v.Channel != "" {
		e.key(',', "channel")
		e.str(v.Channel)
	}
	e.key(',', "availability")
	e.str(v.Availability)
	e.key(',', "cause")
	e.str(v.Cause)
	e.key(',', "since")
	e.areaTime(v.Since)
	e.key(',', "last_seen")
	e.areaTime(v.LastSeen)
	e.key(',', "reported")
	e.kindState(v.Reported)
	e.key(',', "desired")
	e.kindState(v.Desired)
	e.key(',', "telemetry")
	e.telemetry(v.Telemetry)
	e.key(',', "telemetry_at")
	e.areaTime(v.TelemetryAt)
	if v.Model != "" {
		e.key(',', "model")
		e.str(v.Model)
	}
	if v.Firmware != "" {
		e.key(',', "firmware")
		e.str(v.Firmware)
	}
	e.key(',', "discovered")
	e.b = strconv.AppendBool(e.b, v.Discovered)
	if v.Removed {
		e.key(',', "removed")
		e.b = append(e.b, "true"...)
	}
	if v.Light != nil {
		e.key(',', "light")
		e.lightStatus(v.Light)
	}
	e.b = append(e.b, '}')
}

// kindState appends what kindState returned: a light's state by hand, any
// other through encoding/json.
func (e *jsonAppender) kindState(st any) {
	ls, ok := st.(*devices.LightState)
	if !ok {
		e.marshal(st)
		return
	}
	if ls == nil {
		e.b = append(e.b, "null"...)
		return
	}
	sep := byte('{')
	if ls.On != nil {
		e.key(sep, "on")
		e.b = strconv.AppendBool(e.b, *ls.On)
		sep = ','
	}
	if ls.Brightness != nil {
		e.key(sep, "brightness")
		e.b = strconv.AppendInt(e.b, int64(*ls.Brightness), 10)
		sep = ','
	}
	if sep == '{' {
		e.b = append(e.b, '{')
	}
	e.b = append(e.b, '}')
}

// telemetry appends a map of readings with its keys sorted, as
// encoding/json does.
func (e *jsonAppender) telemetry(tel map[string]float64) {
	if tel == nil {
		e.b = append(e.b, "null"...)
		return
	}
	var small [16]string
	keys := small[:0]
	for k := range tel {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	sep := byte('{')
	for _, k := range keys {
		e.b = append(e.b, sep)
		sep = ','
		e.str(k)
		e.b = append(e.b, ':')
		e.float(tel[k])
	}
	if sep == '{' {
		e.b = append(e.b, '{')
	}
	e.b = append(e.b, '}')
}

func (e *jsonAppender) lightStatus(ls *lights.Status) {
	e.key('{', "override")
	if o := ls.Override; o == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.key('{', "by")
		e.str(o.By)
		e.key(',', "since")
		e.time(o.Since)
		e.key(',', "until")
		if o.Until == nil {
			e.b = append(e.b, "null"...)
		} else {
			e.time(*o.Until)
		}
		e.key(',', "hold")
		e.str(o.Hold)
		e.b = append(e.b, '}')
	}
	e.key(',', "faults")
	if ls.Faults == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i, f := range ls.Faults {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.key('{', "fault")
			e.str(f.Fault)
			e.key(',', "since")
			e.time(f.Since)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

// key appends sep (the object's opening brace or a comma), the key (which
// needs no escaping) and the colon.
func (e *jsonAppender) key(sep byte, key string) {
	e.b = append(e.b, sep, '"')
	e.b = append(e.b, key...)
	e.b = append(e.b, '"', ':')
}

// areaTime appends t as jsonTime's MarshalJSON does.
func (e *jsonAppender) areaTime(t jsonTime) {
	if t.t.IsZero() {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '"')
	e.b = t.t.In(t.loc).AppendFormat(e.b, time.RFC3339)
	e.b = append(e.b, '"')
}

// time appends t as time.Time's MarshalJSON does, which refuses years
// outside 0–9999.
func (e *jsonAppender) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		e.marshal(t)
		return
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

// float appends f as encoding/json encodes a float64.
func (e *jsonAppender) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.marshal(f) // the error encoding/json gives
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' { // clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	e.b = b
}

// str appends s quoted and escaped as encoding/json does with its default
// HTML escaping: <, > and & as \u003c…, invalid UTF-8 as \ufffd, U+2028
// and U+2029 escaped.
func (e *jsonAppender) str(s string) {
	const hex = "0123456789abcdef"
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}
