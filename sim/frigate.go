package sim

import (
	"fmt"
	"math"
	"strings"
)

// frigateVersion is the Frigate version the stats report.
const frigateVersion = "0.14.1-f4f3cfa"

// frigateFeatures are the toggles answered on frigate/<cam>/<feature>/set.
func frigateFeatures() []string { return []string{"detect", "recordings", "snapshots", "motion"} }

// frigate is one Frigate NVR instance and its cameras, on one connection.
type frigate struct {
	cams   []*camera
	byName map[string]*camera
	byID   map[string]*camera
	qos0   byte
}

// camera is one camera of the Frigate instance.
type camera struct {
	m         member
	up        bool            // the stream works
	toggles   map[string]bool // detect, recordings, snapshots, motion
	motion    bool            // motion now
	motionGen int
	pid       int
}

func newFrigate(d *device, members []member) *frigate {
	f := &frigate{byName: map[string]*camera{}, byID: map[string]*camera{}, qos0: d.env.qos(0)}
	for i, m := range members {
		c := &camera{m: m, up: true, pid: 100 + 10*i,
			toggles: map[string]bool{"detect": true, "recordings": true, "snapshots": true, "motion": true}}
		f.cams = append(f.cams, c)
		f.byName[m.Topic] = c
		f.byID[m.ID] = c
	}
	return f
}

func (f *frigate) will() *message {
	return &message{topic: "frigate/available", qos: 1, retained: true, payload: []byte("offline")}
}

func (f *frigate) subscriptions() []string { return []string{"frigate/+/+/set"} }

// online publishes Frigate's initial topics, then frigate/available online.
func (f *frigate) online(d *device) {
	for _, c := range f.cams {
		for _, feat := range frigateFeatures() {
			d.send("frigate/"+c.m.Topic+"/"+feat+"/state", f.qos0, true, []byte(onOff(c.toggles[feat])))
		}
		d.send("frigate/"+c.m.Topic+"/motion", f.qos0, false, []byte("OFF"))
		c.motion = false
		d.send("frigate/"+c.m.Topic+"/status/detect", f.qos0, false, []byte(upDown(c.up)))
	}
	d.send("frigate/available", 1, true, []byte("online"))
}

// handle answers frigate/<cam>/<feature>/set ON|OFF with the retained state.
func (f *frigate) handle(d *device, topic string, payload []byte) {
	parts := strings.Split(topic, "/")
	if len(parts) != 4 || parts[3] != "set" {
		return
	}
	c, feat := f.byName[parts[1]], parts[2]
	p := string(payload)
	if c == nil || !contains(frigateFeatures(), feat) || (p != "ON" && p != "OFF") {
		d.log.Warn("command ignored", "topic", topic, "payload", excerpt(payload))
		return
	}
	d.log.Info("command received", "topic", topic, "payload", p)
	c.toggles[feat] = p == "ON"
	d.send("frigate/"+c.m.Topic+"/"+feat+"/state", f.qos0, true, payload)
}

// tick starts motion now and then and publishes frigate/stats.
func (f *frigate) tick(d *device) {
	for _, c := range f.cams {
		if c.up && c.toggles["motion"] && !c.motion && d.rnd.Float64() < 0.15 {
			f.setMotion(d, c, true)
			gen := c.motionGen
			d.after(d.env.real(d.env.spec.MotionOff), func() {
				if c.motionGen == gen && c.motion {
					f.setMotion(d, c, false)
				}
			})
		}
	}
	d.send("frigate/stats", f.qos0, false, pythonJSON(mustJSON(f.stats(d))))
}

func (f *frigate) setMotion(d *device, c *camera, on bool) {
	c.motion = on
	c.motionGen++
	d.send("frigate/"+c.m.Topic+"/motion", f.qos0, false, []byte(onOff(on)))
}

// stats is the current frigate/stats layout, with the cameras under "cameras".
func (f *frigate) stats(d *device) object {
	cams := object{}
	var sumFPS, sumDetect float64
	for _, c := range f.cams {
		var fps, detect float64
		if c.up {
			fps = math.Round((5+0.4*(d.rnd.Float64()-0.5))*10) / 10
			if c.motion && c.toggles["detect"] {
				detect = math.Round(10*(1+d.rnd.Float64())) / 10
			}
		}
		sumFPS += fps
		sumDetect += detect
		cams = append(cams, kv{c.m.Topic, object{{"camera_fps", pyFloat(fps)}, {"process_fps", pyFloat(fps)},
			{"skipped_fps", pyFloat(0)}, {"detection_fps", pyFloat(detect)}, {"detection_enabled", c.toggles["detect"]},
			{"pid", c.pid}, {"capture_pid", c.pid + 1}, {"ffmpeg_pid", c.pid + 2}, {"audio_rms", pyFloat(0)},
			{"audio_dBFS", pyFloat(0)}}})
	}
	sumFPS = math.Round(sumFPS*10) / 10
	now := d.now()
	return object{{"cameras", cams}, {"camera_fps", pyFloat(sumFPS)}, {"process_fps", pyFloat(sumFPS)},
		{"skipped_fps", pyFloat(0)}, {"detection_fps", pyFloat(math.Round(sumDetect*10) / 10)},
		{"detectors", object{{"cpu1", object{{"inference_speed", pyFloat(math.Round(8000+2000*d.rnd.Float64()) / 100)},
			{"detection_start", pyFloat(0)}, {"pid", 42}}}}},
		{"cpu_usages", object{{"1", object{{"cpu", "2.0"}, {"mem", "1.1"}}}}},
		{"service", object{{"uptime", int64(d.uptime().Seconds())}, {"version", frigateVersion},
			{"latest_version", "0.14.1"}, {"storage", object{{"/media/frigate/recordings", object{
				{"total", pyFloat(244529.7)}, {"used", pyFloat(189607.0)}, {"free", pyFloat(54922.7)}, {"mount_type", "ext4"}}}}},
			{"last_updated", now.Unix()}}}}
}

// fault applies a fault to one camera: its stream fails (with or without a
// status message) or comes back.
func (f *frigate) fault(d *device, target string, a FaultAction) error {
	c := f.byID[target]
	if c == nil {
		return fmt.Errorf("no camera %q", target)
	}
	switch a {
	case FaultDropWithWill, FaultDropSilently:
		if !c.up || d.sess == nil {
			return ErrNotConnected
		}
		c.up = false
		c.motion = false
		c.motionGen++
		if a == FaultDropWithWill {
			d.send("frigate/"+c.m.Topic+"/status/detect", f.qos0, false, []byte("offline"))
		}
	case FaultRestore:
		if !c.up {
			c.up = true
			d.send("frigate/"+c.m.Topic+"/status/detect", f.qos0, false, []byte("online"))
		}
	case FaultGarbage:
		if d.sess == nil {
			return ErrNotConnected
		}
		for _, m := range f.garbage(d, target) {
			d.publish(m)
		}
	}
	return nil
}

// shutdown publishes Frigate's clean-stop value.
func (f *frigate) shutdown(d *device) {
	d.send("frigate/available", 1, true, []byte("stopped"))
}

func (f *frigate) garbage(_ *device, target string) []message {
	if c := f.byID[target]; c != nil {
		wrong := fmt.Sprintf(`{"cameras":{%q:{"camera_fps":"abc","detection_enabled":"yes"}},"service":{"uptime":"x"}}`, c.m.Topic)
		return garbageSet("frigate/"+c.m.Topic+"/motion", "frigate/stats", wrong, "frigate/"+c.m.Topic+"/status/detect")
	}
	return garbageSet("frigate/stats", "frigate/stats", `{"cameras":"abc","camera_fps":"x"}`, "frigate/stats")
}

func (f *frigate) status(target string, st *Status) {
	if c := f.byID[target]; c != nil {
		st.Connected = st.Connected && c.up
	}
}

func upDown(up bool) string {
	if up {
		return "online"
	}
	return "offline"
}
