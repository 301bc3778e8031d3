package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/sim"
)

// sectionTitle is the heading of this benchmark's section of bench/results.md.
const sectionTitle = "# Memory: hamletd with thousands of simulated devices"

// The goal and the flatness rule.
const (
	goalBytes = 60 << 20
	// flat: the last minute's median RSS at most the first minute's × 1.1 + 2 MiB.
	flatFactor = 1.1
	flatSlack  = 2 << 20
)

// result is one run of the benchmark.
type result struct {
	o                   options
	machine             machine
	spec                sim.Spec
	declared            int
	idle, loaded        []sample
	connectTook         time.Duration
	hwm, selfRSS        int64
	hwmConnected        int64 // VmHWM once every device connected
	loadStart, loadEnd  string
	reports, written    float64
	rejected, lost      float64
	mqttLost            float64
	reportsPerS, expect float64
}

// counters takes the differences of hamletd's counters over the loaded phase.
func (r *result) counters(m0, m1 map[string]float64) {
	d := func(k string) float64 { return m1[k] - m0[k] }
	r.reports = d("hamlet_ingest_reports_total")
	r.written = d("hamlet_telemetry_points_written_total")
	for k := range m1 {
		if strings.HasPrefix(k, "hamlet_ingest_messages_rejected_total") || strings.HasPrefix(k, "hamlet_telemetry_points_rejected_total") {
			r.rejected += d(k)
		}
		if strings.HasPrefix(k, "hamlet_telemetry_points_dropped_total") {
			r.lost += d(k)
		}
	}
	r.mqttLost = d("hamlet_mqtt_connection_lost_total")
	if n := len(r.loaded); n > 1 {
		r.reportsPerS = (r.loaded[n-1].reports - r.loaded[0].reports) / (r.loaded[n-1].at - r.loaded[0].at).Seconds()
	}
	// A Tasmota light sends tele STATE and SENSOR every period; every other
	// device one report (a camera its line of Frigate's stats).
	r.expect = float64(r.declared+r.spec.Lights) / r.o.period.Seconds()
}

func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// minute returns the RSS of the loaded samples in [from, to) after the
// loaded phase began.
func (r *result) minute(from, to time.Duration) []int64 {
	var out []int64
	if len(r.loaded) == 0 {
		return nil
	}
	t0 := r.loaded[0].at
	for _, s := range r.loaded {
		if off := s.at - t0; off >= from && off < to {
			out = append(out, s.rss)
		}
	}
	return out
}

func rssOf(ss []sample) []int64 {
	out := make([]int64, len(ss))
	for i, s := range ss {
		out[i] = s.rss
	}
	return out
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func yes(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func (r *result) markdown() string {
	var b strings.Builder
	m := r.machine
	o := r.o
	peak := slices.Max(rssOf(r.loaded))
	idleMed := median(rssOf(r.idle))
	span := r.loaded[len(r.loaded)-1].at - r.loaded[0].at
	first := median(r.minute(0, time.Minute))
	last := median(r.minute(span-time.Minute+time.Second, span+time.Second))
	flat := float64(last) <= float64(first)*flatFactor+flatSlack
	s := r.spec
	fmt.Fprintf(&b, "%s\n\n", sectionTitle)
	fmt.Fprintf(&b, "Written by `bench/memory` (`scripts/bench.sh`, `MEMORY_DEVICES=%d MEMORY_DURATION=%s`) on %s: %s, %d cores, %.1f GiB, Linux %s, %s; "+
		"load average %s at the start, %s at the end (the machine is shared). Reproduce: `MEMORY_ONLY=1 MEMORY_DEVICES=%d MEMORY_DURATION=%s scripts/bench.sh`.\n\n",
		o.devices, o.duration, m.date.Format(time.RFC3339), m.cpu, m.cores, float64(m.memory)/(1<<30), m.kernel, m.goVersion, r.loadStart, r.loadEnd, o.devices, o.duration)
	fmt.Fprintf(&b, "hamletd (built as `make build` does) runs against a real Mosquitto and InfluxDB 1.8 with %d devices declared in its config: "+
		"%d Tasmota street lights with energy meters, %d Shelly Plus 1PM relays, %d native lights, %d native speakers and %d cameras of one Frigate. "+
		"The simulator (`sim`) connects each device on its own MQTT connection with its Last Will (the cameras share their Frigate's: %d connections), "+
		"so each publishes its availability online, and each reports as its firmware does every %s (its first report at a random point of the first period, "+
		"so the load is spread). hamletd's VmRSS (`/proc/<pid>/status`) and goroutines (`/metrics`) are sampled every %s. "+
		"**Baseline**, same process, same run: hamletd with the same devices declared, for %s before any of them connects. "+
		"Connecting them all took %s.\n\n",
		r.declared, s.Lights, s.Shelly, s.NativeLights, s.Speakers, s.Cameras, connections(s), o.period, o.every, o.idle, r.connectTook.Round(100*time.Millisecond))
	fmt.Fprintf(&b, "| | value |\n|---|---:|\n")
	fmt.Fprintf(&b, "| baseline RSS (median, devices declared, none connected) | %.1f MB |\n", mb(idleMed))
	fmt.Fprintf(&b, "| peak RSS while %d devices report (samples) | **%.1f MB** (%.2f× the baseline) |\n", r.declared, mb(peak), float64(peak)/float64(idleMed))
	fmt.Fprintf(&b, "| peak RSS of the process (VmHWM, the whole run) | %.1f MB (%.1f MB once every device had connected) |\n", mb(r.hwm), mb(r.hwmConnected))
	at := r.loaded[slices.IndexFunc(r.loaded, func(s sample) bool { return s.rss == peak })]
	fmt.Fprintf(&b, "| of the peak sample: anonymous (Go heap in use %.1f MB, runtime, stacks) / file-backed (the binary's pages) | %.1f / %.1f MB |\n",
		at.heap/(1<<20), mb(at.anon), mb(at.file))
	fmt.Fprintf(&b, "| median RSS, first minute → last minute | %.1f → %.1f MB |\n", mb(first), mb(last))
	fmt.Fprintf(&b, "| reports handled (`hamlet_ingest_reports_total`) | %.0f (%.0f/s; the periodic telemetry is %.0f/s, as a Tasmota light sends STATE and SENSOR each period; the rest is motion, state and availability) |\n", r.reports, r.reportsPerS, r.expect)
	fmt.Fprintf(&b, "| points written to InfluxDB | %.0f |\n", r.written)
	fmt.Fprintf(&b, "| messages or points rejected, points dropped, MQTT connections lost | %.0f, %.0f, %.0f |\n", r.rejected, r.lost, r.mqttLost)
	fmt.Fprintf(&b, "| the benchmark's own RSS (simulator, %d connections) | %.0f MB |\n\n", connections(s), mb(r.selfRSS))
	fmt.Fprintf(&b, "- **Goal: under 60 MB**: %s (peak sample %.1f MB; VmHWM, which also catches what falls between samples, %.1f MB).\n",
		yes(peak < goalBytes && r.hwm < goalBytes), mb(peak), mb(r.hwm))
	fmt.Fprintf(&b, "- **Flat** (rule: the last minute's median RSS ≤ the first minute's × %.1f + %d MB): %s (last minute %.1f MB, limit %.1f MB).\n\n",
		flatFactor, flatSlack>>20, yes(flat), mb(last), float64(first)*flatFactor/(1<<20)+float64(flatSlack>>20))
	fmt.Fprintf(&b, "Per minute of the loaded phase:\n\n| minute | samples | RSS median MB | RSS max MB | goroutines (median) | reports/s |\n|---:|---:|---:|---:|---:|---:|\n")
	t0 := r.loaded[0].at
	for i := 0; time.Duration(i)*time.Minute < span; i++ {
		var in []sample
		for _, sm := range r.loaded {
			if off := sm.at - t0; off >= time.Duration(i)*time.Minute && off < time.Duration(i+1)*time.Minute {
				in = append(in, sm)
			}
		}
		if len(in) == 0 {
			continue
		}
		gs := make([]int64, len(in))
		for j, sm := range in {
			gs[j] = int64(sm.goroutines)
		}
		rate := 0.0
		if len(in) > 1 {
			rate = (in[len(in)-1].reports - in[0].reports) / (in[len(in)-1].at - in[0].at).Seconds()
		}
		fmt.Fprintf(&b, "| %d | %d | %.1f | %.1f | %d | %.0f |\n", i+1, len(in), mb(median(rssOf(in))), mb(slices.Max(rssOf(in))), median(gs), rate)
	}
	fmt.Fprintf(&b, "\n<details><summary>Every sample</summary>\n\n| t (s) | phase | RSS MB | anonymous MB | file-backed MB | Go heap in use MB | goroutines | reports |\n|---:|---|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range []struct {
		name string
		ss   []sample
	}{{"baseline", r.idle}, {"loaded", r.loaded}} {
		for _, sm := range p.ss {
			fmt.Fprintf(&b, "| %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f |\n", sm.at.Seconds(), p.name, mb(sm.rss), mb(sm.anon), mb(sm.file),
				sm.heap/(1<<20), sm.goroutines, sm.reports)
		}
	}
	fmt.Fprintf(&b, "\n</details>\n")
	return b.String()
}
