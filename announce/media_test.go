package announce

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// fixture generates a one-second tone in a format with ffmpeg.
func fixture(t *testing.T, dir, name string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v: %s", name, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUploadFormats: each format a phone sends is accepted by its content,
// converted once to mp3 and timed; text renamed .mp3 is refused.
func TestUploadFormats(t *testing.T) {
	needTools(t, "ffmpeg", "ffprobe")
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	s := newTestService(t, openDB(t, dir), dir, c, nil, &fakeSender{})
	fx := t.TempDir()
	for name, args := range map[string][]string{
		"a.mp3":  {"-c:a", "libmp3lame"},
		"a.wav":  {"-c:a", "pcm_s16le"},
		"a.ogg":  {"-c:a", "libopus"},
		"a.webm": {"-c:a", "libopus"},
		"a.m4a":  {"-c:a", "aac"},
	} {
		body := fixture(t, fx, name, args...)
		m, err := s.Upload(context.Background(), "audio/whatever", bytes.NewReader(body), operator)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m.DurationS < 0.9 || m.DurationS > 1.2 {
			t.Errorf("%s: duration %.2f s, want about 1", name, m.DurationS)
		}
	}
	list, err := s.MediaList(context.Background())
	if err != nil || len(list) != 5 {
		t.Fatalf("list: %d, %v", len(list), err)
	}
	_, err = s.Upload(context.Background(), "audio/mpeg", bytes.NewReader([]byte("Mời bà con đi họp, đây là văn bản")), operator)
	var fe *devices.FieldError
	if !errors.As(err, &fe) || fe.Field != "file" {
		t.Errorf("renamed text: %v, want a FieldError naming file", err)
	}
	_, err = s.Upload(context.Background(), "audio/mpeg", bytes.NewReader(append([]byte("ID3"), make([]byte, 2000)...)), operator)
	if !errors.As(err, &fe) {
		t.Errorf("corrupt mp3: %v, want a FieldError", err)
	}
	if err := s.DeleteMedia(context.Background(), list[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMedia(context.Background(), list[0].ID); !errors.Is(err, devices.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "media", ".*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestTextToSpeech renders Vietnamese text with espeak-ng into audio of a
// plausible length, served to speakers through its token.
func TestTextToSpeech(t *testing.T) {
	needTools(t, "espeak-ng", "ffmpeg", "ffprobe")
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	a, err := s.Announce(context.Background(), Request{Title: "Họp", Text: "Mời bà con đến nhà văn hoá họp lúc 17:30 ngày 01/11/2026.",
		Targets: devices.Target{All: true}, Devices: speakers("loa-1", "ngo-a")}, operator)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("speech of %d characters lasts %.1f s", len([]rune(Spoken("Mời bà con đến nhà văn hoá họp lúc 17:30 ngày 01/11/2026."))), a.DurationS)
	if a.DurationS < 2 || a.DurationS > 30 {
		t.Errorf("speech lasts %.1f s, want 2–30", a.DurationS)
	}
	s.drain()
	url := send.lastPlay("loa-1").Play.URL
	path, ctype, err := s.Fetch(context.Background(), filepath.Base(url))
	if err != nil || ctype != "audio/mpeg" {
		t.Fatalf("fetch %s: %v %s", url, err, ctype)
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 1000 {
		t.Fatalf("audio file %s: %v", path, err)
	}
	c.Add(3 * time.Hour)
	if _, _, err := s.Fetch(context.Background(), filepath.Base(url)); !errors.Is(err, devices.ErrNotFound) {
		t.Errorf("expired token: %v", err)
	}
}

// TestMissingTool: without espeak-ng the request fails with a ToolError naming it.
func TestMissingTool(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	s, err := New(Options{DB: openDB(t, dir).AnnounceSQL(), Sender: &fakeSender{}, Dir: dir, Now: c.Now,
		Media: MediaOptions{Espeak: "/nonexistent/espeak-ng"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Announce(context.Background(), Request{Title: "t", Text: "xin chào", Targets: devices.Target{All: true},
		Devices: speakers("loa-1", "ngo-a")}, operator)
	var te *ToolError
	if !errors.As(err, &te) || te.Tool != "espeak-ng" {
		t.Fatalf("err %v, want a ToolError naming espeak-ng", err)
	}
}
