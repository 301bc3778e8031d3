package daemon_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/sim"
	"github.com/hamlet-vn/hamlet/store"
)

// addToken stores an API token for an operator of zones and returns its secret.
func addToken(t *testing.T, dir, name string, zones ...string) string {
	t.Helper()
	db, err := store.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secret := "hml_" + name + "-secret-for-tests-only-0123456789"
	sum := sha256.Sum256([]byte(secret))
	if _, err := db.CreateToken(context.Background(), store.Token{Name: name, Role: "operator", Zones: zones,
		Hash: hex.EncodeToString(sum[:]), CreatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	return secret
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

// TestLightsThroughTheDaemon drives the real composition root over HTTP
// against simulated Tasmota and native lamps on Mosquitto: commands
// confirm; bad input and another zone's operator are refused and nothing
// reaches a lamp.
func TestLightsThroughTheDaemon(t *testing.T) {
	mq := testsvc.StartMosquitto(t)
	fleet, err := sim.New(sim.Spec{Lights: 2, NativeLights: 2, Period: time.Hour, Seed: 3}, sim.Options{Broker: mq.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := fleet.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fleet.Close() })
	cfg := testConfig(t, mq.URL())
	cfg.Zones = nil
	for _, z := range fleet.Zones() {
		cfg.Zones = append(cfg.Zones, config.Zone{ID: z, Name: z})
	}
	zoneOf := map[string]string{}
	for _, d := range fleet.Devices() {
		cfg.Devices = append(cfg.Devices, config.Device{ID: d.ID, Name: d.ID, Kind: string(d.Kind), Zone: d.Zone,
			Protocol: string(d.Protocol), Topic: d.Topic, FullTopic: d.FullTopic})
		zoneOf[d.ID] = d.Zone
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	z1, z2 := fleet.Zones()[0], fleet.Zones()[1]
	op1 := addToken(t, cfg.Storage.Dir, "op1", z1)
	cmds := watch(t, mq.URL(), "cmnd/#")
	nativeCmds := watch(t, mq.URL(), "hamlet/khu10/+/cmd")
	d := startDaemon(t, cfg)
	waitUntil(t, "every lamp online", 15*time.Second, func() bool {
		for _, st := range d.Registry().List(devices.Filter{Kind: devices.Light}) {
			if st.Availability != devices.Online {
				return false
			}
		}
		return true
	})
	time.Sleep(300 * time.Millisecond) // let the start-up reconcile pass (nothing differs: no desired state yet)
	base := "http://" + d.HTTPAddr() + "/api/v1/commands"
	sent := func() int {
		cmds.mu.Lock()
		nativeCmds.mu.Lock()
		defer cmds.mu.Unlock()
		defer nativeCmds.mu.Unlock()
		return len(cmds.msgs) + len(nativeCmds.msgs)
	}
	before := sent()

	for _, c := range []struct{ name, body string }{
		{"brightness out of range", `{"target":{"zones":["` + z1 + `"]},"set":{"brightness":150}}`},
		{"unknown device", `{"target":{"devices":["den-99"]},"set":{"on":true}}`},
		{"unknown zone", `{"target":{"zones":["ngo-9"]},"set":{"on":true}}`},
		{"bad hold", `{"target":{"zones":["` + z1 + `"]},"set":{"on":true},"hold":"forever"}`},
	} {
		if code, body := post(t, base, op1, c.body); code != 400 {
			t.Errorf("%s: %d %v, want 400", c.name, code, body)
		}
	}
	if code, body := post(t, base, op1, `{"target":{"zones":["`+z2+`"]},"set":{"on":true}}`); code != 403 || body["code"] != "forbidden_zone" {
		t.Errorf("another zone: %d %v, want 403 forbidden_zone", code, body)
	}
	if code, body := post(t, base, op1, `{"target":{"all":true,"kind":"light"},"set":{"on":true}}`); code != 403 {
		t.Errorf("all lights as a zone operator: %d %v, want 403", code, body)
	}
	time.Sleep(200 * time.Millisecond)
	if n := sent(); n != before {
		t.Fatalf("refused requests reached lamps: %d commands on the broker", n-before)
	}

	code, body := post(t, base, op1, `{"id":"tap-1","target":{"zones":["`+z1+`"]},"set":{"on":true,"brightness":70}}`)
	if code != 200 {
		t.Fatalf("command: %d %v", code, body)
	}
	results, _ := body["results"].([]any)
	if len(results) == 0 {
		t.Fatalf("no results: %v", body)
	}
	for _, r := range results {
		m := r.(map[string]any)
		if m["status"] != "confirmed" || zoneOf[m["device"].(string)] != z1 {
			t.Errorf("result %v", m)
		}
		st, err := fleet.Status(m["device"].(string))
		if err != nil || st.Light == nil || st.Light.On == nil || !*st.Light.On {
			t.Errorf("%v is not on in the simulator: %+v", m["device"], st.Light)
		}
	}
	for id, z := range zoneOf {
		if z == z2 {
			if st, _ := fleet.Status(id); st.Light != nil && st.Light.On != nil && *st.Light.On {
				t.Errorf("%s of the other zone is on", id)
			}
		}
	}
	// The device shows the override the command set.
	dev := results[0].(map[string]any)["device"].(string)
	req, _ := http.NewRequest("GET", "http://"+d.HTTPAddr()+"/api/v1/devices/"+dev, nil)
	req.Header.Set("Authorization", "Bearer "+op1)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var view struct {
		Light struct {
			Override *struct {
				By   string `json:"by"`
				Hold string `json:"hold"`
			} `json:"override"`
			Faults []any `json:"faults"`
		} `json:"light"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&view); err != nil {
		t.Fatal(err)
	}
	if o := view.Light.Override; o == nil || o.By != "token:op1" || o.Hold != "next" {
		t.Errorf("override shown: %+v", view.Light)
	}
}

// waitUntil polls cond until it holds or within passes.
func waitUntil(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
