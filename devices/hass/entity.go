package hass

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// entity is one learned Home Assistant entity: what its topics mean.
type entity struct {
	key         string // config topic, plus "#<component id>" for device discovery
	configTopic string
	component   string // light, switch, sensor, binary_sensor, camera, siren, notify
	objectID    string // object_id from the config, else from the topic
	nodeID      string
	uniqueID    string
	name        string
	deviceKey   string

	stateTopic             string
	commandTopic           string
	brightnessStateTopic   string
	brightnessCommandTopic string
	imageTopic             string

	jsonSchema     bool // light schema json
	templateSchema bool // light schema template (not decoded)
	brightness     bool // the light takes a brightness
	scale          float64
	payloadOn      string
	payloadOff     string
	stateOn        string
	stateOff       string
	value          *valueTemplate
	brightnessTpl  *valueTemplate
	deviceClass    string
	unit           string
	metric         string
	convert        func(float64) float64
	supportVolume  bool

	avail     []availability
	availMode string // latest, all or any
}

// availability is one availability topic of an entity.
type availability struct {
	topic   string
	online  string
	offline string
	value   *valueTemplate
}

// deviceInfo is the device block of a config and what identifies it.
type deviceInfo struct {
	ids          []string
	connections  []string
	name         string
	manufacturer string
	model        string
	firmware     string
	origin       string
}

// entityRef names the place an entity was configured.
type entityRef struct {
	key, configTopic, component, nodeID, objectID string
}

// parseEntity reads an expanded, base-substituted entity config.
func parseEntity(o jsonfield.Object, ref entityRef) (*entity, deviceInfo, *devices.DecodeError) {
	r := &reader{o: o}
	e := &entity{
		key: ref.key, configTopic: ref.configTopic, component: ref.component,
		nodeID: ref.nodeID, objectID: r.str("object_id", ref.objectID),
		uniqueID: r.str("unique_id", ""), name: r.str("name", ""),
		stateTopic: r.topic("state_topic"), commandTopic: r.topic("command_topic"),
		brightnessStateTopic: r.topic("brightness_state_topic"), brightnessCommandTopic: r.topic("brightness_command_topic"),
		payloadOn: r.payload("payload_on", "ON"), payloadOff: r.payload("payload_off", "OFF"),
		deviceClass: r.str("device_class", ""), unit: r.str("unit_of_measurement", ""),
		scale: r.scale("brightness_scale", 255), supportVolume: r.boolean("support_volume_set", false),
		value: parseTemplate(r.str("value_template", "")),
	}
	e.stateOn = r.payload("state_on", e.payloadOn)
	e.stateOff = r.payload("state_off", e.payloadOff)
	switch schema := r.str("schema", "default"); schema {
	case "json":
		e.jsonSchema = true
		modes := r.strings("supported_color_modes")
		e.brightness = r.boolean("brightness", false) || slices.ContainsFunc(modes, func(m string) bool { return m != "onoff" })
	case "template":
		e.templateSchema = true
	case "default", "basic":
		e.brightness = e.brightnessCommandTopic != ""
		if e.value == nil {
			e.value = parseTemplate(r.str("state_value_template", ""))
		}
		e.brightnessTpl = parseTemplate(r.str("brightness_value_template", ""))
	default:
		if e.component == "light" {
			r.keep(o.WrongType("schema", "json, default or template"))
		}
	}
	if e.component == "camera" {
		e.imageTopic = r.topic("topic")
		if e.imageTopic == "" {
			e.imageTopic = r.topic("image_topic")
		}
	}
	e.metric, e.convert = metricFor(e.deviceClass, e.unit, e.objectID)
	e.avail, e.availMode = readAvailability(r)
	dev := readDevice(r)
	if r.err != nil {
		return nil, deviceInfo{}, r.err
	}
	return e, dev, nil
}

// readAvailability reads availability_topic or the availability list.
func readAvailability(r *reader) ([]availability, string) {
	mode := r.str("availability_mode", "latest")
	if mode != "latest" && mode != "all" && mode != "any" {
		r.keep(r.o.WrongType("availability_mode", "latest, all or any"))
	}
	var out []availability
	if t := r.topic("availability_topic"); t != "" {
		out = append(out, availability{
			topic: t, online: r.payload("payload_available", "online"), offline: r.payload("payload_not_available", "offline"),
			value: parseTemplate(r.str("availability_template", "")),
		})
	}
	raw, ok := r.o.Raw("availability")
	if !ok {
		return out, mode
	}
	items, err := objects(raw, "availability")
	r.keep(err)
	for i, item := range items {
		ir := &reader{o: item}
		a := availability{
			topic: ir.topic("topic"), online: ir.payload("payload_available", "online"),
			offline: ir.payload("payload_not_available", "offline"), value: parseTemplate(ir.str("value_template", "")),
		}
		if a.topic == "" && ir.err == nil {
			ir.err = devices.Errorf(devices.ReasonMissingField, "\"topic\" is required")
		}
		r.keep(within(fmt.Sprintf("availability[%d]", i), ir.err))
		out = append(out, a)
	}
	return out, mode
}

// readDevice reads the device and origin blocks.
func readDevice(r *reader) deviceInfo {
	var d deviceInfo
	if o, ok := r.object("origin"); ok {
		or := &reader{o: o}
		d.origin = or.str("name", "")
		r.keep(or.err)
	}
	o, ok := r.object("device")
	if !ok {
		return d
	}
	dr := &reader{o: o}
	if raw, ok := o.Raw("identifiers"); ok {
		if raw[0] == '"' {
			d.ids = []string{dr.str("identifiers", "")}
		} else {
			d.ids = dr.strings("identifiers")
		}
	}
	if raw, ok := o.Raw("connections"); ok {
		pairs, err := stringPairs(raw)
		if err != nil {
			dr.keep(devices.Errorf(devices.ReasonWrongType, "%q: want a list of [type, id] pairs, got %s", o.Name("connections"), jsonfield.Got(raw)))
		}
		d.connections = pairs
	}
	d.name = dr.str("name", "")
	d.manufacturer = dr.str("manufacturer", "")
	d.model = dr.str("model", "")
	d.firmware = dr.str("sw_version", "")
	r.keep(dr.err)
	return d
}

// metricFor names the metric a sensor feeds, with its unit, and the
// conversion from the sensor's unit. A device class hamlet knows, in a unit
// it knows, gets the standard name (temperature_c, power_w, ...); anything
// else is named after the object id in snake_case, unconverted.
func metricFor(class, unit, objectID string) (string, func(float64) float64) {
	same := func(v float64) float64 { return v }
	times := func(f float64) func(float64) float64 { return func(v float64) float64 { return v * f } }
	u := strings.TrimSpace(unit)
	switch class {
	case "temperature":
		switch u {
		case "°C", "C", "ºC", "":
			return "temperature_c", same
		case "°F", "F", "ºF":
			return "temperature_c", func(v float64) float64 { return (v - 32) * 5 / 9 }
		case "K":
			return "temperature_c", func(v float64) float64 { return v - 273.15 }
		}
	case "humidity":
		if u == "%" || u == "" {
			return "humidity_pct", same
		}
	case "power":
		switch u {
		case "W", "":
			return "power_w", same
		case "kW":
			return "power_w", times(1000)
		}
	case "energy":
		switch u {
		case "kWh", "":
			return "energy_kwh", same
		case "Wh":
			return "energy_kwh", times(0.001)
		case "MWh":
			return "energy_kwh", times(1000)
		}
	case "voltage":
		switch u {
		case "V", "":
			return "voltage_v", same
		case "mV":
			return "voltage_v", times(0.001)
		}
	case "current":
		switch u {
		case "A", "":
			return "current_a", same
		case "mA":
			return "current_a", times(0.001)
		}
	case "signal_strength":
		if u == "dBm" || u == "" {
			return "rssi_dbm", same
		}
	case "frequency":
		if u == "Hz" || u == "" {
			return "freq_hz", same
		}
	case "illuminance":
		if u == "lx" || u == "" {
			return "illuminance_lx", same
		}
	}
	return snake(objectID), same
}

// snake returns s in snake_case: lower case, runs of anything other than a
// letter or digit become one "_". An empty result is "value".
func snake(s string) string {
	var b strings.Builder
	pending := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(c)
			continue
		}
		pending = true
	}
	if b.Len() == 0 {
		return "value"
	}
	return b.String()
}
