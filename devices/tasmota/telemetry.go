package tasmota

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

func decodeState(m *msg, d device, payload []byte) *devices.DecodeError {
	o, err := jsonfield.ParseTransient(payload) // only numbers and strings are kept
	if err != nil {
		return err
	}
	return readState(m, d, o)
}

// readState reads a STATE object: the relays' light state, metrics and time.
func readState(m *msg, d device, o jsonfield.Object) *devices.DecodeError {
	r := &m.Report
	if err := readTime(r, o); err != nil {
		return err
	}
	if err := readLights(m, d, o); err != nil {
		return err
	}
	metrics := make(map[string]float64, 8)
	for _, f := range []struct{ key, metric string }{
		{"UptimeSec", "uptime_s"}, {"Heap", "heap_kb"}, {"LoadAvg", "load_avg"}, {"Vcc", "vcc_v"},
	} {
		if err := put(metrics, o, f.key, f.metric); err != nil {
			return err
		}
	}
	if _, ok := metrics["uptime_s"]; !ok {
		if s, ok, _ := o.String("Uptime"); ok {
			if secs, ok := parseUptime(s); ok {
				metrics["uptime_s"] = secs
			}
		}
	}
	wifi, ok, err := o.Object("Wifi")
	if err != nil {
		return err
	}
	if ok {
		if err := put(metrics, wifi, "Signal", "rssi_dbm"); err != nil {
			return err
		}
		if err := put(metrics, wifi, "RSSI", "wifi_quality_pct"); err != nil {
			return err
		}
	}
	if len(metrics) > 0 {
		r.Metrics = metrics
	}
	if !m.hasLight() && r.Metrics == nil {
		return devices.Errorf(devices.ReasonIgnored, "STATE carries neither light state nor metrics (keys: %s)", strings.Join(o.Keys(), ", "))
	}
	return nil
}

func put(m map[string]float64, o jsonfield.Object, key, metric string) *devices.DecodeError {
	v, ok, err := o.Number(key)
	if err != nil {
		return err
	}
	if ok {
		m[metric] = v
	}
	return nil
}

// parseUptime reads Tasmota's "<days>T<hh>:<mm>:<ss>".
func parseUptime(s string) (float64, bool) {
	days, clock, ok := strings.Cut(s, "T")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(days)
	parts := strings.Split(clock, ":")
	if err != nil || n < 0 || len(parts) != 3 {
		return 0, false
	}
	secs := float64(n) * 86400
	for i, mult := range []float64{3600, 60, 1} {
		v, err := strconv.Atoi(parts[i])
		if err != nil || v < 0 || v > 59 && i > 0 || v > 23 && i == 0 {
			return 0, false
		}
		secs += float64(v) * mult
	}
	return secs, true
}

// readTime reads "Time": local time without an offset sets TimeLocal (the
// telemetry stage reads it in the area's timezone); with an offset or as a
// Unix epoch number it is exact.
func readTime(r *devices.Report, o jsonfield.Object) *devices.DecodeError {
	raw, ok := o.Raw("Time")
	if !ok {
		return nil
	}
	if t, ok := localTime(raw); ok { // the usual case, without time.Parse
		r.Time, r.TimeLocal = t, true
		return nil
	}
	if v, isNum := jsonfield.ParseNumber(raw, false); isNum {
		if v < 0 || v > 1<<40 {
			return o.WrongType("Time", "a time such as 2025-01-02T15:04:05")
		}
		r.Time = time.Unix(int64(v), 0).UTC()
		return nil
	}
	s, _, err := o.String("Time")
	if err != nil {
		return o.WrongType("Time", "a time such as 2025-01-02T15:04:05")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		r.Time = t
		return nil
	}
	t, perr := time.ParseInLocation("2006-01-02T15:04:05", s, time.UTC)
	if perr != nil {
		return o.WrongType("Time", "a time such as 2025-01-02T15:04:05")
	}
	r.Time, r.TimeLocal = t, true
	return nil
}

// localTime reads raw when it is exactly a JSON string of Tasmota's local
// time, "2006-01-02T15:04:05", with valid fields, as time.ParseInLocation
// in UTC would; anything else is left to readTime's general path.
func localTime(raw []byte) (time.Time, bool) {
	const layout = `"0000-00-00T00:00:00"`
	if len(raw) != len(layout) {
		return time.Time{}, false
	}
	var n [6]int // year, month, day, hour, minute, second
	field := 0
	for i := 1; i < len(layout)-1; i++ {
		c := raw[i]
		if layout[i] != '0' {
			if c != layout[i] {
				return time.Time{}, false
			}
			field++
			continue
		}
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		n[field] = n[field]*10 + int(c-'0')
	}
	if raw[0] != '"' || raw[len(raw)-1] != '"' {
		return time.Time{}, false
	}
	year, month, day := n[0], n[1], n[2]
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) || n[3] > 23 || n[4] > 59 || n[5] > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, n[3], n[4], n[5], 0, time.UTC), true
}

// daysIn returns the number of days of month m in year.
func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func decodeSensor(m *msg, payload []byte, what string) *devices.DecodeError {
	o, err := jsonfield.ParseTransient(payload) // only numbers and strings are kept
	if err != nil {
		return err
	}
	return readSensor(m, o, what)
}

// energyKeys maps the ENERGY block's keys to metric names.
var energyKeys = []struct{ key, metric string }{
	{"Total", "energy_kwh"}, {"Today", "energy_today_kwh"}, {"Yesterday", "energy_yesterday_kwh"},
	{"Power", "power_w"}, {"ApparentPower", "apparent_power_va"}, {"ReactivePower", "reactive_power_var"},
	{"Factor", "power_factor"}, {"Voltage", "voltage_v"}, {"Current", "current_a"}, {"Frequency", "frequency_hz"},
}

// readSensor reads a SENSOR object: Time, the ENERGY block (wrong types
// reject the message; the n-th value of an array is relay n's) and,
// leniently, the numeric values of the other sensor objects as
// <sensor>_<key> (see sensorMetric).
func readSensor(msg *msg, o jsonfield.Object, what string) *devices.DecodeError {
	r := &msg.Report
	if err := readTime(r, o); err != nil {
		return err
	}
	energy, ok, err := o.Object("ENERGY")
	if err != nil {
		return err
	}
	m := make(map[string]float64, max(8, energy.Len())) // sized to be filled without growing
	if ok {
		var buf [4]float64
		for _, f := range energyKeys {
			vs, ok, err := energy.AppendNumbers(buf[:0], f.key)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if len(vs) == 1 {
				m[f.metric] = vs[0]
				continue
			}
			for i, v := range vs {
				if i >= 32 {
					break
				}
				rl := msg.relay(i + 1)
				if rl.metrics == nil {
					rl.metrics = map[string]float64{}
				}
				rl.metrics[f.metric] = v
			}
		}
	}
	tempUnit, _, _ := o.String("TempUnit")
	o.Each(func(name string, raw json.RawMessage) {
		if name == "ENERGY" || len(raw) == 0 || raw[0] != '{' {
			return
		}
		sensor, ok, _ := o.Object(name)
		if !ok {
			return
		}
		sensor.Each(func(k string, raw json.RawMessage) {
			if v, ok := jsonfield.ParseNumber(raw, false); ok {
				m[sensorMetric(name, k, tempUnit)] = v
			}
		})
	})
	if len(m) == 0 && len(msg.relays) == 0 {
		return devices.Errorf(devices.ReasonIgnored, "%s carries no numeric sensor values (keys: %s)", what, strings.Join(o.Keys(), ", "))
	}
	if len(m) > 0 {
		r.Metrics = m
	}
	return nil
}

// sensorMetric names a generic sensor value: snake_case "<sensor>_<key>", with
// a unit suffix for temperature (_c or _f from TempUnit), humidity (_pct),
// pressure (_hpa) and illuminance (_lux): ESP32.Temperature → esp32_temperature_c.
func sensorMetric(sensor, key, tempUnit string) string {
	name := snake(sensor) + "_" + snake(key)
	base := strings.TrimRightFunc(key, unicode.IsDigit)
	switch base {
	case "Temperature", "DewPoint":
		if strings.EqualFold(tempUnit, "F") {
			return name + "_f"
		}
		return name + "_c"
	case "Humidity":
		return name + "_pct"
	case "Pressure", "SeaPressure":
		return name + "_hpa"
	case "Illuminance":
		return name + "_lux"
	}
	return name
}

// snake turns a Tasmota key into snake_case: ApparentPower → apparent_power,
// ESP32 → esp32, PM2.5 → pm2_5.
func snake(s string) string {
	var b strings.Builder
	prevLower := false
	for _, c := range s {
		switch {
		case unicode.IsUpper(c):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(c))
			prevLower = false
		case unicode.IsLower(c) || unicode.IsDigit(c):
			b.WriteRune(c)
			prevLower = unicode.IsLower(c) || unicode.IsDigit(c)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" {
		return "x"
	}
	return out
}
