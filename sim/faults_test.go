package sim

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

func TestDropWithWillPublishesTheWillAndRestoreComesBack(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 1, ESPHome: 1, Shelly: 1, Speakers: 1, Period: time.Hour})
	shelly := deviceOf(t, f, "shelly-01").Topic
	p := newProbe(t, b.url, "#")
	wills := map[string]struct{ topic, will, birth string }{
		"den-01":     {"tele/den_01/LWT", "Offline", "Online"},
		"esp-den-01": {"esp-den-01/status", "offline", "online"},
		"shelly-01":  {shelly + "/online", "false", "true"},
		"loa-01":     {"hamlet/khu10/loa-01/status", "offline", "online"},
	}
	for id, w := range wills {
		if err := f.DropWithWill(id); err != nil {
			t.Fatalf("DropWithWill(%s): %v", id, err)
		}
		p.waitPayload(t, w.topic, w.will)
		if st, _ := f.Status(id); st.Connected {
			t.Errorf("%s still connected after DropWithWill", id)
		}
		if err := f.DropWithWill(id); !errors.Is(err, ErrNotConnected) {
			t.Errorf("second DropWithWill(%s) = %v, want ErrNotConnected", id, err)
		}
	}
	// The will is retained: a subscriber arriving now sees it.
	late := newProbe(t, b.url, "tele/den_01/LWT")
	if m := late.wait(t, "tele/den_01/LWT", nil); m.payload != "Offline" || !m.retained {
		t.Errorf("retained LWT after the drop = %q retained=%v", m.payload, m.retained)
	}
	for id, w := range wills {
		from := p.len()
		if err := f.Restore(id); err != nil {
			t.Fatalf("Restore(%s): %v", id, err)
		}
		p.waitFrom(t, from, id+" birth again", func(g got) bool { return g.topic == w.topic && g.payload == w.birth })
		if st, _ := f.Status(id); !st.Connected {
			t.Errorf("%s not connected after Restore", id)
		}
	}
	// A restored device answers commands again.
	p.publish(t, "cmnd/den_01/POWER", "ON")
	p.waitPayload(t, "stat/den_01/RESULT", `{"POWER":"ON","Dimmer":100}`)
}

func TestDropSilentlyLeavesNoWill(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 1, Speakers: 1, Period: 10 * time.Second, Speed: 100})
	p := newProbe(t, b.url, "tele/den_01/#", "hamlet/khu10/loa-01/#")
	p.wait(t, "tele/den_01/STATE", nil) // telemetry flows
	for _, id := range []string{"den-01", "loa-01"} {
		if err := f.DropSilently(id); err != nil {
			t.Fatal(err)
		}
		b.waitGone(t, f.targets[id].m.clientID, 1)
	}
	p.sync(t)
	quiet := p.len()
	for _, m := range append(p.all("tele/den_01/LWT"), p.all("hamlet/khu10/loa-01/status")...) {
		if m.payload != "Online" && m.payload != "online" {
			t.Errorf("%s = %q after a silent drop; the broker must discard the will", m.topic, m.payload)
		}
	}
	late := newProbe(t, b.url, "tele/den_01/LWT")
	if m := late.wait(t, "tele/den_01/LWT", nil); m.payload != "Online" {
		t.Errorf("retained LWT = %q, want Online still", m.payload)
	}
	// Silent: the device is off the broker, so it neither reports nor answers.
	if st, _ := f.Status("den-01"); st.Connected {
		t.Error("den-01 connected after DropSilently")
	}
	p.publish(t, "cmnd/den_01/POWER", "ON")
	p.sync(t)
	for _, m := range p.since(quiet) {
		if !strings.HasPrefix(m.topic, "probe/") {
			t.Errorf("silent device sent %s %q", m.topic, m.payload)
		}
	}
	if err := f.Restore("den-01"); err != nil {
		t.Fatal(err)
	}
	p.waitFrom(t, quiet, "Online after Restore", func(g got) bool { return g.topic == "tele/den_01/LWT" && g.payload == "Online" })
}

func TestFlapEndsOnline(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 1, Period: time.Hour})
	p := newProbe(t, b.url, "tele/den_01/LWT")
	p.waitPayload(t, "tele/den_01/LWT", "Online")
	if err := f.Flap("den-01", 2, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, waitLimit, "two flaps", func() bool {
		var seq []string
		for _, m := range p.all("tele/den_01/LWT") {
			seq = append(seq, m.payload)
		}
		return strings.Join(seq, ",") == "Online,Offline,Online,Offline,Online"
	})

	if st, _ := f.Status("den-01"); !st.Connected {
		t.Error("not connected after the flaps")
	}
	if err := f.Flap("den-01", 0, time.Second); err == nil {
		t.Error("Flap with n=0 did not fail")
	}
}

func TestSendGarbage(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 1, Cameras: 1, Period: time.Hour})
	p := newProbe(t, b.url, "tele/#", "frigate/#")
	if err := f.SendGarbage("den-01"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what  string
		match func(got) bool
	}{
		{"truncated JSON", func(g got) bool { return g.topic == "tele/den_01/SENSOR" && strings.HasSuffix(g.payload, `"Power":`) }},
		{"wrong types", func(g got) bool {
			return g.topic == "tele/den_01/STATE" && hasAll(g.payload, `"UptimeSec":"abc"`, `"Dimmer":"abc"`)
		}},
		{"empty", func(g got) bool { return g.topic == "tele/den_01/STATE" && g.payload == "" }},
		{"binary", func(g got) bool { return g.topic == "tele/den_01/SENSOR" && !utf8.ValidString(g.payload) }},
		{"1 MiB", func(g got) bool { return g.topic == "tele/den_01/SENSOR" && len(g.payload) == 1<<20 }},
	} {
		if m, _ := p.waitFrom(t, 0, c.what+" garbage", c.match); m.retained {
			t.Errorf("%s garbage was retained", c.what)
		}
	}
	if err := f.SendGarbage("cam-01"); err != nil {
		t.Fatal(err)
	}
	p.wait(t, "frigate/stats", func(s string) bool { return strings.Contains(s, `"camera_fps":"abc"`) })
}

func TestFrigateFaults(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Cameras: 2, Period: time.Hour})
	p := newProbe(t, b.url, "frigate/#")
	if err := f.DropWithWill("cam-01"); err != nil {
		t.Fatal(err)
	}
	p.waitPayload(t, "frigate/cam_01/status/detect", "offline")
	if st, _ := f.Status("cam-01"); st.Connected {
		t.Error("cam-01 connected after its stream failed")
	}
	if err := f.Restore("cam-01"); err != nil {
		t.Fatal(err)
	}
	p.waitPayload(t, "frigate/cam_01/status/detect", "online")
	if err := f.DropWithWill(DefaultFrigateID); err != nil {
		t.Fatal(err)
	}
	p.waitPayload(t, "frigate/available", "offline")
	from := p.len()
	if err := f.Restore(DefaultFrigateID); err != nil {
		t.Fatal(err)
	}
	p.waitFrom(t, from, "Frigate back", func(g got) bool { return g.topic == "frigate/available" && g.payload == "online" })
}
