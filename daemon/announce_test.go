package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/sim"
	"github.com/hamlet-vn/hamlet/store"
)

// apiClient is a signed-in client of the daemon's API.
type apiClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (a *apiClient) do(method, path, ctype string, body []byte) (int, map[string]any) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := a.c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	return res.StatusCode, m
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// sse reads an event stream in the background; the returned function gives
// what arrived so far.
func sse(t *testing.T, api *apiClient, path string) func() string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", api.base+path, nil)
	res, err := api.c.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stream: %v", err)
	}
	var mu sync.Mutex
	var buf strings.Builder
	go func() {
		defer res.Body.Close()
		b := make([]byte, 4096)
		for {
			n, err := res.Body.Read(b)
			mu.Lock()
			buf.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return func() string { mu.Lock(); defer mu.Unlock(); return buf.String() }
}

// TestAnnouncementsEndToEnd runs the real composition root with simulated
// speakers: upload, broadcast with receipts, a speaker fetching the audio
// without signing in, a closed broadcast window, history, and bad input.
func TestAnnouncementsEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("HAMLET_REQUIRE_SERVICES") == "1" {
			t.Fatal("ffmpeg is not installed (scripts/install-services.sh installs it)")
		}
		t.Skip("ffmpeg is not installed")
	}
	broker := testsvc.StartMosquitto(t)
	fleet := startFleet(t, broker.URL(), sim.Spec{Speakers: 3, Zones: []string{"ngo-a", "ngo-b"}, Period: time.Hour,
		AudioDuration: 500 * time.Millisecond})
	cfg := testConfig(t, broker.URL())
	withFleet(t, &cfg, fleet)
	loc := cfg.Location()
	now := time.Now().In(loc)
	closed := fmt.Sprintf("%02d:00-%02d:00", (now.Hour()+2)%24, (now.Hour()+3)%24)
	cfg.Zones[1].BroadcastWindows = []string{closed}
	addr := freeAddr(t)
	cfg.HTTP.Listen, cfg.HTTP.PublicURL = addr, "http://"+addr
	cfg.Announce.MaxMediaBytes = 256 << 10
	db, err := store.Open(context.Background(), cfg.Storage.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := accounts.HashPassword("mat-khau-dai-1", accounts.PasswordParams{Memory: 1024, Time: 1, Threads: 1})
	if _, err := db.CreateUser(context.Background(), store.User{Name: "an", Role: "admin", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	d := startDaemon(t, cfg)
	jar, _ := cookiejar.New(nil)
	api := &apiClient{t: t, base: "http://" + d.HTTPAddr(), c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	if st, body := api.do("POST", "/api/v1/login", "application/json", []byte(`{"username":"an","password":"mat-khau-dai-1"}`)); st != 200 {
		t.Fatalf("login: %d %v", st, body)
	}
	cmds := watch(t, broker.URL(), "hamlet/khu10/loa-01/cmd")
	testutil.Eventually(t, 15*time.Second, "speakers online", func() bool {
		for _, id := range []string{"loa-01", "loa-02", "loa-03"} {
			if a, _ := availability(d, id); a != "online" {
				return false
			}
		}
		return true
	})

	// Upload: a wav is accepted; a renamed text file and an oversized file are not.
	wav := filepath.Join(t.TempDir(), "a.wav")
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", wav).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	body, _ := os.ReadFile(wav)
	st, m := api.do("POST", "/api/v1/media", "audio/wav", body)
	if st != 201 {
		t.Fatalf("upload: %d %v", st, m)
	}
	media := m["id"].(string)
	if st, m := api.do("POST", "/api/v1/media", "audio/mpeg", []byte("đây là văn bản, không phải âm thanh")); st != 400 || m["field"] != "file" {
		t.Errorf("renamed text: %d %v", st, m)
	}
	if st, m := api.do("POST", "/api/v1/media", "audio/wav", make([]byte, 300<<10)); st != 413 {
		t.Errorf("oversized: %d %v", st, m)
	}

	// loa-03 is busy with an emergency from elsewhere: it refuses ours.
	pub := paho.NewClient(paho.NewClientOptions().AddBroker(broker.URL()).SetClientID("busy-" + t.Name()))
	if tok := pub.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	defer pub.Disconnect(0)
	pub.Publish("hamlet/khu10/loa-03/cmd", 1, false,
		`{"id":"x","play":{"url":"http://x/y.mp3","announcement":"elsewhere","priority":"emergency","duration_s":60}}`).WaitTimeout(5 * time.Second)
	testutil.Eventually(t, 10*time.Second, "loa-03 busy", func() bool {
		st, _ := d.Registry().Get("loa-03")
		return st.Reported.Speaker != nil && st.Reported.Speaker.Playing != nil && *st.Reported.Speaker.Playing == "elsewhere"
	})
	stream := sse(t, api, "/api/v1/events")

	// Broadcast to ngo-a: receipts from every speaker.
	st, m = api.do("POST", "/api/v1/announcements", "application/json",
		[]byte(`{"title":"Họp tổ dân phố","media_id":"`+media+`","targets":{"zones":["ngo-a"]},"volume":60}`))
	if st != 201 {
		t.Fatalf("announce: %d %v", st, m)
	}
	id := m["id"].(string)
	testutil.Eventually(t, 20*time.Second, "announcement settled", func() bool {
		_, m := api.do("GET", "/api/v1/announcements/"+id, "", nil)
		return m["status"] == "partial"
	})
	_, m = api.do("GET", "/api/v1/announcements/"+id, "", nil)
	for _, dl := range m["deliveries"].([]any) {
		dl := dl.(map[string]any)
		switch dl["device"] {
		case "loa-01":
			if dl["status"] != "done" || dl["done_at"] == nil {
				t.Errorf("delivery %v", dl)
			}
		case "loa-03":
			if dl["status"] != "failed" || !strings.Contains(dl["error"].(string), "busy") {
				t.Errorf("delivery %v", dl)
			}
		}
	}
	testutil.Eventually(t, 5*time.Second, "live announcement events", func() bool {
		return strings.Contains(stream(), "event: announcement") && strings.Contains(stream(), `"status":"done"`)
	})
	testutil.Eventually(t, 5*time.Second, "announcement_failed alert", func() bool {
		_, m := api.do("GET", "/api/v1/alerts", "", nil)
		b, _ := json.Marshal(m)
		return strings.Contains(string(b), "announcement_failed") && strings.Contains(string(b), "loa-03")
	})
	// The speaker's URL needs no login and serves the converted audio.
	var play struct {
		Play struct{ URL string } `json:"play"`
	}
	json.Unmarshal([]byte(cmds.last()), &play)
	if !strings.HasPrefix(play.Play.URL, "http://"+addr+"/media/") {
		t.Fatalf("play url %q", play.Play.URL)
	}
	res, err := http.Get(play.Play.URL)
	if err != nil {
		t.Fatal(err)
	}
	audio, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "audio/mpeg" || len(audio) < 1000 {
		t.Errorf("fetch: %d %s %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(audio))
	}
	if res, _ := http.Get("http://" + addr + "/media/0123456789abcdef0123456789abcdef.mp3"); res.StatusCode != 404 {
		t.Errorf("guessed token: %d", res.StatusCode)
	}

	// ngo-b is outside its window: 409 with next_window.
	st, m = api.do("POST", "/api/v1/announcements", "application/json",
		[]byte(`{"title":"Tin","media_id":"`+media+`","targets":{"zones":["ngo-b"]}}`))
	if st != 409 || m["next_window"] == nil {
		t.Errorf("outside window: %d %v", st, m)
	}

	// Bad input names the field.
	for field, req := range map[string]string{
		"text":    `{"title":"t","text":"` + strings.Repeat("a", 10000) + `","targets":{"all":true}}`,
		"cron":    `{"title":"t","media_id":"` + media + `","cron":"99 * * * *","targets":{"all":true}}`,
		"at":      `{"title":"t","media_id":"` + media + `","at":"2020-01-01T00:00:00Z","targets":{"all":true}}`,
		"targets": `{"title":"t","media_id":"` + media + `","targets":{"devices":["loa-khong-co"]}}`,
	} {
		if st, m := api.do("POST", "/api/v1/announcements", "application/json", []byte(req)); st != 400 || !strings.HasPrefix(fmt.Sprint(m["field"]), field) {
			t.Errorf("%s: %d %v", field, st, m)
		}
	}

	// History and the media list.
	from := url.QueryEscape(now.Add(-time.Hour).Format(time.RFC3339))
	to := url.QueryEscape(now.Add(time.Hour).Format(time.RFC3339))
	if st, m := api.do("GET", "/api/v1/announcements?from="+from+"&to="+to, "", nil); st != 200 || len(m["announcements"].([]any)) != 1 {
		t.Errorf("history: %d %v", st, m)
	}
	if st, m := api.do("GET", "/api/v1/media", "", nil); st != 200 || len(m["media"].([]any)) != 1 {
		t.Errorf("media list: %d %v", st, m)
	}

	// An announcement programme of the schedule capability, validated and played by announce.
	if st, m := api.do("POST", "/api/v1/schedules", "application/json", []byte(`{"kind":"announcement","name":"Họp",
		"targets":{"zones":["ngo-a"]},"program":{"title":"Họp","media_id":"`+media+`","cron":"61 * * * *"}}`)); st != 400 || m["field"] != "program.cron" {
		t.Errorf("bad programme: %d %v", st, m)
	}
	at := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second).Format(time.RFC3339)
	st, m = api.do("POST", "/api/v1/schedules", "application/json", []byte(`{"kind":"announcement","name":"Họp",
		"targets":{"zones":["ngo-a"]},"program":{"title":"Họp theo lịch","media_id":"`+media+`","at":"`+at+`"}}`))
	if st != 201 {
		t.Fatalf("schedule: %d %v", st, m)
	}
	sid := fmt.Sprint(m["id"])
	eventually(t, "the programme played", 20*time.Second, func() bool {
		_, m := api.do("GET", "/api/v1/announcements?from="+from+"&to="+url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)), "", nil)
		for _, a := range m["announcements"].([]any) {
			a := a.(map[string]any)
			if a["schedule"] == "schedule:"+sid && a["status"] != "scheduled" && a["status"] != "sending" {
				return statusOfDelivery(a, "loa-01") == "done"
			}
		}
		return false
	})
}

// eventually polls cond until it holds, failing the test after within.
func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func statusOfDelivery(a map[string]any, device string) any {
	for _, d := range a["deliveries"].([]any) {
		if d := d.(map[string]any); d["device"] == device {
			return d["status"]
		}
	}
	return nil
}
