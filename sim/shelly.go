package sim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// shelly is a Shelly Plus 1PM (Gen2) relay driving a lamp, or (Relays > 1)
// a Shelly Pro 4PM with metered switch components switch:0…switch:3, each
// driving a circuit, with its RPC channel, RPC notifications and status
// notifications over MQTT.
type shelly struct {
	m      member
	id     string // the Shelly device id, src of every frame
	prefix string // topic_prefix
	sw     []shellySwitch
	tempC  float64
}

// shellySwitch is one switch component.
type shellySwitch struct {
	on     bool
	meter  meter
	source string // what last changed the output: init, MQTT, …
}

func newShelly(d *device) *shelly {
	s := &shelly{m: d.m, id: d.m.clientID, prefix: d.m.Topic, tempC: 38 + 6*d.rnd.Float64()}
	for range max(d.m.Relays, 1) {
		s.sw = append(s.sw, shellySwitch{on: d.m.On, meter: newMeter(d, d.m.LoadW), source: "init"})
	}
	return s
}

func (s *shelly) will() *message {
	return &message{topic: s.prefix + "/online", qos: 1, retained: true, payload: []byte("false")}
}

func (s *shelly) subscriptions() []string {
	subs := []string{s.prefix + "/rpc"}
	for i := range s.sw {
		subs = append(subs, s.prefix+"/command/"+comp(i))
	}
	return append(subs, s.prefix+"/command")
}

// comp names switch component i.
func comp(i int) string { return "switch:" + strconv.Itoa(i) }

// online publishes the birth, the MQTT-connected notification and the full
// status of every switch.
func (s *shelly) online(d *device) {
	d.send(s.prefix+"/online", 1, true, []byte("true"))
	s.notify(d, object{{"mqtt", object{{"connected", true}}}})
	for i := range s.sw {
		d.sendJSON(s.prefix+"/status/"+comp(i), 1, false, s.switchStatus(d, i))
	}
}

// switchStatus is the full status of switch i.
func (s *shelly) switchStatus(d *device, i int) object {
	w := &s.sw[i]
	p := w.watts()
	return object{{"id", i}, {"source", w.source}, {"output", w.on}, {"apower", f1(w.meter.power(p))},
		{"voltage", f1(w.meter.voltage)}, {"current", f3(w.meter.current(p))}, {"aenergy", w.aenergy(d)},
		{"temperature", object{{"tC", f1(s.tempC)}, {"tF", f1(s.tempC*9/5 + 32)}}}}
}

func (w *shellySwitch) aenergy(d *device) object {
	mWh := w.meter.power(w.watts()) * 1000 / 60 // each of the last three minutes at the present draw
	return object{{"total", f3(w.meter.total * 1000)}, {"by_minute", []fixed{f3(mWh), f3(mWh), f3(mWh)}},
		{"minute_ts", d.now().Unix() / 60 * 60}}
}

func (w *shellySwitch) watts() float64 {
	if !w.on {
		return 0
	}
	return w.meter.loadW
}

// notify publishes a NotifyStatus delta on <prefix>/events/rpc.
func (s *shelly) notify(d *device, delta object) {
	params := append(object{{"ts", f2(float64(d.now().UnixMilli()) / 1000)}}, delta...)
	d.sendJSON(s.prefix+"/events/rpc", 1, false, object{{"src", s.id}, {"dst", s.prefix + "/events"},
		{"method", "NotifyStatus"}, {"params", params}})
}

// rpcRequest is a Shelly RPC frame.
type rpcRequest struct {
	ID     json.RawMessage `json:"id"`
	Src    string          `json:"src"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

func (s *shelly) handle(d *device, topic string, payload []byte) {
	switch topic {
	case s.prefix + "/rpc":
		s.rpc(d, payload)
	case s.prefix + "/command":
		if strings.TrimSpace(string(payload)) == "status_update" {
			for i := range s.sw {
				d.sendJSON(s.prefix+"/status/"+comp(i), 1, false, s.switchStatus(d, i))
			}
		}
	default:
		c, ok := strings.CutPrefix(topic, s.prefix+"/command/switch:")
		i, err := strconv.Atoi(c)
		if !ok || err != nil || i < 0 || i >= len(s.sw) {
			return
		}
		d.log.Info("command received", "topic", topic, "payload", excerpt(payload))
		switch strings.ToLower(strings.TrimSpace(string(payload))) {
		case "on":
			s.set(d, i, true)
		case "off":
			s.set(d, i, false)
		case "toggle":
			s.set(d, i, !s.sw[i].on)
		}
	}
}

// rpc answers one RPC request on <src>/rpc; a frame without src cannot be answered.
func (s *shelly) rpc(d *device, payload []byte) {
	var req rpcRequest
	if err := json.Unmarshal(payload, &req); err != nil || req.Src == "" {
		d.log.Warn("rpc request ignored", "reason", "not a JSON frame with src", "payload", excerpt(payload))
		return
	}
	d.log.Info("command received", "method", req.Method, "params", excerpt(req.Params))
	result, rerr := s.call(d, req)
	frame := object{}
	if len(req.ID) > 0 {
		frame = append(frame, kv{"id", req.ID})
	}
	frame = append(frame, kv{"src", s.id}, kv{"dst", req.Src})
	if rerr != nil {
		frame = append(frame, kv{"error", object{{"code", rerr.code}, {"message", rerr.msg}}})
	} else {
		frame = append(frame, kv{"result", result})
	}
	d.sendJSON(req.Src+"/rpc", 1, false, frame)
}

type rpcError struct {
	code int
	msg  string
}

type switchParams struct {
	ID *int  `json:"id"`
	On *bool `json:"on"`
}

func (s *shelly) call(d *device, req rpcRequest) (any, *rpcError) {
	var p switchParams
	if strings.HasPrefix(req.Method, "Switch.") {
		if len(req.Params) > 0 {
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, &rpcError{-103, fmt.Sprintf("Invalid argument 'params': %v", err)}
			}
		}
		if p.ID == nil || *p.ID < 0 || *p.ID >= len(s.sw) {
			return nil, &rpcError{-103, "Invalid argument 'id'!"}
		}
	}
	switch req.Method {
	case "Switch.Set":
		if p.On == nil {
			return nil, &rpcError{-103, "Missing required argument 'on'!"}
		}
		was := s.sw[*p.ID].on
		s.set(d, *p.ID, *p.On)
		return object{{"was_on", was}}, nil
	case "Switch.Toggle":
		was := s.sw[*p.ID].on
		s.set(d, *p.ID, !was)
		return object{{"was_on", was}}, nil
	case "Switch.GetStatus":
		return s.switchStatus(d, *p.ID), nil
	case "Shelly.GetStatus":
		st := object{}
		for i := range s.sw {
			st = append(st, kv{comp(i), s.switchStatus(d, i)})
		}
		return append(st, kv{"sys", object{{"mac", strings.ToUpper(s.m.macHex())},
			{"restart_required", false}, {"unixtime", d.now().Unix()}, {"uptime", int64(d.uptime().Seconds())}}}), nil
	case "Shelly.GetDeviceInfo":
		model, app := "SNSW-001P16EU", "Plus1PM"
		if len(s.sw) > 1 {
			model, app = "SPSW-104PE16EU", "Pro4PM"
		}
		return object{{"name", s.m.Name}, {"id", s.id}, {"mac", strings.ToUpper(s.m.macHex())}, {"model", model},
			{"gen", 2}, {"fw_id", "20241011-114455/1.4.4-g6d2a586"}, {"ver", "1.4.4"}, {"app", app}}, nil
	}
	return nil, &rpcError{-105, fmt.Sprintf("Method %s not found", req.Method)}
}

// set switches switch i from MQTT and notifies the change.
func (s *shelly) set(d *device, i int, on bool) {
	w := &s.sw[i]
	changed := on != w.on
	w.on, w.source = on, "MQTT"
	if changed {
		s.notify(d, object{{comp(i), object{{"id", i}, {"output", on}, {"source", "MQTT"}}}})
	}
}

// tick accounts the period and notifies every switch's power and energy.
func (s *shelly) tick(d *device) {
	s.tempC = min(max(s.tempC+(d.rnd.Float64()-0.5), 30), 60)
	delta := object{}
	for i := range s.sw {
		w := &s.sw[i]
		w.meter.step(d, w.watts())
		p := w.watts()
		delta = append(delta, kv{comp(i), object{{"id", i}, {"apower", f1(w.meter.power(p))}, {"voltage", f1(w.meter.voltage)},
			{"current", f3(w.meter.current(p))}, {"aenergy", w.aenergy(d)}}})
	}
	s.notify(d, delta)
}

// shutdown: nothing is known to be sent before a clean disconnect.
func (s *shelly) shutdown(*device) {}

func (s *shelly) garbage(d *device, _ string) []message {
	wrong := fmt.Sprintf(`{"src":%q,"dst":%q,"method":"NotifyStatus","params":{"ts":"abc","switch:0":{"id":0,"output":"yes","apower":"abc"}}}`,
		s.id, s.prefix+"/events")
	return garbageSet(s.prefix+"/events/rpc", s.prefix+"/events/rpc", wrong, s.prefix+"/status/switch:0")
}

func (s *shelly) status(target string, st *Status) {
	i, _ := s.m.output(target)
	on := s.sw[i].on
	b := 0
	if on {
		b = 100
	}
	st.Light = &devices.LightState{On: devices.Bool(on), Brightness: devices.Int(b)}
}
