package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/sim"
)

// TestAnnouncementNotReplayedAfterSIGKILL: hamletd is killed (SIGKILL)
// right after it published a scheduled announcement's play; started again,
// it does not send it a second time, and the speaker's report still
// completes the receipt.
func TestAnnouncementNotReplayedAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: skipped under -short")
	}
	mq := testsvc.StartMosquitto(t)
	fleet, err := sim.New(sim.Spec{Area: "e2e", Speakers: 1, Zones: []string{"z1"}, Period: time.Hour,
		AudioDuration: 4 * time.Second}, sim.Options{Broker: mq.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := fleet.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer fleet.Close()

	// Count the play commands the speaker receives.
	var mu sync.Mutex
	plays := 0
	opts := paho.NewClientOptions().AddBroker(mq.URL()).SetClientID("e2e-watch-cmd")
	opts.SetOnConnectHandler(func(c paho.Client) {
		c.Subscribe("hamlet/e2e/loa-01/cmd", 1, func(_ paho.Client, m paho.Message) {
			if strings.Contains(string(m.Payload()), `"play"`) {
				mu.Lock()
				plays++
				mu.Unlock()
			}
		})
	})
	watcher := paho.NewClient(opts)
	if tok := watcher.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("watcher: %v", tok.Error())
	}
	defer watcher.Disconnect(0)
	count := func() int { mu.Lock(); defer mu.Unlock(); return plays }

	h := startHamletd(t, fleetConfig{Broker: mq.URL(), Speakers: []string{"loa-01"}})
	add := exec.Command(hamletdBin, "user", "add", "an", "--role", "admin", "--config", h.config)
	add.Env, add.Stdin = testutil.DaemonEnv(), strings.NewReader("mat-khau-dai-1\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	jar, _ := cookiejar.New(nil)
	api := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	call := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, h.httpURL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := api.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var m map[string]any
		json.Unmarshal(b, &m)
		return res.StatusCode, m
	}
	login := func() {
		if st, m := call("POST", "/api/v1/login", `{"username":"an","password":"mat-khau-dai-1"}`); st != 200 {
			t.Fatalf("login: %d %v", st, m)
		}
	}
	login()
	within := func(what string, d time.Duration, cond func() bool) {
		t.Helper()
		for end := time.Now().Add(d); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("timed out: %s", what)
			}
		}
	}
	within("speaker online", 15*time.Second, func() bool {
		_, m := call("GET", "/api/v1/devices/loa-01", "")
		return m["availability"] == "online"
	})
	at := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second).Format(time.RFC3339)
	st, m := call("POST", "/api/v1/announcements", `{"title":"Họp","text":"Mời bà con họp lúc 19:30","targets":{"devices":["loa-01"]},"at":"`+at+`"}`)
	if st == 503 {
		t.Skipf("text to speech unavailable: %v", m)
	}
	if st != 201 {
		t.Fatalf("announce: %d %v", st, m)
	}
	id := m["id"].(string)
	within("the play published", 15*time.Second, func() bool { return count() == 1 })
	h.kill()
	h.start()
	login()
	within("the receipt completed after the restart", 30*time.Second, func() bool {
		_, m := call("GET", "/api/v1/announcements/"+id, "")
		return m["status"] == "done"
	})
	time.Sleep(2 * time.Second) // a few of the service's ticks: nothing more is sent
	if n := count(); n != 1 {
		t.Fatalf("the speaker got %d play commands, want exactly 1", n)
	}
}
