package browser

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// notMeasured is what a table shows for a page or timing the run did not report.
const notMeasured = "not measured (its step failed or was skipped; see the test log)"

// markdown renders the phone-ui section of bench/results.md from the
// measures of the runs so far (`go test -count=N` runs the test N times in
// one process) and where they ran, starting with SectionTitle: each page's
// heaviest first load, and every timing with its median against the budget.
func markdown(runs []measures, s setting) string {
	var b strings.Builder
	failures := 0
	for _, r := range runs {
		failures += r.failures
	}
	b.WriteString(SectionTitle + "\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (scripts/bench.sh runs the browser test e2e/browser with %s set) on %s. "+
		"Do not edit by hand; rerun it.\n\n", OutEnv, s.when.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "%s of e2e/browser/ui.test.mjs (its `WEIGHT` and `TIMING` lines) on %s, %d cores (shared with "+
		"other builds), %.1f GiB, load average %s at the end; %s headless via playwright-core %s (node %s), %s; "+
		"viewport 390×844 (and 360×740 for the narrow-phone checks); hamletd %s built from the tree, the simulator "+
		"(4 Tasmota lamps, 1 Shelly, 1 Frigate camera, 2 speakers), one extra lamp offline by its retained will, "+
		"one Frigate snapshot, %s and %s (Báo cáo across areas), all on loopback. %s\n\n",
		plural(len(runs), "run"), s.cpu, s.cores, s.memGiB, s.load, s.chromium, s.playwright, s.node, s.goVer, s.hamletd,
		s.mosquitto, s.influx, checks(failures, len(runs)))
	fmt.Fprintf(&b, "First load of each page as the admin, cache disabled: bytes transferred (compressed, headers "+
		"included) until `load` plus 0.7 s (the script's `/api/v1/devices` resync, Đèn's programme list and images "+
		"included), the event stream aside. Budget 60 KiB (%d B) per page. Baseline measured in the same run: the "+
		"embedded script and styles, gzipped as hamletd serves them, are %s of each load (app.js %s raw, %s gzipped; "+
		"app.css %s, %s); the rest is the page, the icon, the device list and the headers.\n\n",
		PageBudget, kib(s.baseline()), kib(s.jsRaw), kib(s.jsGz), kib(s.cssRaw), kib(s.cssGz))
	fmt.Fprintf(&b, "| page | transferred (heaviest of %s) | against the script and styles | budget 60 KiB |\n"+
		"|---|---:|---:|---|\n", plural(len(runs), "run"))
	for _, p := range weighed(runs) {
		n, ok := heaviest(runs, p.name)
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
	b.WriteString("\n| timing | measured, each run | budget, against the median |\n|---|---:|---|\n")
	for _, t := range timings {
		ds := measuredTimes(runs, t.name)
		if len(ds) == 0 {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", t.label, notMeasured, seconds(t.budget))
			continue
		}
		ms := make([]string, len(ds))
		for i, d := range ds {
			ms[i] = fmt.Sprint(d.Milliseconds())
		}
		med := ds[len(ds)/2]
		if len(ds)%2 == 0 {
			med = (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
		}
		fmt.Fprintf(&b, "| %s | %s ms | %s: %s (median %d ms) |\n", t.label, strings.Join(ms, ", "), seconds(t.budget),
			met(med <= t.budget), med.Milliseconds())
	}
	fmt.Fprintf(&b, "\nThe machine is shared: timings move by hundreds of milliseconds, seconds on the slow link under "+
		"load, from run to run, hence the median; weights by a few bytes. Rerun: `make bench` (`UI_RUNS=3` by "+
		"default, `UI=0` leaves this out), or `HAMLET_REQUIRE_SERVICES=1 %s=$PWD/bench/results.md go test -count=3 "+
		"-run TestPhoneUI ./e2e/browser`.\n", OutEnv)
	return b.String()
}

// heaviest returns the most any run transferred for page name.
func heaviest(runs []measures, name string) (n int64, ok bool) {
	for _, r := range runs {
		if w, in := r.weights[name]; in && (!ok || w > n) {
			n, ok = w, true
		}
	}
	return n, ok
}

// measuredTimes returns every run's time for timing name, shortest first.
func measuredTimes(runs []measures, name string) []time.Duration {
	var ds []time.Duration
	for _, r := range runs {
		if d, ok := r.timings[name]; ok {
			ds = append(ds, d)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds
}

// plural writes n things: "1 run", "3 runs".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// weighed returns the known pages, then any other page a run weighed, by name.
func weighed(runs []measures) []page {
	out := append([]page(nil), pages...)
	known := map[string]bool{}
	for _, p := range pages {
		known[p.name] = true
	}
	var extra []string
	for _, r := range runs {
		for name := range r.weights {
			if !known[name] {
				known[name] = true
				extra = append(extra, name)
			}
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		out = append(out, page{name, "`" + name + "`"})
	}
	return out
}

// checks says how the runs' own checks went.
func checks(failures, runs int) string {
	these := "the same run"
	if runs > 1 {
		these = "the same runs"
	}
	if failures == 0 {
		return "Every check of " + these + " passed."
	}
	return fmt.Sprintf("%d check(s) of %s failed (see the test log).", failures, these)
}

// seconds formats a whole-second budget as "1 s".
func seconds(d time.Duration) string { return fmt.Sprintf("%g s", d.Seconds()) }
