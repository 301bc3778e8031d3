package shelly

import (
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// isComponent reports whether name is a Gen2 component key: "<type>:<id>"
// (switch:0, light:0, pm1:0, input:0, ...) or a singleton such as sys or wifi.
func isComponent(name string) bool {
	typ, id, found := strings.Cut(name, ":")
	if found {
		n, err := strconv.Atoi(id)
		return err == nil && n >= 0 && n < 1000 && typ != "" && !strings.ContainsAny(typ, "/+#")
	}
	switch name {
	case "sys", "wifi", "eth", "cloud", "mqtt", "ble", "ws", "ui", "bthome", "matter", "knx", "modbus", "zigbee", "plugs_ui":
		return true
	}
	return false
}

// component decodes one Gen2 component status (full or a NotifyStatus
// delta) into m. An output, switch:<id> or light:<id>, is its own report on
// Channel "<id>": its light state (output, brightness 0–100) and its
// power_w (apower), voltage_v, current_a, freq_hz, power_factor,
// energy_kwh (aenergy.total, which is Wh) and temperature_c
// (temperature.tC). Meters (pm1, em1) give the same metrics to the device's
// report, prefixed "ch<n>_" for ids other than 0; em1data gives energy_kwh
// (total_act_energy, Wh); wifi gives rssi_dbm and sys uptime_s. Other
// components carry nothing hamlet uses.
func component(name string, c jsonfield.Object, m *msg) *devices.DecodeError {
	typ, idText, _ := strings.Cut(name, ":")
	prefix := ""
	r := &m.Report
	if id, ok := outputID(name); ok {
		r = m.output(id)
	} else if idText != "" && idText != "0" {
		prefix = "ch" + idText + "_"
	}
	put := func(metric string, v float64) {
		if r.Metrics == nil {
			r.Metrics = map[string]float64{}
		}
		r.Metrics[prefix+metric] = v
	}
	switch typ {
	case "switch", "light", "pm1", "em1":
		// Gen2 status keys that are plain numbers, and their metric names.
		metricKeys := []struct{ key, metric string }{
			{"apower", "power_w"}, {"act_power", "power_w"}, {"aprt_power", "apparent_power_va"},
			{"voltage", "voltage_v"}, {"current", "current_a"}, {"freq", "freq_hz"}, {"pf", "power_factor"},
		}
		for _, mk := range metricKeys {
			v, ok, err := c.Number(mk.key)
			if err != nil {
				return within(name, err)
			}
			if ok {
				put(mk.metric, v)
			}
		}
		for _, e := range []struct{ key, metric string }{{"aenergy", "energy_kwh"}, {"ret_aenergy", "returned_energy_kwh"}} {
			if err := nested(c, e.key, "total", func(wh float64) { put(e.metric, wh/1000) }); err != nil {
				return within(name, err)
			}
		}
		if err := nested(c, "temperature", "tC", func(v float64) { put("temperature_c", v) }); err != nil {
			return within(name, err)
		}
	case "em1data":
		v, ok, err := c.Number("total_act_energy")
		if err != nil {
			return within(name, err)
		}
		if ok {
			put("energy_kwh", v/1000)
		}
	case "wifi":
		v, ok, err := c.Number("rssi")
		if err != nil {
			return within(name, err)
		}
		if ok {
			put("rssi_dbm", v)
		}
	case "sys":
		v, ok, err := c.Number("uptime")
		if err != nil {
			return within(name, err)
		}
		if ok {
			put("uptime_s", v)
		}
	}
	if typ == "switch" || typ == "light" {
		return lightState(name, c, r)
	}
	return nil
}

// lightState reads output (and a dimmer's brightness) of an output component.
func lightState(name string, c jsonfield.Object, r *devices.Report) *devices.DecodeError {
	typ, _, _ := strings.Cut(name, ":")
	on, hasOn, err := c.Bool("output")
	if err != nil {
		return within(name, err)
	}
	var ls devices.LightState
	if hasOn {
		ls.On = devices.Bool(on)
	}
	if typ == "light" {
		r.Kind = devices.Light
		b, ok, err := c.NumberIn("brightness", 0, 100)
		if err != nil {
			return within(name, err)
		}
		if ok {
			ls.Brightness = devices.Int(int(b + 0.5))
		}
	}
	if ls.On != nil || ls.Brightness != nil {
		r.Light = &ls
	}
	return nil
}

// nested reads obj.key.field as a number and passes it to use.
func nested(c jsonfield.Object, key, field string, use func(float64)) *devices.DecodeError {
	sub, ok, err := c.Object(key)
	if err != nil || !ok {
		return err
	}
	v, ok, err := sub.Number(field)
	if err != nil {
		return err
	}
	if ok {
		use(v)
	}
	return nil
}
