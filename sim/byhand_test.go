package sim

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

func TestSwitchByHandReportsLikeFirmware(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 1, Shelly: 1, NativeLights: 1, Speakers: 1, Period: time.Hour})
	shellyPrefix := deviceOf(t, f, "shelly-01").Topic
	p := newProbe(t, b.url, "stat/den_01/RESULT", shellyPrefix+"/events/rpc", "hamlet/khu10/den-nat-01/state")

	for _, id := range []string{"den-01", "shelly-01", "den-nat-01"} {
		if err := f.SwitchByHand(id, true); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		st, err := f.Status(id)
		if err != nil || !*st.Light.On {
			t.Fatalf("%s after switching on by hand: %+v %v", id, st.Light, err)
		}
	}
	p.wait(t, "stat/den_01/RESULT", func(s string) bool { return hasAll(s, `"POWER":"ON"`) })
	p.wait(t, shellyPrefix+"/events/rpc", func(s string) bool { return hasAll(s, `"output":true`, `"source":"button"`) })
	p.wait(t, "hamlet/khu10/den-nat-01/state", func(s string) bool { return hasAll(s, `"on":true`) })
	if err := f.SwitchByHand("loa-01", true); err == nil {
		t.Fatal("a speaker was switched by hand")
	}
	if err := f.SwitchByHand("nobody", true); err == nil {
		t.Fatal("an unknown device was switched by hand")
	}
}

func TestSpeakerPlayLog(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Speakers: 1, Period: time.Hour, Speed: 20, AudioDuration: 2 * time.Second})
	base := "hamlet/khu10/loa-01/"
	p := newProbe(t, b.url, base+"#")
	p.publish(t, base+"cmd", `{"id":"c1","play":{"url":"http://x/a.mp3","announcement":"ann-1"}}`)
	p.wait(t, base+"event", func(s string) bool { return hasAll(s, `"type":"played"`, `"ref":"ann-1"`) })
	p.publish(t, base+"cmd", `{"id":"c2","play":{"url":"http://x/b.mp3","announcement":"ann-2","duration_s":3600}}`)
	p.publish(t, base+"cmd", `{"id":"c3","play":{"url":""}}`) // refused: not in the log
	p.wait(t, base+"ack", func(s string) bool { return hasAll(s, `"id":"c3"`, `"ok":false`) })
	var plays []Play
	testutil.Eventually(t, waitLimit, "two plays logged", func() bool {
		st, err := f.Status("loa-01")
		plays = st.Plays
		return err == nil && len(plays) == 2
	})
	if plays[0].Announcement != "ann-1" || plays[0].Command != "c1" || !plays[0].Finished || plays[0].At.IsZero() {
		t.Errorf("first play %+v", plays[0])
	}
	if plays[1].Announcement != "ann-2" || plays[1].Finished {
		t.Errorf("second play %+v", plays[1])
	}
}
