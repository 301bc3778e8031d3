package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// native is hamlet's own MQTT contract (docs/mqtt.md), shared by native
// lights and speakers: <prefix>/<area>/<id>/{status,info,state,telemetry,event,cmd,ack}.
type native struct {
	m      member
	base   string
	model  string
	loc    *time.Location
	signal int
}

func newNative(d *device, model string) native {
	return native{m: d.m, base: d.env.spec.Prefix + "/" + d.env.spec.Area + "/" + d.m.ID + "/", model: model,
		loc: d.env.loc, signal: -50 - d.rnd.IntN(30)}
}

func (n *native) topic(leaf string) string { return n.base + leaf }

func (n *native) will() *message {
	return &message{topic: n.topic("status"), qos: 1, retained: true, payload: []byte("offline")}
}

func (n *native) subscriptions() []string { return []string{n.topic("cmd")} }

// birth publishes status, info and state, all retained.
func (n *native) birth(d *device, state any) {
	d.send(n.topic("status"), 1, true, []byte("online"))
	d.sendJSON(n.topic("info"), 1, true, object{{"kind", string(n.m.Kind)}, {"model", n.model}, {"fw", "1.0"},
		{"zone", n.m.Zone}})
	d.sendJSON(n.topic("state"), 1, true, state)
}

// shutdown publishes offline before a clean disconnect.
func (n *native) shutdown(d *device) { d.send(n.topic("status"), 1, true, []byte("offline")) }

func (n *native) ack(d *device, id string, err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
		d.log.Info("command rejected", "id", id, "err", err)
	}
	d.sendJSON(n.topic("ack"), 1, false, object{{"id", id}, {"ok", err == nil}, {"error", msg}})
}

func (n *native) event(d *device, typ, ref, errText string) {
	ev := object{{"type", typ}, {"ref", ref}, {"ts", n.ts(d)}}
	if errText != "" {
		ev = append(ev, kv{"error", errText})
	}
	d.sendJSON(n.topic("event"), 1, false, ev)
}

func (n *native) ts(d *device) string { return d.now().In(n.loc).Format(time.RFC3339) }

// telemetry returns the fields every native device reports.
func (n *native) telemetry(d *device) object {
	n.signal = walk(d, n.signal, -90, -35)
	return object{{"ts", n.ts(d)}, {"rssi_dbm", n.signal}, {"uptime_s", int64(d.uptime().Seconds())}}
}

func (n *native) garbage(wrongState string) []message {
	return garbageSet(n.topic("telemetry"), n.topic("state"), wrongState, n.topic("event"))
}

// nativeCmd is a command on …/cmd.
type nativeCmd struct {
	ID         string      `json:"id"`
	On         *bool       `json:"on"`
	Brightness *int        `json:"brightness"`
	Play       *nativePlay `json:"play"`
	Stop       bool        `json:"stop"`
	Volume     *int        `json:"volume"`
}

// nativePlay asks a speaker to play. DurationS is the simulator's own
// field: how long the audio lasts (default Spec.AudioDuration).
type nativePlay struct {
	URL          string   `json:"url"`
	Announcement string   `json:"announcement"`
	Priority     string   `json:"priority"`
	Volume       *int     `json:"volume"`
	DurationS    *float64 `json:"duration_s"`
}

// parseCmd parses a command. On error it still returns the command id when
// the payload had one, so that the device can refuse it in an ack.
func parseCmd(payload []byte) (nativeCmd, error) {
	var c nativeCmd
	err := json.Unmarshal(payload, &c)
	if err == nil {
		return c, nil
	}
	var idOnly struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(payload, &idOnly)
	c = nativeCmd{ID: idOnly.ID}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return c, fmt.Errorf("bad command: field %q must be %s, not JSON %s", te.Field, te.Type.Kind(), te.Value)
	}
	return c, fmt.Errorf("bad command: %w", err)
}

// nativeLight is a native street light.
type nativeLight struct {
	native
	on    bool
	bri   int
	meter meter
}

func newNativeLight(d *device) *nativeLight {
	return &nativeLight{native: newNative(d, "sim-den"), on: d.m.On, bri: d.m.Brightness, meter: newMeter(d, d.m.LoadW)}
}

func (l *nativeLight) state() object { return object{{"on", l.on}, {"brightness", l.bri}} }

func (l *nativeLight) online(d *device) { l.birth(d, l.state()) }

// handle answers {"id","on","brightness"} with an ack and the new state.
func (l *nativeLight) handle(d *device, _ string, payload []byte) {
	c, err := parseCmd(payload)
	d.log.Info("command received", "id", c.ID, "payload", excerpt(payload))
	switch {
	case err != nil:
	case c.Play != nil || c.Stop || c.Volume != nil:
		err = errors.New("a light cannot play, stop or set a volume")
	case c.On == nil && c.Brightness == nil:
		err = errors.New("command has neither on nor brightness")
	case c.Brightness != nil && (*c.Brightness < 0 || *c.Brightness > 100):
		err = fmt.Errorf("brightness %d is outside 0–100", *c.Brightness)
	}
	if err != nil {
		if c.ID != "" {
			l.ack(d, c.ID, err)
		}
		return
	}
	if c.On != nil {
		l.on = *c.On
	}
	if c.Brightness != nil {
		l.bri = *c.Brightness
	}
	l.ack(d, c.ID, nil)
	d.sendJSON(l.topic("state"), 1, true, l.state())
}

func (l *nativeLight) watts() float64 {
	if !l.on {
		return 0
	}
	return l.meter.loadW * float64(l.bri) / 100
}

func (l *nativeLight) tick(d *device) {
	l.meter.step(d, l.watts())
	t := append(l.telemetry(d), kv{"power_w", f1(l.meter.power(l.watts()))}, kv{"energy_kwh", f3(l.meter.total)},
		kv{"voltage_v", f1(l.meter.voltage)})
	d.sendJSON(l.topic("telemetry"), 1, false, t)
}

func (l *nativeLight) garbage(*device, string) []message {
	return l.native.garbage(`{"on":"yes","brightness":"abc"}`)
}

func (l *nativeLight) status(_ string, st *Status) {
	st.Light = &devices.LightState{On: devices.Bool(l.on), Brightness: devices.Int(l.bri)}
}

// validDuration reports whether a duration_s is usable.
func validDuration(s float64) bool {
	return s > 0 && !math.IsInf(s, 0) && !math.IsNaN(s) && s < 24*3600
}
