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

// tasmota is a street light on a Tasmota dimmer with an energy meter, or
// (Relays > 1) a cabinet of plain relays POWER1…POWERn, one circuit each,
// without dimmer or meter (a Sonoff 4CH).
type tasmota struct {
	m      member
	loc    *time.Location
	full   string
	relays []relay
	meter  meter
	signal int // Wi-Fi dBm
	ip     string
	// bases holds the FullTopic expanded for each prefix and each of the
	// device's topics, worked out once: the simulated firmware answers
	// every command from it, and a fleet of 1,000 lamps shares the
	// machine with what is measured.
	bases map[[2]string]string
	fb    string // the fallback topic
}

// relay is one output: its power and, on a dimmer, its level.
type relay struct {
	on     bool
	dimmer int // 0–100, as reported
	last   int // the last non-zero dimmer, restored by POWER ON
}

func newTasmota(d *device) *tasmota {
	m := d.m
	t := &tasmota{m: m, loc: d.env.loc, full: m.FullTopic, meter: newMeter(d, m.LoadW), signal: -45 - d.rnd.IntN(35),
		ip: fmt.Sprintf("192.168.10.%d", 10+int(m.mac[5])%240)}
	for range max(m.Relays, 1) {
		t.relays = append(t.relays, relay{on: m.On, dimmer: m.Brightness, last: m.Brightness})
	}
	if t.full == "" {
		t.full = tasmotaFullTopic
	}
	t.fb = "DVES_" + t.mac6() + "_fb"
	t.bases = map[[2]string]string{}
	for _, prefix := range []string{"cmnd", "stat", "tele"} {
		for _, topic := range []string{m.Topic, tasmotaGroup, t.fallback()} {
			t.bases[[2]string{prefix, topic}] = t.expand(prefix, topic)
		}
	}
	return t
}

// multi reports whether the device is a cabinet of several relays.
func (t *tasmota) multi() bool { return len(t.relays) > 1 }

// powerKey is the name of relay i (0-based) in Tasmota's JSON: POWER on a
// single-relay device, POWER<i+1> on a cabinet.
func (t *tasmota) powerKey(i int) string {
	if !t.multi() {
		return "POWER"
	}
	return "POWER" + strconv.Itoa(i+1)
}

// topic builds a topic from the FullTopic for one of the device's topics
// (its own, the group topic or the fallback topic).
func (t *tasmota) topicOf(prefix, topic, cmd string) string {
	if base, ok := t.bases[[2]string{prefix, topic}]; ok {
		return base + cmd
	}
	return t.expand(prefix, topic) + cmd
}

// expand is the FullTopic for prefix and topic, ending in "/".
func (t *tasmota) expand(prefix, topic string) string {
	s := strings.NewReplacer("%prefix%", prefix, "%topic%", topic, "%hostname%", t.hostname(),
		"%id%", t.mac6()).Replace(t.full)
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}

func (t *tasmota) topic(prefix, cmd string) string { return t.topicOf(prefix, t.m.Topic, cmd) }
func (t *tasmota) mac6() string                    { return strings.ToUpper(t.m.macHex()[6:]) }
func (t *tasmota) fallback() string                { return t.fb }
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
	if !t.multi() {
		d.sendJSON(t.topic("tele", "SENSOR"), d.env.qos(0), false, t.sensor(d))
	}
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
	upper := strings.ToUpper(cmd)
	if n, ok := strings.CutPrefix(upper, "POWER"); ok {
		i := 0
		if n != "" {
			v, err := strconv.Atoi(n)
			if err != nil || v < 1 || v > len(t.relays) || n[0] == '0' {
				d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, object{{"Command", "Unknown"}})
				return
			}
			i = v - 1
		}
		t.power(i, arg)
		t.result(d, i)
		return
	}
	switch upper {
	case "DIMMER":
		if t.multi() { // relays only: no dimmer
			d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, object{{"Command", "Unknown"}})
			return
		}
		t.dim(arg)
		t.result(d, 0)
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

// power applies a POWER parameter to relay i; an empty, "?" or unknown one
// is a query.
func (t *tasmota) power(i int, arg string) {
	r := &t.relays[i]
	switch strings.ToUpper(arg) {
	case "ON", "1", "TRUE":
		r.setOn(true)
	case "OFF", "0", "FALSE":
		r.setOn(false)
	case "TOGGLE", "2":
		r.setOn(!r.on)
	}
}

func (r *relay) setOn(on bool) {
	if on && r.dimmer == 0 {
		r.dimmer = r.last
	}
	r.on = on
}

// dim applies a Dimmer parameter: 0–100, + and - (DimmerStep 10), +n, -n,
// < (1) and > (100). Anything else is a query. Dimmer 0 switches off, any
// other level on.
func (t *tasmota) dim(arg string) {
	r := &t.relays[0]
	v := r.dimmer
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
	r.dimmer, r.on = v, v > 0
	if v > 0 {
		r.last = v
	}
}

// result publishes the answer to POWER and Dimmer of relay i: RESULT JSON
// and the plain stat/<topic>/POWER (a cabinet: {"POWER<n>":…} and
// stat/<topic>/POWER<n>, as Tasmota answers for one relay of several).
func (t *tasmota) result(d *device, i int) {
	r := t.relays[i]
	key := t.powerKey(i)
	res := object{{key, onOff(r.on)}}
	if !t.multi() {
		res = append(res, kv{"Dimmer", r.dimmer})
	}
	d.sendJSON(t.topic("stat", "RESULT"), d.env.qos(0), false, res)
	d.send(t.topic("stat", key), d.env.qos(0), false, []byte(onOff(r.on)))
}

// statusCmd answers Status, Status 8/10 (sensors) and Status 11 (state).
func (t *tasmota) statusCmd(d *device, arg string) {
	switch arg {
	case "", "0":
		d.sendJSON(t.topic("stat", "STATUS"), d.env.qos(0), false, object{{"Status", object{{"Module", 1},
			{"DeviceName", t.m.Name}, {"FriendlyName", []string{t.m.Name}}, {"Topic", t.m.Topic},
			{"ButtonTopic", "0"}, {"Power", t.powerMask()}, {"PowerOnState", 3}, {"LedState", 1}}}})
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
	if !t.multi() {
		d.sendJSON(t.topic("tele", "SENSOR"), d.env.qos(0), false, t.sensor(d))
	}
}

// powerMask is Status's Power: bit i set when relay i+1 is on.
func (t *tasmota) powerMask() int {
	m := 0
	for i, r := range t.relays {
		if r.on {
			m |= 1 << i
		}
	}
	return m
}

// watts is the lamps' draw: LoadW × brightness for each relay that is on.
func (t *tasmota) watts() float64 {
	w := 0.0
	for _, r := range t.relays {
		if r.on {
			w += t.meter.loadW * float64(r.dimmer) / 100
		}
	}
	return w
}

// shutdown: Tasmota sends nothing before a clean disconnect.
func (t *tasmota) shutdown(*device) {}

func (t *tasmota) garbage(d *device, _ string) []message {
	wrong := fmt.Sprintf(`{"Time":"%s","UptimeSec":"abc","POWER":"ON","Dimmer":"abc"}`, t.localTime(d))
	return garbageSet(t.topic("tele", "SENSOR"), t.topic("tele", "STATE"), wrong, t.topic("tele", "STATE"))
}

func (t *tasmota) status(target string, st *Status) {
	i, _ := t.m.output(target)
	r := t.relays[i]
	st.Light = &devices.LightState{On: devices.Bool(r.on), Brightness: devices.Int(r.dimmer)}
}

func (t *tasmota) localTime(d *device) string { return d.now().In(t.loc).Format(tasmotaTime) }

func onOff(on bool) string {
	if on {
		return "ON"
	}
	return "OFF"
}

// walk moves v by -2…+2, kept within lo–hi.
func walk(d *device, v, lo, hi int) int { return min(max(v+d.rnd.IntN(5)-2, lo), hi) }
