package telemetry

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// rec returns the lines and meta of a record of n points numbered from first.
func rec(first, n int) ([]byte, recordMeta) {
	var b []byte
	for i := first; i < first+n; i++ {
		b = fmt.Appendf(b, "m seq=%di %d\n", i, i)
	}
	return b, recordMeta{points: n, minT: int64(first), maxT: int64(first + n - 1)}
}

func openTestSpool(t *testing.T, dir string, maxBytes, segBytes int64, logs *syncBuffer) (*spool, *metrics) {
	t.Helper()
	m := newMetrics()
	s, err := openSpool(dir, maxBytes, segBytes, testLogger(logs), m)
	if err != nil {
		t.Fatalf("openSpool: %v", err)
	}
	t.Cleanup(func() { _ = s.close() })
	return s, m
}

func mustAppend(t *testing.T, s *spool, first, n int) {
	t.Helper()
	lines, meta := rec(first, n)
	if err := s.append(lines, meta); err != nil {
		t.Fatalf("append: %v", err)
	}
}

// drain reads and commits everything, returning the lines read.
func drain(t *testing.T, s *spool, maxPoints int) string {
	t.Helper()
	var out strings.Builder
	for i := 0; ; i++ {
		c, err := s.read(maxPoints, 1<<20)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if c.meta.points == 0 {
			break
		}
		if got := strings.Count(string(c.data), "\n"); got != c.meta.points {
			t.Fatalf("chunk has %d lines, meta says %d", got, c.meta.points)
		}
		out.Write(c.data)
		s.commit(c)
		if i > 10000 {
			t.Fatal("drain does not end")
		}
	}
	if !s.empty() {
		t.Error("spool not empty after drain")
	}
	return out.String()
}

func expectLines(first, n int) string {
	b, _ := rec(first, n)
	return string(b)
}

func segFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	return m
}

func TestSpoolOrderAcrossSegmentsAndChunks(t *testing.T) {
	dir := t.TempDir()
	var logs syncBuffer
	s, m := openTestSpool(t, dir, 1<<20, 200, &logs)
	for i := 0; i < 20; i++ {
		mustAppend(t, s, i*5, 5)
	}
	if n := len(segFiles(t, dir)); n < 5 {
		t.Errorf("%d segment files, want several (segment size 200 bytes)", n)
	}
	if got, want := drain(t, s, 7), expectLines(0, 100); got != want {
		t.Errorf("replayed\n%s\nwant\n%s", got, want)
	}
	if files := segFiles(t, dir); len(files) != 0 {
		t.Errorf("segments left after replay: %v", files)
	}
	if v := testutil.ToFloat64(m.spoolBytes); v != 0 {
		t.Errorf("spool_bytes = %v after replay", v)
	}
	// Appending after a full drain starts a fresh segment.
	mustAppend(t, s, 100, 3)
	if got := drain(t, s, 100); got != expectLines(100, 3) {
		t.Errorf("after drain: %q", got)
	}
}

func TestSpoolSurvivesRestartAndTruncatesTornRecord(t *testing.T) {
	dir := t.TempDir()
	var logs syncBuffer
	s, _ := openTestSpool(t, dir, 1<<20, 1<<20, &logs)
	mustAppend(t, s, 0, 10)
	mustAppend(t, s, 10, 10)
	// Replay one record and not the second, then "crash".
	c, err := s.read(10, 1<<20)
	if err != nil || c.meta.points != 10 {
		t.Fatalf("read: %d points, %v", c.meta.points, err)
	}
	s.commit(c)
	mustAppend(t, s, 20, 10)
	_ = s.close()
	files := segFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("segments %v", files)
	}
	// A torn append: half a record at the end of the newest segment.
	torn, meta := rec(30, 10)
	full := appendRecord(nil, meta, torn)
	f, err := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(full[:len(full)/2]); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()

	s2, m2 := openTestSpool(t, dir, 1<<20, 1<<20, &logs)
	if !strings.Contains(logs.String(), "truncated an incomplete record") {
		t.Errorf("no log of the truncation:\n%s", logs.String())
	}
	mustAppend(t, s2, 40, 5)
	// The replayed position is not persisted: the first record comes again.
	if got, want := drain(t, s2, 1000), expectLines(0, 30)+expectLines(40, 5); got != want {
		t.Errorf("after restart replayed\n%s\nwant\n%s", got, want)
	}
	if v := testutil.ToFloat64(m2.dropped.WithLabelValues(dropSpoolCorrupt)); v != 0 {
		t.Errorf("a torn, never acknowledged record counted as dropped: %v", v)
	}
}

func TestSpoolBoundDropsOldestSegment(t *testing.T) {
	dir := t.TempDir()
	var logs syncBuffer
	lines, meta := rec(90, 10)
	recLen := int64(len(appendRecord(nil, meta, lines)))
	// Room for 6 records, 2 per segment.
	s, m := openTestSpool(t, dir, 6*recLen, 2*recLen, &logs)
	for i := 0; i < 10; i++ {
		mustAppend(t, s, i*10, 10)
		s.mu.Lock()
		bytes := s.bytes
		s.mu.Unlock()
		if bytes > 6*recLen {
			t.Fatalf("after append %d the spool holds %d bytes, bound %d", i, bytes, 6*recLen)
		}
	}
	dropped := testutil.ToFloat64(m.dropped.WithLabelValues(dropSpoolFull))
	got := drain(t, s, 1000)
	kept := strings.Count(got, "\n")
	if dropped == 0 || int(dropped)+kept != 100 {
		t.Errorf("dropped %v + kept %d != 100 appended", dropped, kept)
	}
	if !strings.HasSuffix(got, expectLines(90, 10)) || strings.Contains(got, "seq=0i") {
		t.Errorf("the newest must be kept and the oldest dropped; kept:\n%s", got)
	}
	log := logs.String()
	if !strings.Contains(log, "level=ERROR") || !strings.Contains(log, "spool full") || !strings.Contains(log, "points=20") ||
		!strings.Contains(log, "from=1970-01-01T00:00:00") {
		t.Errorf("drop not logged with points and time range:\n%s", log)
	}
}

func TestSpoolDamagedRecordInOlderSegment(t *testing.T) {
	dir := t.TempDir()
	var logs syncBuffer
	s, _ := openTestSpool(t, dir, 1<<20, 1, &logs) // one record per segment
	for i := 0; i < 3; i++ {
		mustAppend(t, s, i*10, 10)
	}
	_ = s.close()
	files := segFiles(t, dir)
	if len(files) != 3 {
		t.Fatalf("segments %v", files)
	}
	// Flip a byte in the payload of the middle segment: only its checksum catches it.
	b, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-3] ^= 0xff
	if err := os.WriteFile(files[1], b, 0o640); err != nil {
		t.Fatal(err)
	}
	s2, m := openTestSpool(t, dir, 1<<20, 1, &logs)
	if got, want := drain(t, s2, 1000), expectLines(0, 10)+expectLines(20, 10); got != want {
		t.Errorf("replayed\n%s\nwant\n%s", got, want)
	}
	if v := testutil.ToFloat64(m.dropped.WithLabelValues(dropSpoolCorrupt)); v != 10 {
		t.Errorf("spool_corrupt drops = %v, want 10", v)
	}
	if !strings.Contains(logs.String(), "record damaged") {
		t.Errorf("damage not logged:\n%s", logs.String())
	}
}

func TestSpoolCommitAfterDropIsIgnored(t *testing.T) {
	dir := t.TempDir()
	var logs syncBuffer
	lines, meta := rec(20, 10)
	recLen := int64(len(appendRecord(nil, meta, lines)))
	s, _ := openTestSpool(t, dir, 2*recLen, recLen, &logs)
	mustAppend(t, s, 0, 10)
	c, err := s.read(100, 1<<20)
	if err != nil || c.meta.points != 10 {
		t.Fatalf("read: %v", err)
	}
	mustAppend(t, s, 10, 10)
	mustAppend(t, s, 20, 10) // drops the segment being replayed
	s.commit(c)
	if got, want := drain(t, s, 1000), expectLines(10, 20); got != want {
		t.Errorf("replayed\n%s\nwant\n%s", got, want)
	}
}

func BenchmarkSpoolAppend(b *testing.B) {
	var logs syncBuffer
	m := newMetrics()
	s, err := openSpool(b.TempDir(), 1<<40, 64<<20, testLogger(&logs), m)
	if err != nil {
		b.Fatal(err)
	}
	defer s.close()
	var lines []byte
	for _, p := range benchPoints(5000) {
		lines, _, _ = appendLine(lines, p, received)
	}
	meta := recordMeta{points: 5000}
	b.SetBytes(int64(len(lines)))
	for b.Loop() {
		if err := s.append(lines, meta); err != nil {
			b.Fatal(err)
		}
	}
}
