package sim

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// meter is an energy meter behind a lamp: Tasmota's ENERGY block, Shelly's
// apower/aenergy and the native telemetry.
type meter struct {
	loadW     float64 // the lamp at full brightness
	loc       *time.Location
	total     float64 // kWh since start
	today     float64 // kWh since local midnight
	yesterday float64 // kWh
	day       int     // year*1000 + day of year of today
	start     time.Time
	voltage   float64
	noise     float64 // multiplies the ideal power
	periodWh  float64 // energy of the last period
}

func newMeter(d *device, loadW float64) meter {
	now := d.now().In(d.env.loc)
	return meter{loadW: loadW, loc: d.env.loc, total: 5 + 300*d.rnd.Float64(), yesterday: 0.1 + 0.3*d.rnd.Float64(),
		day: now.Year()*1000 + now.YearDay(), start: now.AddDate(0, 0, -30-d.rnd.IntN(300)).Truncate(time.Hour),
		voltage: 222 + 10*d.rnd.Float64(), noise: 1}
}

// step accounts one telemetry period (simulated) at watts.
func (m *meter) step(d *device, watts float64) {
	now := d.now().In(m.loc)
	if day := now.Year()*1000 + now.YearDay(); day != m.day {
		m.day, m.yesterday, m.today = day, m.today, 0
	}
	m.noise = 1 + (d.rnd.Float64()-0.5)*0.04
	m.voltage = min(max(m.voltage+(d.rnd.Float64()-0.5)*2, 220), 235)
	m.periodWh = m.power(watts) * d.env.spec.Period.Hours()
	m.total += m.periodWh / 1000
	m.today += m.periodWh / 1000
}

// power is the metered draw for the ideal watts.
func (m *meter) power(watts float64) float64 { return watts * m.noise }

// current is the current in amperes for the metered draw.
func (m *meter) current(watts float64) float64 { return m.power(watts) / m.voltage }

// state is Tasmota's tele/<topic>/STATE: POWER and the light's Dimmer,
// Fade, Speed and LedTable, or a cabinet's POWER1…POWERn.
func (t *tasmota) state(d *device) object {
	up := d.uptime()
	o := object{{"Time", t.localTime(d)}, {"Uptime", tasmotaUptime(up)}, {"UptimeSec", int64(up.Seconds())},
		{"Heap", 25 + int(t.m.mac[2])%6}, {"SleepMode", "Dynamic"}, {"Sleep", 50}, {"LoadAvg", 19},
		{"MqttCount", d.connects}}
	for i, r := range t.relays {
		o = append(o, kv{t.powerKey(i), onOff(r.on)})
	}
	if !t.multi() {
		o = append(o, kv{"Dimmer", t.relays[0].dimmer}, kv{"Fade", "OFF"}, kv{"Speed", 1}, kv{"LedTable", "ON"})
	}
	return append(o, kv{"Wifi", object{{"AP", 1}, {"SSId", "hamlet-" + d.env.spec.Area},
		{"BSSId", "5C:62:8B:10:20:30"}, {"Channel", 6}, {"Mode", "11n"}, {"RSSI", min(max(2*(t.signal+100), 0), 100)},
		{"Signal", t.signal}, {"LinkCount", d.connects}, {"Downtime", "0T00:00:03"}}})
}

// sensor is Tasmota's tele/<topic>/SENSOR with the ENERGY block.
func (t *tasmota) sensor(d *device) object {
	p := math.Round(t.meter.power(t.watts()))
	var factor, apparent, reactive float64
	if p > 0 {
		factor = 0.95
		apparent = math.Round(p / factor)
		reactive = math.Round(math.Sqrt(apparent*apparent - p*p))
	}
	v := math.Round(t.meter.voltage)
	return object{{"Time", t.localTime(d)}, {"ENERGY", object{
		{"TotalStartTime", t.meter.start.Format(tasmotaTime)}, {"Total", f3(t.meter.total)},
		{"Yesterday", f3(t.meter.yesterday)}, {"Today", f3(t.meter.today)}, {"Period", f0(t.meter.periodWh)},
		{"Power", f0(p)}, {"ApparentPower", f0(apparent)}, {"ReactivePower", f0(reactive)}, {"Factor", f2(factor)},
		{"Voltage", f0(v)}, {"Current", f3(p / v)}}}}
}

// tasmotaUptime formats an uptime as Tasmota does: 1T02:03:04.
func tasmotaUptime(d time.Duration) string {
	s := int64(d.Seconds())
	return fmt.Sprintf("%dT%02d:%02d:%02d", s/86400, s/3600%24, s/60%60, s%60)
}

// discovery publishes the retained Tasmota-native discovery records.
func (t *tasmota) discovery(d *device) {
	mac := strings.ToUpper(t.m.macHex())
	eight := func(v any) []any {
		out := make([]any, 8)
		for i := range out {
			out[i] = v
		}
		return out
	}
	fn := eight(nil)
	fn[0] = t.m.Name
	rl := eight(0)
	rl[0] = 2 // a light
	lightType := 1
	if t.multi() { // a cabinet: plain relays, each with its friendly name
		n := max(8, len(t.relays))
		fn, rl, lightType = make([]any, n), make([]any, n), 0
		for i := range n {
			rl[i] = 0
			if i < len(t.relays) {
				fn[i], rl[i] = fmt.Sprintf("%s %d", t.m.Name, i+1), 1
			}
		}
	}
	so := object{}
	for _, n := range []string{"4", "11", "13", "17", "20", "30", "68", "73", "82", "114", "117"} {
		so = append(so, kv{n, 0})
	}
	config := object{{"ip", t.ip}, {"dn", t.m.Name}, {"fn", fn}, {"hn", t.hostname()}, {"mac", mac},
		{"md", "Generic"}, {"ty", 0}, {"if", 0}, {"ofln", "Offline"}, {"onln", "Online"},
		{"state", []string{"OFF", "ON", "TOGGLE", "HOLD"}}, {"sw", tasmotaVersion}, {"t", t.m.Topic}, {"ft", t.full},
		{"tp", []string{"cmnd", "stat", "tele"}}, {"rl", rl}, {"swc", eight(-1)}, {"swn", eight(nil)}, {"btn", eight(0)},
		{"so", so}, {"lk", 0}, {"lt_st", lightType}, {"sho", []int{}}, {"sht", []int{}}, {"ver", 1}}
	d.sendJSON("tasmota/discovery/"+mac+"/config", 1, true, config)
	sn := object{{"Time", t.localTime(d)}}
	if !t.multi() {
		sn = t.sensor(d)
	}
	d.sendJSON("tasmota/discovery/"+mac+"/sensors", 1, true, object{{"sn", sn}, {"ver", 1}})
}
