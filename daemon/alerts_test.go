package daemon_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/sim"
)

// receiver is a webhook receiver that checks signatures and keeps events.
type receiver struct {
	mu     sync.Mutex
	events []alerts.Payload
	bad    int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.Header.Get("X-Hamlet-Signature") != alerts.Sign("bi-mat", body) {
		r.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p alerts.Payload
	json.Unmarshal(body, &p)
	r.events = append(r.events, p)
}

func (r *receiver) seen(event, device string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, p := range r.events {
		if p.Event == event && p.Alert.Device == device {
			n++
		}
	}
	return n
}

// TestAlertsThroughTheDaemon: a simulated lamp that drops with its Last Will
// raises one signed webhook alert and a retained MQTT alert after its grace;
// its return clears both.
func TestAlertsThroughTheDaemon(t *testing.T) {
	broker := testsvc.StartMosquitto(t)
	fleet := startFleet(t, broker.URL(), sim.Spec{Lights: 1, Period: 300 * time.Millisecond, Seed: 1})
	rec := &receiver{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	cfg := testConfig(t, broker.URL())
	cfg.Alerts.OfflineAfter["light"] = time.Second
	cfg.Alerts.ClearAfter = time.Second
	cfg.Alerts.MQTT = true
	cfg.Alerts.Webhooks = []config.Webhook{{URL: srv.URL, Secret: "bi-mat", MinSeverity: "warning"}}
	withFleet(t, &cfg, fleet)
	d := startDaemon(t, cfg)
	lamp := fleet.Devices()[0].ID
	mq := watch(t, broker.URL(), "hamlet/"+cfg.Area.ID+"/$alerts/#")
	testutil.Eventually(t, 15*time.Second, lamp+" online", func() bool { a, _ := availability(d, lamp); return a == "online" })

	if err := fleet.DropWithWill(lamp); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 15*time.Second, "a signed webhook for "+lamp, func() bool { return rec.seen("raised", lamp) == 1 })
	testutil.Eventually(t, 5*time.Second, "a retained MQTT alert", func() bool { return strings.Contains(mq.last(), lamp) })
	time.Sleep(1500 * time.Millisecond) // several checks while still offline: still one alert
	if n := rec.seen("raised", lamp); n != 1 {
		t.Fatalf("%d raised events while offline, want 1", n)
	}

	if err := fleet.Restore(lamp); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 15*time.Second, "the alert to clear", func() bool { return rec.seen("cleared", lamp) == 1 })
	testutil.Eventually(t, 5*time.Second, "the MQTT alert to be cleared", func() bool { return mq.last() == "" })
	if rec.bad != 0 {
		t.Fatalf("%d webhook bodies with a bad signature", rec.bad)
	}
}
