package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Tasmota's defaults, as the firmware ships them.
const (
	tasmotaFullTopic = "%prefix%/%topic%/"
	tasmotaGroup     = "tasmotas"
	tasmotaVersion   = "14.3.0"
	tasmotaTime      = "2006-01-02T15:04:05" // local time, no offset
)

// tasmota is a street light on a Tasmota dimmer with an energy meter.
type tasmota struct {
	m      member
	loc    *time.Location
	full   string
	on     bool
	dimmer int // 0–100, as reported
	last   int // the last non-zero dimmer, restored by POWER ON
	meter  meter
	signal int // Wi-Fi dBm
	ip     string
}

func newTasmota(d *device) *tasmota {
	m := d.m
	t := &tasmota{m: m, loc: d.env.loc, full: m.FullTopic, on: m.On, dimmer: m.Brightness, last: m.Brightness,
		meter: newMeter(d, m.LoadW), signal: -45 - d.rnd.IntN(35),
		ip: fmt.Sprintf("192.168.10.%d", 10+int(m.mac[5])%240)}
	if t.full == "" {
		t.full = tasmotaFullTopic
	}
	return t
}

// topic builds a topic from the FullTopic for one of the device's topics
// (its own, the group topic or the fallback topic).
func (t *tasmota) topicOf(prefix, topic, cmd string) string {
	s := strings.NewReplacer("%prefix%", prefix, "%topic%", topic, "%hostname%", t.hostname(),
		"%id%", t.mac6()).Replace(t.full)
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s + cmd
}

func (t *tasmota) topic(prefix, cmd string) string { return t.topicOf(prefix, t.m.Topic, cmd) }
func (t *tasmota) mac6() string                    { return strings.ToUpper(t.m.macHex()[6:]) }
func (t *tasmota) fallback() string                { return "DVES_" + t.mac6() + "_fb" }
func (t *tasmota) hostname() string {
	return fmt.Sprintf("tasmota-%s-%04d", t.mac6(), (int(t.m.mac[4])<<8|int(t.m.mac[5]))%10000)
}

func (t *tasmota) will() *message {
	return &message{topic: t.topic("tele", "LWT"), qos: 1, retained: true, payload: []byte("Offline")}
}

func (t *tasmota) subscriptions() []string {
	return []string{t.topic("cmnd", "#"), t.topicOf("cmnd", tasmotaGroup, "#"), t.topicOf("cmnd", t.fallback(), "#")}
}

// online publishes what Tasmota sends after connecting (MqttConnected):
// LWT Online, the empty cmnd POWER "to satisfy iobroker", INFO1–3 after a
// boot, discovery when enabled, then the first STATE and SENSOR.
func (t *tasmota) online(d *device) {
	d.send(t.topic("tele", "LWT"), 1, true, []byte("Online"))
	d.send(t.topic("cmnd", "POWER"), d.env.qos(0), false, nil)
	if d.connects == 1 {
		d.sendJSON(t.topic("tele", "INFO1"), d.env.qos(0), false, object{{"Info1", object{{"Module", "Generic"},
			{"Version", tasmotaVersion + "(release-tasmota)"}, {"FallbackTopic", t.topicOf("cmnd", t.fallback(), "")},
			{"GroupTopic", t.topicOf("cmnd", tasmotaGroup, "")}}}})
		d.sendJSON(t.topic("tele", "INFO2"), d.env.qos(0), false, object{{"Info2", object{{"WebServerMode", "Admin"},
			{"Hostname", t.hostname()}, {"IPAddress", t.ip}}}})
		d.sendJSON(t.topic("tele", "INFO3"), d.env.qos(0), false, object{{"Info3", object{{"RestartReason", "Power On"},
			{"BootCount", 3 + int(t.m.mac[3])%40}}}})
	}
	if d.env.spec.TasmotaDiscovery {
		t.discovery(d)
	}
	d.sendJSON(t.topic("tele", "STATE"), d.env.qos(0), false, t.state(d))
	d.sendJSON(t.topic("tele", "SENSOR"), d.env.qos(0), false, t.sensor(d))
}

// handle runs a command from cmnd/<topic>/<Command> (or the group or
// fallback topic).
func (t *tasmota) handle(d *device, topic string, payload []byte) {
	for _, own := range []string{t.m.Topic, tasmotaGroup, t.fallback()} {
		if cmd, ok := strings.CutPrefix(topic, t.topicOf("cmnd", own, "")); ok && cmd != "" && !strings.Contains(cmd, "/") {
			d.log.Info("command received", "command", cmd, "payload", excerpt(payload))
			t.exec(d, cmd, strings.TrimSpace(string(payload)))
			return
		}
	}
}

func (t *tasmota) exec(d *device, cmd, arg string) {
	switch strings.ToUpper(cmd) {
	case "POWER", "POWER1":
		t.power(arg)
		t.result(d)
	case "DIMMER":
		t.dim(arg)
		t.result(d)
	case "STATE":
		d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, t.state(d))
	case "STATUS":
		t.statusCmd(d, arg)
	case "BACKLOG", "BACKLOG0":
		for _, part := range strings.Split(arg, ";") {
			c, a, _ := strings.Cut(strings.TrimSpace(part), " ")
			if c != "" && !strings.EqualFold(c, "NoDelay") && !strings.EqualFold(c, "Delay") {
				t.exec(d, c, strings.TrimSpace(a))
			}
		}
	default:
		d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, object{{"Command", "Unknown"}})
	}
}

// power applies a POWER parameter; an empty, "?" or unknown one is a query.
func (t *tasmota) power(arg string) {
	switch strings.ToUpper(arg) {
	case "ON", "1", "TRUE":
		t.setOn(true)
	case "OFF", "0", "FALSE":
		t.setOn(false)
	case "TOGGLE", "2":
		t.setOn(!t.on)
	}
}

func (t *tasmota) setOn(on bool) {
	if on && t.dimmer == 0 {
		t.dimmer = t.last
	}
	t.on = on
}

// dim applies a Dimmer parameter: 0–100, + and - (DimmerStep 10), +n, -n,
// < (1) and > (100). Anything else is a query. Dimmer 0 switches off, any
// other level on.
func (t *tasmota) dim(arg string) {
	v := t.dimmer
	switch {
	case arg == "" || arg == "?":
		return
	case arg == "+":
		v += 10
	case arg == "-":
		v -= 10
	case arg == "<":
		v = 1
	case arg == ">":
		v = 100
	default:
		n, err := strconv.Atoi(arg)
		if err != nil {
			return
		}
		if arg[0] == '+' || arg[0] == '-' {
			v += n
		} else {
			v = n
		}
	}
	v = min(max(v, 0), 100)
	t.dimmer, t.on = v, v > 0
	if v > 0 {
		t.last = v
	}
}

// result publishes the answer to POWER and Dimmer: RESULT JSON and the
// plain stat/<topic>/POWER.
func (t *tasmota) result(d *device) {
	d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, object{{"POWER", onOff(t.on)}, {"Dimmer", t.dimmer}})
	d.send(t.topic("stat", "POWER"), d.env.qos(0), false, []byte(onOff(t.on)))
}

// statusCmd answers Status, Status 8/10 (sensors) and Status 11 (state).
func (t *tasmota) statusCmd(d *device, arg string) {
	switch arg {
	case "", "0":
		d.sendJSON(t.topic("stat", "STATUS"), d.env.qos(0), false, object{{"Status", object{{"Module", 1},
			{"DeviceName", t.m.Name}, {"FriendlyName", []string{t.m.Name}}, {"Topic", t.m.Topic},
			{"ButtonTopic", "0"}, {"Power", boolInt(t.on)}, {"PowerOnState", 3}, {"LedState", 1}}}})
	case "8", "10":
		d.sendJSON(t.topic("stat", "STATUS"+arg), d.env.qos(0), false, object{{"StatusSNS", t.sensor(d)}})
	case "11":
		d.sendJSON(t.topic("stat", "STATUS11"), d.env.qos(0), false, object{{"StatusSTS", t.state(d)}})
	default:
		d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, object{{"Command", "Unknown"}})
	}
}

// tick accounts one period of energy and publishes tele STATE and SENSOR.
func (t *tasmota) tick(d *device) {
	t.meter.step(d, t.watts())
	t.signal = walk(d, t.signal, -90, -35)
	d.sendJSON(t.topic("tele", "STATE"), d.env.qos(0), false, t.state(d))
	d.sendJSON(t.topic("tele", "SENSOR"), d.env.qos(0), false, t.sensor(d))
}

// watts is the lamp's draw: LoadW × brightness when on.
func (t *tasmota) watts() float64 {
	if !t.on {
		return 0
	}
	return t.meter.loadW * float64(t.dimmer) / 100
}

// shutdown: Tasmota sends nothing before a clean disconnect.
func (t *tasmota) shutdown(*device) {}

func (t *tasmota) garbage(d *device, _ string) []message {
	wrong := fmt.Sprintf(`{"Time":"%s","UptimeSec":"abc","POWER":"ON","Dimmer":"abc"}`, t.localTime(d))
	return garbageSet(t.topic("tele", "SENSOR"), t.topic("tele", "STATE"), wrong, t.topic("tele", "STATE"))
}

func (t *tasmota) status(_ string, st *Status) {
	st.Light = &devices.LightState{On: devices.Bool(t.on), Brightness: devices.Int(t.dimmer)}
}

func (t *tasmota) localTime(d *device) string { return d.now().In(t.loc).Format(tasmotaTime) }

func onOff(on bool) string {
	if on {
		return "ON"
	}
	return "OFF"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// walk moves v by -2…+2, kept within lo–hi.
func walk(d *device, v, lo, hi int) int { return min(max(v+d.rnd.IntN(5)-2, lo), hi) }
