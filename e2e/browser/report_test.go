package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/web/ui"
)

func TestMeasuresAdd(t *testing.T) {
	var m measures
	for _, l := range []string{
		"WEIGHT overview 21509 B (21.0 KiB)",
		"WEIGHT lights 62000 B (60.5 KiB)",
		"TIMING first lamp result 327 ms",
		"BUDGET first lamp result 327 ms against 1000 ms: met",
		"TIMING lights page usable on the slow link 3186 ms",
		"FAIL lights first load 62000 B > 61440 B",
		"ok   admin signs in (812 ms)",
	} {
		m.add(l)
	}
	for _, bad := range []string{"WEIGHT overview", "WEIGHT x -3 B", "WEIGHT x 12 KiB", "TIMING x ms", "TIMING x 12 s", "TIMING 12 ms"} {
		if m.add(bad) {
			t.Errorf("add(%q) took a malformed line", bad)
		}
	}
	if m.weights["overview"] != 21509 || m.weights["lights"] != 62000 || len(m.weights) != 2 {
		t.Errorf("weights %v", m.weights)
	}
	if m.timings["first lamp result"] != 327*time.Millisecond ||
		m.timings["lights page usable on the slow link"] != 3186*time.Millisecond {
		t.Errorf("timings %v", m.timings)
	}
	if m.failures != 1 || !m.measured() {
		t.Errorf("failures %d, measured %v", m.failures, m.measured())
	}
}

func TestMarkdownSection(t *testing.T) {
	lines := [][]string{
		{"WEIGHT overview 21509 B (21.0 KiB)", "WEIGHT lights 62000 B (60.5 KiB)", "WEIGHT newpage 1024 B (1.0 KiB)",
			"TIMING lights page usable on the slow link 3186 ms"},
		{"WEIGHT overview 21400 B (20.9 KiB)", "TIMING lights page usable on the slow link 1200 ms"},
		{"WEIGHT overview 21000 B (20.5 KiB)", "TIMING lights page usable on the slow link 1500 ms", "FAIL x"},
	}
	runs := make([]measures, len(lines))
	for i, ls := range lines {
		for _, l := range ls {
			runs[i].add(l)
		}
	}
	s := setting{when: time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), cpu: "AMD EPYC", cores: 2, memGiB: 23.5, load: "3.10",
		chromium: "Debian's Chromium 156.0.8078.114", playwright: "1.65.2", node: "v20.20.2", goVer: "go1.26.8",
		mosquitto: "mosquitto version 2.0.11", influx: "InfluxDB v1.8.10", hamletd: "73b92bc",
		jsRaw: 37786, jsGz: 10752, cssRaw: 5632, cssGz: 1946}
	md := markdown(runs, s)
	for _, want := range []string{
		SectionTitle + "\n\n",
		"on 2026-12-04T20:00:00Z",
		"3 runs of e2e/browser/ui.test.mjs", "AMD EPYC, 2 cores", "23.5 GiB",
		"Debian's Chromium 156.0.8078.114 headless via playwright-core 1.65.2",
		"mosquitto version 2.0.11 and InfluxDB v1.8.10",
		"1 check(s) of the same runs failed",
		"are 12.4 KiB of each load (app.js 36.9 KiB raw, 10.5 KiB gzipped; app.css 5.5 KiB, 1.9 KiB)",
		"| page | transferred (heaviest of 3 runs) |",
		"| Tổng quan `/` | 21.0 KiB | 1.69× | met |\n",
		"| Đèn `/lights` (with the programme list and editor forms) | 60.5 KiB | 4.88× | NOT met |\n",
		"| Loa `/speakers` | " + notMeasured + " | | |\n",
		"| `newpage` | 1.0 KiB | 0.08× | met |\n",
		"| " + timings[0].label + " | " + notMeasured + " | 1 s |\n",
		"| " + timings[1].label + " | 1200, 1500, 3186 ms | 3 s: met (median 1500 ms) |\n",
		"HAMLET_BENCH_UI_OUT=$PWD/bench/results.md go test -count=3 -run TestPhoneUI ./e2e/browser",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "Tổng quan") > strings.Index(md, "Người dùng") || strings.Index(md, "Người dùng") > strings.Index(md, "newpage") {
		t.Errorf("pages out of order:\n%s", md)
	}
	one := markdown(runs[1:2], s)
	for _, want := range []string{"1 run of", "(heaviest of 1 run)", "| 1200 ms | 3 s: met (median 1200 ms) |",
		"Every check of the same run passed."} {
		if !strings.Contains(one, want) {
			t.Errorf("one run's section lacks %q:\n%s", want, one)
		}
	}
	two := markdown(runs[:2], s)
	if !strings.Contains(two, "| 1200, 3186 ms | 3 s: met (median 2193 ms) |") {
		t.Errorf("two runs' median:\n%s", two)
	}

	// Written between the markers of the results file, the sections around it kept.
	path := filepath.Join(t.TempDir(), "results.md")
	old := "# Soak\n\nsoak text\n<!-- section phone-ui -->\n# Phone UI: page weight and timings (browser test)\n\nold\n\n" +
		"<!-- end phone-ui -->\n\n<!-- lights bench: begin -->\n# Lights\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := bench.WriteSection(path, SectionTitle, md); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	want := "# Soak\n\nsoak text\n<!-- section phone-ui -->\n" + strings.TrimRight(md, "\n") + "\n\n" +
		"<!-- end phone-ui -->\n\n<!-- lights bench: begin -->\n# Lights\n"
	if string(b) != want {
		t.Errorf("results file:\n%s\nwant:\n%s", b, want)
	}
}

func TestGzipSizeOfEmbeddedAssets(t *testing.T) {
	raw, gz, err := gzipSize(ui.Static(), "app.js")
	if err != nil || raw == 0 || gz == 0 || gz >= raw {
		t.Errorf("app.js: raw %d, gzipped %d, %v", raw, gz, err)
	}
	if _, _, err := gzipSize(ui.Static(), "missing.js"); err == nil {
		t.Error("a missing asset measured")
	}
}
