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

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/store"
)

// TestDaemonServesSchedules: the composition root wires the schedule
// capability, so /api/v1/schedules stores programmes and shows their next
// step instead of answering 503, and listeners hear of the change.
func TestDaemonServesSchedules(t *testing.T) {
	cfg := testConfig(t, config.EmbeddedBroker)
	cfg.Zones = append(cfg.Zones, config.Zone{ID: "ngo-3", Name: "Ngõ 3"})
	cfg.Devices = append(cfg.Devices, config.Device{ID: "den-1", Name: "Đèn 1", Kind: "light", Zone: "ngo-3", Protocol: "native"})
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, cfg)
	changes := d.Schedules().Changes()

	// An operator API token for every zone, stored as the API stores them (SHA-256 of the secret).
	db, err := store.Open(context.Background(), cfg.Storage.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret := accounts.TokenPrefix + "schedule-test-0123456789abcdef0123456789abcdef"
	sum := sha256.Sum256([]byte(secret))
	if _, err := db.CreateToken(context.Background(), store.Token{Name: "t", Role: "operator", Hash: hex.EncodeToString(sum[:]), CreatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	call := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+d.HTTPAddr()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		json.Unmarshal(raw, &m)
		return resp.StatusCode, m
	}
	st, body := call("POST", "/api/v1/schedules", `{"name":"Đêm","targets":{"zones":["ngo-3"]},"program":{"steps":[{"at":"sunset+10m","on":true},{"at":"sunrise-10m","on":false}]}}`)
	if st != http.StatusCreated {
		t.Fatalf("POST /api/v1/schedules = %d %v", st, body)
	}
	select {
	case <-changes:
	case <-time.After(5 * time.Second):
		t.Error("no change notification")
	}
	st, body = call("GET", "/api/v1/schedules", "")
	list, _ := body["schedules"].([]any)
	if st != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["next"] == nil || list[0].(map[string]any)["zones"].([]any)[0] != "ngo-3" {
		t.Fatalf("GET /api/v1/schedules = %d %v", st, body)
	}
	ls, err := d.Schedules().Lights(context.Background())
	if err != nil || len(ls) != 1 || len(ls[0].Programme.Steps) != 2 {
		t.Fatalf("Lights() = %+v, %v", ls, err)
	}
	// The lights capability hears of it and makes the programme's setting
	// of now the lamp's desired state.
	pl := schedule.Place{Lat: cfg.Area.Latitude, Lon: cfg.Area.Longitude, Loc: cfg.Location()}
	for deadline := time.Now().Add(5 * time.Second); ; {
		want, _, _ := ls[0].Programme.StateAt(time.Now(), pl)
		got, ok := d.Lights().DesiredOf("den-1")
		if ok && got.By == "schedule" && got.On == want.On {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("den-1 desired state = %+v (%v), want the programme's %+v", got, ok, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
