package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

const esphomeVersion = "2024.10.2"

// esphome is a light on an ESP32 running ESPHome's MQTT component: a JSON
// light and a Wi-Fi signal sensor announced by Home Assistant discovery.
type esphome struct {
	m      member
	node   string
	obj    string
	on     bool
	bri    int // 0–255
	signal int // dBm
	qos0   byte
}

func newESPHome(d *device) *esphome {
	return &esphome{m: d.m, node: d.m.Topic, obj: d.m.Object, on: d.m.On,
		bri: devices.FromPercent(d.m.Brightness, 255), signal: -50 - d.rnd.IntN(30), qos0: d.env.qos(0)}
}

func (e *esphome) statusTopic() string  { return e.node + "/status" }
func (e *esphome) stateTopic() string   { return e.node + "/light/" + e.obj + "/state" }
func (e *esphome) commandTopic() string { return e.node + "/light/" + e.obj + "/command" }
func (e *esphome) wifiObject() string   { return snake(e.node) + "_wifi_signal" }
func (e *esphome) wifiTopic() string    { return e.node + "/sensor/" + e.wifiObject() + "/state" }

func (e *esphome) will() *message {
	return &message{topic: e.statusTopic(), qos: e.qos0, retained: true, payload: []byte("offline")}
}

func (e *esphome) subscriptions() []string {
	return []string{e.commandTopic(), "homeassistant/status", "esphome/discover", "esphome/ping/" + e.node}
}

// online publishes in ESPHome's order: the node discovery answer, the birth
// message, the retained discovery configs, then the states.
func (e *esphome) online(d *device) {
	e.announce(d)
	d.send(e.statusTopic(), e.qos0, true, []byte("online"))
	e.discovery(d)
	e.publishState(d)
	d.send(e.wifiTopic(), e.qos0, true, []byte(strconv.Itoa(e.signal)))
}

// announce answers esphome/discover (QoS 2, retained).
func (e *esphome) announce(d *device) {
	d.sendJSON("esphome/discover/"+e.node, 2, true, object{{"ip", fmt.Sprintf("192.168.11.%d", 10+int(e.m.mac[5])%240)},
		{"name", e.node}, {"friendly_name", e.m.Name}, {"version", esphomeVersion}, {"mac", e.m.macHex()},
		{"platform", "ESP32"}, {"board", "esp32dev"}, {"network", "wifi"}})
}

// discovery publishes the Home Assistant configs with abbreviations.
func (e *esphome) discovery(d *device) {
	mac := e.m.macHex()
	dev := object{{"ids", mac}, {"name", e.m.Name}, {"sw", esphomeVersion + " (config hash 0x" + mac[4:] + ")"},
		{"mdl", "esp32dev"}, {"mf", "Espressif"}, {"cns", [][]string{{"mac", mac}}}}
	d.sendJSON("homeassistant/light/"+e.node+"/"+e.obj+"/config", e.qos0, true, object{{"schema", "json"},
		{"supported_color_modes", []string{"brightness"}}, {"brightness", true}, {"name", e.m.Name},
		{"stat_t", e.stateTopic()}, {"cmd_t", e.commandTopic()}, {"avty_t", e.statusTopic()},
		{"uniq_id", "ESPlight" + e.obj}, {"dev", dev}})
	d.sendJSON("homeassistant/sensor/"+e.node+"/"+e.wifiObject()+"/config", e.qos0, true, object{
		{"unit_of_meas", "dBm"}, {"stat_cla", "measurement"}, {"name", "WiFi Signal"}, {"ent_cat", "diagnostic"},
		{"dev_cla", "signal_strength"}, {"stat_t", e.wifiTopic()}, {"avty_t", e.statusTopic()},
		{"uniq_id", "ESPsensor" + e.wifiObject()}, {"dev", dev}})
}

// publishState publishes the JSON light state in dump_json's key order.
func (e *esphome) publishState(d *device) {
	d.sendJSON(e.stateTopic(), e.qos0, true, object{{"color_mode", "brightness"}, {"state", onOff(e.on)},
		{"brightness", e.bri}, {"color", object{}}})
}

func (e *esphome) handle(d *device, topic string, payload []byte) {
	switch {
	case topic == e.commandTopic():
		d.log.Info("command received", "topic", topic, "payload", excerpt(payload))
		e.command(d, payload)
	case topic == "homeassistant/status":
		if string(payload) == "online" {
			e.discovery(d)
			e.publishState(d)
		}
	case topic == "esphome/discover" || topic == "esphome/ping/"+e.node:
		e.announce(d)
	}
}

// command applies a JSON light command: state ON/OFF/TOGGLE, brightness
// 0–255 (0 switches off). Bad JSON is logged and ignored, as ESPHome does.
func (e *esphome) command(d *device, payload []byte) {
	var c map[string]json.RawMessage
	if err := json.Unmarshal(payload, &c); err != nil {
		d.log.Warn("light command ignored", "reason", "Parsing JSON failed", "err", err)
		return
	}
	on := e.on
	if raw, ok := c["state"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			d.log.Warn("light command field ignored", "field", "state", "err", err)
		}
		switch strings.ToUpper(s) {
		case "ON":
			on = true
		case "OFF":
			on = false
		case "TOGGLE":
			on = !on
		}
	}
	if raw, ok := c["brightness"]; ok {
		var b float64
		if err := json.Unmarshal(raw, &b); err != nil {
			d.log.Warn("light command field ignored", "field", "brightness", "err", err)
		} else if b = math.Round(min(max(b, 0), 255)); b == 0 {
			on = false
		} else {
			e.bri = int(b)
			if _, hasState := c["state"]; !hasState {
				on = true
			}
		}
	}
	e.on = on
	e.publishState(d)
}

// tick publishes the Wi-Fi signal sensor (states are sent on change only).
func (e *esphome) tick(d *device) {
	e.signal = walk(d, e.signal, -90, -35)
	d.send(e.wifiTopic(), e.qos0, true, []byte(strconv.Itoa(e.signal)))
}

// shutdown publishes ESPHome's shutdown message.
func (e *esphome) shutdown(d *device) {
	d.send(e.statusTopic(), e.qos0, true, []byte("offline"))
}

func (e *esphome) garbage(*device, string) []message {
	return garbageSet(e.stateTopic(), e.stateTopic(),
		`{"color_mode":"brightness","state":"ON","brightness":"abc","color":[]}`, e.wifiTopic())
}

func (e *esphome) status(_ string, st *Status) {
	b, _ := devices.Percent(float64(e.bri), 255)
	st.Light = &devices.LightState{On: devices.Bool(e.on), Brightness: devices.Int(b)}
}
