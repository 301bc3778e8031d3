package browser

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// OutEnv names the results file the browser test writes its measurements
// to, as the phone-ui section (`make bench` sets it to bench/results.md; a
// relative path is from the repository's root). Unset, nothing is written.
const OutEnv = "HAMLET_BENCH_UI_OUT"

// SectionTitle is the heading of the phone-ui section of bench/results.md,
// found and replaced by bench.WriteSection.
const SectionTitle = "# Phone UI: page weight and timings (browser test)"

// PageBudget is the most a page's first load may transfer (ui.test.mjs's BUDGET).
const PageBudget = 60 * 1024

// page is one weighed page: its name in ui.test.mjs and how the table shows it.
type page struct{ name, label string }

// pages are the pages ui.test.mjs weighs, in its order.
var pages = []page{
	{"overview", "Tổng quan `/`"},
	{"lights", "Đèn `/lights` (with the programme list and editor forms)"},
	{"speakers", "Loa `/speakers`"},
	{"cameras", "Camera `/cameras` (with a 64×36 snapshot)"},
	{"reports", "Báo cáo `/reports` (7 days × 9 devices of SVG bars)"},
	{"audit", "Nhật ký `/audit`"},
	{"users", "Người dùng `/users`"},
}

// timing is one timed path: its name in ui.test.mjs's TIMING line, how the
// table shows it and its budget.
type timing struct {
	name, label string
	budget      time.Duration
}

// timings are the paths ui.test.mjs times, in its order.
var timings = []timing{
	{"first lamp result", "a zone tap to its first lamp result on screen (loopback; results arrive as `command` events " +
		"while the lights capability waits)", time.Second},
	{"lights page usable on the slow link", "Đèn usable (controls visible, script loaded) on an emulated 400 kbit/s, " +
		"400 ms RTT link (DevTools `Network.emulateNetworkConditions`), cache off", 3 * time.Second},
}

// measures are the WEIGHT and TIMING lines of one run of ui.test.mjs, and
// how many of its checks failed.
type measures struct {
	weights  map[string]int64         // bytes by page name
	timings  map[string]time.Duration // by timing name
	failures int
}

// add records line when it is a WEIGHT ("WEIGHT lights 22449 B (21.9 KiB)")
// or TIMING ("TIMING first lamp result 327 ms") line or a FAIL, and says
// whether it was one of them.
func (m *measures) add(line string) bool {
	if m.weights == nil {
		m.weights, m.timings = map[string]int64{}, map[string]time.Duration{}
	}
	switch {
	case strings.HasPrefix(line, "FAIL"):
		m.failures++
		return true
	case strings.HasPrefix(line, "WEIGHT "):
		f := strings.Fields(line)
		if len(f) < 4 || f[3] != "B" {
			return false
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || n < 0 {
			return false
		}
		m.weights[f[1]] = n
		return true
	case strings.HasPrefix(line, "TIMING "):
		rest, ok := strings.CutSuffix(strings.TrimPrefix(line, "TIMING "), " ms")
		i := strings.LastIndexByte(rest, ' ')
		if !ok || i < 0 {
			return false
		}
		ms, err := strconv.ParseInt(rest[i+1:], 10, 64)
		if err != nil || ms < 0 {
			return false
		}
		m.timings[rest[:i]] = time.Duration(ms) * time.Millisecond
		return true
	}
	return false
}

// measured says whether the run produced any weight or timing at all.
func (m *measures) measured() bool { return len(m.weights) > 0 || len(m.timings) > 0 }

// setting is what the section says about where and with what it was measured.
type setting struct {
	when                              time.Time
	cpu                               string
	cores                             int
	memGiB                            float64
	load                              string // 1-minute load average at the end
	chromium, playwright, node, goVer string
	mosquitto, influx, hamletd        string
	jsRaw, jsGz, cssRaw, cssGz        int64 // the embedded app.js and app.css, plain and gzipped
}

// baseline is the embedded script and styles gzipped, as every page loads them.
func (s setting) baseline() int64 { return s.jsGz + s.cssGz }

// kib formats n bytes in KiB with one decimal.
func kib(n int64) string { return fmt.Sprintf("%.1f KiB", float64(n)/1024) }

// met says whether ok in the tables' words.
func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
