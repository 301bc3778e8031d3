package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/uptime"
)

const title = "# Uptime report benchmark: a year of one area, locally and from InfluxDB"

// goal is the target for the local area report.
const goal = 300 * time.Millisecond

func markdown(o options, h *history, ms []measurement, local *uptime.Report, agree string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nWritten by `make bench` (bench/uptime) on %s. Do not edit by hand; rerun it.\n\n",
		title, time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s, %s; load average (1, 5, 15 min) %s at the start, %s at the end "+
		"(the machine is shared: with a load far above its 2 cores, every time below is stretched).\n\n",
		cpuName(), runtime.NumCPU(), memTotal(), runtime.Version(), o.load[0], o.load[1])
	fmt.Fprintf(&b, "Data: %d devices (40%% lights, 30%% cameras, 30%% speakers, 10 zones), %d availability transitions "+
		"over %s – %s, %d daemon runs (monthly restarts, one ending in a power cut), 24 maintenance windows. "+
		"The report: %d devices, uptime %s, %d outages.\n\n",
		len(h.fleet), h.transitions, h.from.Format(time.DateOnly), h.to.Format(time.DateOnly), len(h.runs),
		len(local.Devices), pct(local.Total.UptimePct), local.Total.Outages)
	b.WriteString("| computation | median | min | max | × baseline | peak heap growth | notes |\n|---|---:|---:|---:|---:|---:|---|\n")
	base := ms[0].median()
	for _, m := range ms {
		lo, hi := m.times[0], m.times[0]
		for _, t := range m.times {
			lo, hi = min(lo, t), max(hi, t)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f | %.1f MB | %s |\n", m.name, ms3(m.median()), ms3(lo), ms3(hi),
			float64(m.median())/float64(base), float64(m.peakHeap)/1e6, m.note)
	}
	verdict := "met"
	if ms[1].median() >= goal {
		verdict = "NOT met"
	}
	fmt.Fprintf(&b, "\nGoal: the local area report for a year under %v: %s (median %s). Memory stays flat: the year's peak heap growth "+
		"(%.1f MB) against the last month's (%.1f MB); transitions are read one device at a time into one reused buffer and never "+
		"held for the whole year; closed months (ended an hour ago or more) are kept packed, about 7 bytes a transition, in a "+
		"month cache bounded to 8 MB, so a report reads the store only for the months at its edges. InfluxDB and local reports agree on the totals: %s.\n\n",
		goal, verdict, ms3(ms[1].median()), float64(ms[1].peakHeap)/1e6, float64(ms[4].peakHeap)/1e6, agree)
	b.WriteString("Method: local computations get one warm-up, then timed rounds; InfluxDB ones are timed cold, without warm-up; all in this process (`go run ./bench/uptime`); heap growth is the " +
		"most `/memory/classes/heap/objects:bytes` rose above its level after a GC, sampled every millisecond. The store " +
		"is a fresh SQLite file on the local disk; InfluxDB 1.8.10 is the one `scripts/bench.sh` starts, with heartbeats " +
		"every minute in the generated data (the daemon writes one every 5 s). Rerun: `make bench`, or " +
		"`go run ./bench/uptime -influx http://127.0.0.1:8086 -out bench/results.md`.\n")
	return b.String()
}

func writeSection(path, md string) error { return bench.WriteSection(path, title, md) }

func ms3(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f %%", *p)
}

func cpuName() string { return bench.ProcField("/proc/cpuinfo", "model name") }

func memTotal() string {
	kb := strings.TrimSuffix(bench.ProcField("/proc/meminfo", "MemTotal"), " kB")
	var n float64
	fmt.Sscan(kb, &n)
	return fmt.Sprintf("%.1f GiB", n/1024/1024)
}
