package sim

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// shelly is a Shelly Plus 1PM (Gen2) relay driving a lamp, with its RPC
// channel, RPC notifications and status notifications over MQTT.
type shelly struct {
	m      member
	id     string // the Shelly device id, src of every frame
	prefix string // topic_prefix
	on     bool
	meter  meter
	source string // what last changed the output: init, MQTT, …
	tempC  float64
}

func newShelly(d *device) *shelly {
	return &shelly{m: d.m, id: d.m.clientID, prefix: d.m.Topic, on: d.m.On, meter: newMeter(d, d.m.LoadW),
		source: "init", tempC: 38 + 6*d.rnd.Float64()}
}

func (s *shelly) will() *message {
	return &message{topic: s.prefix + "/online", qos: 1, retained: true, payload: []byte("false")}
}

func (s *shelly) subscriptions() []string {
	return []string{s.prefix + "/rpc", s.prefix + "/command/switch:0", s.prefix + "/command"}
}

// online publishes the birth, the MQTT-connected notification and the full
// switch status.
func (s *shelly) online(d *device) {
	d.send(s.prefix+"/online", 1, true, []byte("true"))
	s.notify(d, object{{"mqtt", object{{"connected", true}}}})
	d.sendJSON(s.prefix+"/status/switch:0", 1, false, s.switchStatus(d))
}

// switchStatus is the full switch:0 status.
func (s *shelly) switchStatus(d *device) object {
	p := s.watts()
	return object{{"id", 0}, {"source", s.source}, {"output", s.on}, {"apower", f1(s.meter.power(p))},
		{"voltage", f1(s.meter.voltage)}, {"current", f3(s.meter.current(p))}, {"aenergy", s.aenergy(d)},
		{"temperature", object{{"tC", f1(s.tempC)}, {"tF", f1(s.tempC*9/5 + 32)}}}}
}

func (s *shelly) aenergy(d *device) object {
	mWh := s.meter.power(s.watts()) * 1000 / 60 // each of the last three minutes at the present draw
	return object{{"total", f3(s.meter.total * 1000)}, {"by_minute", []fixed{f3(mWh), f3(mWh), f3(mWh)}},
		{"minute_ts", d.now().Unix() / 60 * 60}}
}

func (s *shelly) watts() float64 {
	if !s.on {
		return 0
	}
	return s.meter.loadW
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
	case s.prefix + "/command/switch:0":
		d.log.Info("command received", "topic", topic, "payload", excerpt(payload))
		switch strings.ToLower(strings.TrimSpace(string(payload))) {
		case "on":
			s.set(d, true)
		case "off":
			s.set(d, false)
		case "toggle":
			s.set(d, !s.on)
		}
	case s.prefix + "/command":
		if strings.TrimSpace(string(payload)) == "status_update" {
			d.sendJSON(s.prefix+"/status/switch:0", 1, false, s.switchStatus(d))
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
		if p.ID == nil || *p.ID != 0 {
			return nil, &rpcError{-103, "Invalid argument 'id'!"}
		}
	}
	switch req.Method {
	case "Switch.Set":
		if p.On == nil {
			return nil, &rpcError{-103, "Missing required argument 'on'!"}
		}
		was := s.on
		s.set(d, *p.On)
		return object{{"was_on", was}}, nil
	case "Switch.Toggle":
		was := s.on
		s.set(d, !s.on)
		return object{{"was_on", was}}, nil
	case "Switch.GetStatus":
		return s.switchStatus(d), nil
	case "Shelly.GetStatus":
		return object{{"switch:0", s.switchStatus(d)}, {"sys", object{{"mac", strings.ToUpper(s.m.macHex())},
			{"restart_required", false}, {"unixtime", d.now().Unix()}, {"uptime", int64(d.uptime().Seconds())}}}}, nil
	case "Shelly.GetDeviceInfo":
		return object{{"name", s.m.Name}, {"id", s.id}, {"mac", strings.ToUpper(s.m.macHex())}, {"model", "SNSW-001P16EU"},
			{"gen", 2}, {"fw_id", "20241011-114455/1.4.4-g6d2a586"}, {"ver", "1.4.4"}, {"app", "Plus1PM"}}, nil
	}
	return nil, &rpcError{-105, fmt.Sprintf("Method %s not found", req.Method)}
}

// set switches the relay from MQTT and notifies the change.
func (s *shelly) set(d *device, on bool) {
	changed := on != s.on
	s.on, s.source = on, "MQTT"
	if changed {
		s.notify(d, object{{"switch:0", object{{"id", 0}, {"output", on}, {"source", "MQTT"}}}})
	}
}

// tick accounts the period and notifies power and energy.
func (s *shelly) tick(d *device) {
	s.meter.step(d, s.watts())
	s.tempC = min(max(s.tempC+(d.rnd.Float64()-0.5), 30), 60)
	p := s.watts()
	s.notify(d, object{{"switch:0", object{{"id", 0}, {"apower", f1(s.meter.power(p))}, {"voltage", f1(s.meter.voltage)},
		{"current", f3(s.meter.current(p))}, {"aenergy", s.aenergy(d)}}}})
}

// shutdown: nothing is known to be sent before a clean disconnect.
func (s *shelly) shutdown(*device) {}

func (s *shelly) garbage(d *device, _ string) []message {
	wrong := fmt.Sprintf(`{"src":%q,"dst":%q,"method":"NotifyStatus","params":{"ts":"abc","switch:0":{"id":0,"output":"yes","apower":"abc"}}}`,
		s.id, s.prefix+"/events")
	return garbageSet(s.prefix+"/events/rpc", s.prefix+"/events/rpc", wrong, s.prefix+"/status/switch:0")
}

func (s *shelly) status(_ string, st *Status) {
	b := 0
	if s.on {
		b = 100
	}
	st.Light = &devices.LightState{On: devices.Bool(s.on), Brightness: devices.Int(b)}
}
