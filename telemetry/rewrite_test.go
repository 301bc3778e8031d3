package telemetry

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hamlet-vn/hamlet/devices"
	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestRewriteRule pins the schema's rule for names, tag keys, tag values and
// field keys (docs/influx-schema.md, "Line protocol"): a backslash becomes
// '/', every control character (U+0000–U+001F, U+007F) an escaped space, and
// each value so rewritten is counted once; other values are not counted.
func TestRewriteRule(t *testing.T) {
	for c := 0; c < 0x80; c++ {
		if c >= 0x20 && c != 0x7f && c != '\\' {
			continue
		}
		in := "a" + string(rune(c)) + "b"
		want := `a\ b`
		if c == '\\' {
			want = "a/b"
		}
		n := 0
		if got := string(appendName(nil, in, true, &n)); got != want || n != 1 {
			t.Errorf("%q: wrote %q, counted %d; want %q, 1", in, got, n, want)
		}
	}
	n := 0
	for _, s := range []string{"plain", "with space", "a,b=c", "đèn ngõ 3", "x\u2028y"} {
		appendName(nil, s, true, &n)
	}
	if n != 0 {
		t.Errorf("values needing only escapes counted as rewritten: %d", n)
	}
	var l Lines
	p := write.NewPoint(`m\x`, map[string]string{"zone": "ngõ\t3", "device": `den\01`, "ok": "yes"},
		map[string]any{"power\x00w": 1.0, "v": 2.0}, time.Unix(1, 0))
	if err := l.AppendPoint(p, time.Time{}); err != nil {
		t.Fatal(err)
	}
	const want = `m/x,device=den/01,ok=yes,zone=ngõ\ 3 power\ w=1,v=2 1000000000` + "\n"
	if got := string(l.Bytes()); got != want || l.Rewritten() != 4 {
		t.Errorf("got %q (%d rewritten), want %q (4)", got, l.Rewritten(), want)
	}
	l.Reset()
	d := devices.Device{ID: `den\1`, Kind: devices.Light, Zone: "z\x7f", Protocol: devices.Native}
	l.AppendReport("khu10", d, devices.Report{Metrics: map[string]float64{"power_w": 3}}, time.Unix(2, 0), time.UTC)
	if !strings.Contains(string(l.Bytes()), `device=den/1`) || !strings.Contains(string(l.Bytes()), `zone=z\ `) || l.Rewritten() != 2 {
		t.Errorf("AppendReport: %q, %d rewritten; want den/1, an escaped space and 2", l.Bytes(), l.Rewritten())
	}
}

// TestWriterCountsRewrittenValues checks the metric through both ways in:
// Add (points) and AddLines (the ingest path's encoded reports).
func TestWriterCountsRewrittenValues(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := startWriter(t, f, &logs, nil)
	w.Add([]*write.Point{write.NewPoint("m", map[string]string{"device": `a\b`}, map[string]any{"v": 1.0}, time.Unix(1, 0))}, func() {})
	var l Lines
	l.AppendReport("khu10", devices.Device{ID: "d\n1", Kind: devices.Light}, devices.Report{Metrics: map[string]float64{"w": 1}}, time.Unix(2, 0), time.UTC)
	w.AddLines(&l, func() {})
	if got := testutil.ToFloat64(w.m.rewritten); got != 2 {
		t.Errorf("hamlet_telemetry_values_rewritten_total = %v, want 2", got)
	}
	hamtest.Eventually(t, 5*time.Second, "both points stored", func() bool {
		_, total := f.storedCount()
		return total == 2
	})
	f.mu.Lock()
	stored := fmt.Sprint(f.stored)
	f.mu.Unlock()
	for _, tag := range []string{"device=a/b", `device=d\ 1`} {
		if !strings.Contains(stored, tag) {
			t.Errorf("stored lines lack %s: %s", tag, stored)
		}
	}
}
