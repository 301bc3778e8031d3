package announce

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// TestSonos: a sonos2mqtt speaker sends no ack and no played event: playing
// is its state showing our URL, done its return to idle (or to the music it
// played before the notify).
func TestSonos(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	fakeMedia(t, s, "m1", 10)
	d := devices.Device{ID: "sonos-1", Kind: devices.Speaker, Protocol: devices.Sonos2MQTT, Topic: "RINCON_1", Zone: "ngo-a"}
	a, err := s.Announce(context.Background(), Request{Title: "t", MediaID: "m1", Repeat: 2, Targets: devices.Target{All: true},
		Devices: []devices.Device{d}}, operator)
	if err != nil {
		t.Fatal(err)
	}
	s.drain()
	url := send.lastPlay("sonos-1").Play.URL
	music := "x-sonos-spotify:track"
	for i := range 2 {
		s.Observe(d, playing(url))
		if st := statusOf(get(t, s, a.ID), "sonos-1").Status; st != Playing {
			t.Fatalf("play %d: %s, want playing", i, st)
		}
		s.Observe(d, playing(music))
		s.drain()
	}
	if got := get(t, s, a.ID); got.Status != Done || statusOf(got, "sonos-1").Plays != 2 {
		t.Fatalf("sonos: %+v, want done after 2 plays", got)
	}
}

type fakePoints struct{ n int }

func (f *fakePoints) Add(p []*telemetry.Point, ack func()) { f.n += len(p); ack() }

// TestStepsRecorded: every delivery step is an InfluxDB point and an audit entry.
func TestStepsRecorded(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, dir)
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	pts := &fakePoints{}
	s, err := New(Options{DB: db.AnnounceSQL(), Sender: send, Dir: dir, Now: c.Now, Points: pts, Audit: db, Area: "khu10"})
	if err != nil {
		t.Fatal(err)
	}
	fakeMedia(t, s, "m1", 10)
	d := speakers("loa-1", "ngo-a")
	a, err := s.Announce(context.Background(), Request{Title: "t", MediaID: "m1", Targets: devices.Target{All: true}, Devices: d}, operator)
	if err != nil {
		t.Fatal(err)
	}
	s.drain()
	s.Observe(d[0], playing(a.ID))
	s.Observe(d[0], event("played", a.ID))
	// sent, playing, done
	if pts.n != 3 {
		t.Errorf("%d points, want 3", pts.n)
	}
	es, err := db.Audit(context.Background(), store.AuditQuery{From: c.Now().Add(-time.Hour), To: c.Now().Add(time.Hour), Action: "announcement.delivery", Scope: store.AuditScope{All: true}})
	if err != nil || len(es) != 3 {
		t.Errorf("%d audit entries (%v), want 3", len(es), err)
	}
}

// TestDiskFull: a full disk while storing an upload is ErrStorageFull and
// leaves nothing behind.
func TestDiskFull(t *testing.T) {
	needTools(t, "ffmpeg", "ffprobe")
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	s := newTestService(t, openDB(t, dir), dir, c, nil, &fakeSender{})
	s.copyHook = func(dst *os.File, src io.Reader) (int64, error) {
		n, _ := io.CopyN(dst, src, 100)
		return n, &os.PathError{Op: "write", Path: dst.Name(), Err: syscall.ENOSPC}
	}
	_, err := s.Upload(context.Background(), "audio/mpeg", bytes.NewReader(make([]byte, 5000)), operator)
	if !errors.Is(err, ErrStorageFull) {
		t.Fatalf("err %v, want ErrStorageFull", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "media", "*"))
	hidden, _ := filepath.Glob(filepath.Join(dir, "media", ".*"))
	if len(left)+len(hidden) != 0 {
		t.Errorf("left behind: %v %v", left, hidden)
	}
}
