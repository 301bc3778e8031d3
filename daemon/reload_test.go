package daemon_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestReloadAddsADeviceWithoutReconnecting: a Tasmota lamp declared in the
// config after the start is heard after a reload (SIGHUP), on the same MQTT
// session; a changed broker key is reported as needing a restart.
func TestReloadAddsADeviceWithoutReconnecting(t *testing.T) {
	broker := testsvc.StartMosquitto(t)
	cfg := testConfig(t, broker.URL())
	cfg.Zones = []config.Zone{{ID: "ngo-9", Name: "Ngõ 9"}}
	d := startDaemon(t, cfg)
	base := "http://" + d.HTTPAddr()
	connects := metric(t, base, "hamlet_mqtt_connects_total")
	if connects < 1 {
		t.Fatalf("hamlet_mqtt_connects_total = %v before the reload", connects)
	}

	next := cfg
	next.Devices = append([]config.Device{}, cfg.Devices...)
	next.Devices = append(next.Devices, config.Device{ID: "den-moi", Name: "Đèn mới", Kind: "light", Zone: "ngo-9",
		Protocol: "tasmota", Topic: "den_moi"})
	next.MQTT.KeepAlive = cfg.MQTT.KeepAlive + time.Second
	if err := next.Validate(); err != nil {
		t.Fatal(err)
	}
	needRestart, err := d.Reload(next)
	if err != nil {
		t.Fatal(err)
	}
	if len(needRestart) != 1 || needRestart[0] != "mqtt" {
		t.Fatalf("needs restart: %v, want [mqtt]", needRestart)
	}
	if st, ok := d.Registry().Get("den-moi"); !ok || st.Zone != "ngo-9" {
		t.Fatalf("den-moi after reload: %+v %v", st, ok)
	}

	pub := paho.NewClient(paho.NewClientOptions().AddBroker(broker.URL()).SetClientID("reload-lamp"))
	if tok := pub.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	defer pub.Disconnect(100)
	pub.Publish("tele/den_moi/LWT", 1, true, "Online").Wait()
	pub.Publish("stat/den_moi/RESULT", 1, false, `{"POWER":"ON"}`).Wait()
	testutil.Eventually(t, 15*time.Second, "den-moi online", func() bool {
		a, _ := availability(d, "den-moi")
		return a == devices.Online
	})
	if got := metric(t, base, "hamlet_mqtt_connects_total"); got != connects {
		t.Fatalf("connects went from %v to %v: the reload reconnected", connects, got)
	}
	pub.Publish("tele/den_moi/LWT", 1, true, "").Wait()
}

// TestReloadChangesBroadcastWindowsAndWebhooks: a zone's broadcast windows
// and the alert webhooks change on a reload, on the same MQTT session, and
// neither is reported as needing a restart.
func TestReloadChangesBroadcastWindowsAndWebhooks(t *testing.T) {
	broker := testsvc.StartMosquitto(t)
	cfg := testConfig(t, broker.URL())
	cfg.Zones = []config.Zone{{ID: "ngo-9", Name: "Ngõ 9"}}
	d := startDaemon(t, cfg)
	base := "http://" + d.HTTPAddr()
	connects := metric(t, base, "hamlet_mqtt_connects_total")
	if w := daemon.WindowForTest(d, "ngo-9"); len(w.Windows) != 0 || !w.Open {
		t.Fatalf("window before the reload: %+v", w)
	}

	var mu sync.Mutex
	var got []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("X-Hamlet-Signature")+" "+string(body))
		mu.Unlock()
	}))
	defer recv.Close()
	next := cfg
	next.Zones = []config.Zone{{ID: "ngo-9", Name: "Ngõ 9", BroadcastWindows: []string{"05:30-06:30", "17:00-18:00"}}}
	next.Alerts.Webhooks = []config.Webhook{{URL: recv.URL, Secret: "bi-mat", MinSeverity: "info"}}
	if err := next.Validate(); err != nil {
		t.Fatal(err)
	}
	needRestart, err := d.Reload(next)
	if err != nil || len(needRestart) != 0 {
		t.Fatalf("Reload: %v, needs restart %v; want neither", err, needRestart)
	}
	if w := daemon.WindowForTest(d, "ngo-9"); strings.Join(w.Windows, " ") != "05:30-06:30 17:00-18:00" {
		t.Errorf("windows after the reload: %+v", w)
	}
	err = daemon.RaiseForTest(context.Background(), d, alerts.Problem{Key: alerts.Key{Condition: alerts.DaemonUncleanRestart},
		Severity: alerts.Info, Message: "thử / test"})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 15*time.Second, "the webhook added by the reload called", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) > 0
	})
	mu.Lock()
	sig, body, _ := strings.Cut(got[0], " ")
	mu.Unlock()
	if sig != alerts.Sign("bi-mat", []byte(body)) || !strings.Contains(body, `"event":"raised"`) {
		t.Errorf("webhook call %q %s", sig, body)
	}

	next.Zones[0].BroadcastWindows = nil // windows removed: the zone may broadcast at any time
	next.Alerts.Webhooks = nil
	if _, err := d.Reload(next); err != nil {
		t.Fatal(err)
	}
	if w := daemon.WindowForTest(d, "ngo-9"); len(w.Windows) != 0 || !w.Open {
		t.Errorf("window after removing them: %+v", w)
	}
	if got := metric(t, base, "hamlet_mqtt_connects_total"); got != connects {
		t.Fatalf("connects went from %v to %v: the reload reconnected", connects, got)
	}
}
