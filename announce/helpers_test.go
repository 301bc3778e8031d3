package announce

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/store"
)

// clock is an injected clock.
type clock = testutil.Clock

// fakeSender records commands.
type fakeSender struct {
	mu   sync.Mutex
	cmds []devices.Command
}

func (f *fakeSender) Send(_ context.Context, c devices.Command) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cmds = append(f.cmds, c)
	return nil
}

// plays returns the play commands sent, per announcement id.
func (f *fakeSender) plays() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := map[string]int{}
	for _, c := range f.cmds {
		if c.Play != nil {
			m[c.Play.Announcement]++
		}
	}
	return m
}

// lastTo returns the id of the last command sent to device id.
func (f *fakeSender) lastTo(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.cmds) - 1; i >= 0; i-- {
		if f.cmds[i].Device.ID == id {
			return f.cmds[i].ID
		}
	}
	return ""
}

var hanoi, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

var operator = accounts.User{Name: "an", Role: accounts.RoleOperator}

// openDB opens a store in dir.
func openDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newTestService builds a started service over dir with a fake sender.
func newTestService(t *testing.T, db *store.DB, dir string, c *clock, windows map[string][]string, send Sender) *Service {
	t.Helper()
	s, err := New(Options{DB: db.AnnounceSQL(), Sender: send, Dir: dir, PublicURL: "http://hamlet.test:8080/",
		Location: hanoi, Windows: windows, Now: c.Now, AnswerTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// drain hands queued commands to the sender (what Run's send loop does).
func (s *Service) drain() {
	s.mu.Lock()
	batch := s.outbox
	s.outbox = nil
	s.mu.Unlock()
	for _, c := range batch {
		if err := s.opts.Sender.Send(context.Background(), c); err != nil {
			s.sendFailed(c, err)
		}
	}
}

// fakeMedia records a media row whose file exists, without ffmpeg.
func fakeMedia(t *testing.T, s *Service, id string, durationS float64) {
	t.Helper()
	dir, err := s.mediaDir()
	if err != nil {
		t.Fatal(err)
	}
	path := dir + "/" + id + ".mp3"
	if err := os.WriteFile(path, []byte("ID3 fake"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := s.opts.DB.Exec(`INSERT INTO announce_media (id, content_type, duration_s, bytes, path, created) VALUES (?, 'audio/mpeg', ?, 8, ?, ?)`,
		id, durationS, path, ts(s.opts.Now())); err != nil {
		t.Fatal(err)
	}
}

// speakers returns native speakers in zones.
func speakers(ids ...string) []devices.Device {
	var out []devices.Device
	for i := 0; i+1 < len(ids); i += 2 {
		out = append(out, devices.Device{ID: ids[i], Zone: ids[i+1], Kind: devices.Speaker, Protocol: devices.Native, Topic: ids[i]})
	}
	return out
}

// needTools fails (under HAMLET_REQUIRE_SERVICES=1) or skips without the tools.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("HAMLET_REQUIRE_SERVICES") == "1" {
				t.Fatalf("%s is not installed (scripts/install-services.sh installs it)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
}

// announced starts a service on a fresh store at 09:00 on 2 November 2026,
// with send and media m1 of 10 s, and announces m1 to speaker loa-1 (zone
// ngo-a), delay from now (0: at once).
func announced(t *testing.T, send Sender, delay time.Duration) (*Service, *clock, Announcement) {
	t.Helper()
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	fakeMedia(t, s, "m1", 10)
	req := Request{Title: "t", MediaID: "m1", Targets: devices.Target{All: true}, Devices: speakers("loa-1", "ngo-a")}
	if delay > 0 {
		req.AtTime = c.Now().Add(delay)
	}
	a, err := s.Announce(context.Background(), req, operator)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, a
}
