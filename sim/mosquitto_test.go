package sim

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestOnMosquitto runs a small fleet on a real Mosquitto: the Tasmota will
// is published and kept retained, and devices come back by themselves after
// the broker restarts.
func TestOnMosquitto(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	f := startFleet(t, m.URL(), Spec{Lights: 1, Speakers: 1, Period: time.Hour})
	if err := f.DropWithWill("den-01"); err != nil {
		t.Fatal(err)
	}
	p := newProbe(t, m.URL(), "tele/den_01/LWT")
	p.waitPayload(t, "tele/den_01/LWT", "Offline")
	if err := f.Restore("den-01"); err != nil {
		t.Fatal(err)
	}
	p.waitPayload(t, "tele/den_01/LWT", "Online")

	m.Stop()
	connected := func(want bool) func() bool {
		return func() bool {
			for _, id := range []string{"den-01", "loa-01"} {
				if st, err := f.Status(id); err != nil || st.Connected != want {
					return false
				}
			}
			return true
		}
	}
	testutil.Eventually(t, waitLimit, "devices notice the broker is gone", connected(false))
	m.Start()
	testutil.Eventually(t, waitLimit, "devices reconnect to the restarted broker", connected(true))
	p2 := newProbe(t, m.URL(), "cmnd/den_01/POWER", "stat/den_01/RESULT")
	p2.publish(t, "cmnd/den_01/POWER", "ON")
	p2.waitPayload(t, "stat/den_01/RESULT", `{"POWER":"ON","Dimmer":100}`)
}
