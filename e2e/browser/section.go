package browser

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// notMeasured is what a table shows for a page or timing the run did not report.
const notMeasured = "not measured (its step failed or was skipped; see the test log)"

// markdown renders the phone-ui section of bench/results.md from one run's
// measures and where it ran, starting with SectionTitle.
func markdown(m *measures, s setting) string {
	var b strings.Builder
	b.WriteString(SectionTitle + "\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (scripts/bench.sh runs the browser test e2e/browser with %s set) on %s. "+
		"Do not edit by hand; rerun it.\n\n", OutEnv, s.when.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "One run of e2e/browser/ui.test.mjs (its `WEIGHT` and `TIMING` lines) on %s, %d cores (shared with "+
		"other builds), %.1f GiB, load average %s at the end; %s headless via playwright-core %s (node %s), %s; "+
		"viewport 390×844 (and 360×740 for the narrow-phone checks); hamletd %s built from the tree, the simulator "+
		"(4 Tasmota lamps, 1 Shelly, 1 Frigate camera, 2 speakers), one extra lamp offline by its retained will, "+
		"one Frigate snapshot, %s and %s (Báo cáo across areas), all on loopback. %s\n\n",
		s.cpu, s.cores, s.memGiB, s.load, s.chromium, s.playwright, s.node, s.goVer, s.hamletd, s.mosquitto, s.influx,
		checks(m.failures))
	fmt.Fprintf(&b, "First load of each page as the admin, cache disabled: bytes transferred (compressed, headers "+
		"included) until `load` plus 0.7 s (the script's `/api/v1/devices` resync, Đèn's programme list and images "+
		"included), the event stream aside. Budget 60 KiB (%d B) per page. Baseline measured in the same run: the "+
		"embedded script and styles, gzipped as hamletd serves them, are %s of each load (app.js %s raw, %s gzipped; "+
		"app.css %s, %s); the rest is the page, the icon, the device list and the headers.\n\n",
		PageBudget, kib(s.baseline()), kib(s.jsRaw), kib(s.jsGz), kib(s.cssRaw), kib(s.cssGz))
	b.WriteString("| page | transferred | against the script and styles | budget 60 KiB |\n|---|---:|---:|---|\n")
	for _, p := range weighed(m) {
		n, ok := m.weights[p.name]
		if !ok {
			fmt.Fprintf(&b, "| %s | %s | | |\n", p.label, notMeasured)
			continue
		}
		ratio := ""
		if s.baseline() > 0 {
			ratio = fmt.Sprintf("%.2f×", float64(n)/float64(s.baseline()))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", p.label, kib(n), ratio, met(n <= PageBudget))
	}
	b.WriteString("\n| timing | measured | budget |\n|---|---:|---|\n")
	for _, t := range timings {
		d, ok := m.timings[t.name]
		if !ok {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", t.label, notMeasured, seconds(t.budget))
			continue
		}
		fmt.Fprintf(&b, "| %s | %d ms | %s: %s |\n", t.label, d.Milliseconds(), seconds(t.budget), met(d <= t.budget))
	}
	fmt.Fprintf(&b, "\nTimings come from one run on a shared machine and move by a few hundred milliseconds from run "+
		"to run; weights by a few bytes. Rerun: `make bench` (`UI=0` leaves this out), or "+
		"`HAMLET_REQUIRE_SERVICES=1 %s=$PWD/bench/results.md go test -count=1 -run TestPhoneUI ./e2e/browser`.\n", OutEnv)
	return b.String()
}

// weighed returns the known pages, then any other page the run weighed, by name.
func weighed(m *measures) []page {
	out := append([]page(nil), pages...)
	known := map[string]bool{}
	for _, p := range pages {
		known[p.name] = true
	}
	var extra []string
	for name := range m.weights {
		if !known[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		out = append(out, page{name, "`" + name + "`"})
	}
	return out
}

// checks says how the run's own checks went.
func checks(failures int) string {
	if failures == 0 {
		return "Every check of the same run passed."
	}
	return fmt.Sprintf("%d check(s) of the same run failed (see the test log).", failures)
}

// seconds formats a whole-second budget as "1 s".
func seconds(d time.Duration) string { return fmt.Sprintf("%g s", d.Seconds()) }
