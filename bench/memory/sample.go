package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
)

// sample is one reading of hamletd.
type sample struct {
	at         time.Duration // since the benchmark started
	rss        int64         // VmRSS, bytes
	anon, file int64         // RssAnon (heap, stacks) and RssFile (the binary's pages), bytes
	heap       float64       // go_memstats_heap_inuse_bytes (0 when not exported)
	goroutines float64
	reports    float64 // hamlet_ingest_reports_total
}

// sampler reads hamletd's memory and counters every `every`.
type sampler struct {
	d     *bench.Daemon
	every time.Duration
	began time.Time
}

// run samples for d (the first sample at once, the last at d), and fails
// when hamletd exits.
func (s sampler) run(ctx context.Context, phase string, d time.Duration) ([]sample, error) {
	var out []sample
	end := time.Now().Add(d)
	for {
		sm, err := s.read()
		if err != nil {
			return out, fmt.Errorf("%s: %w", phase, err)
		}
		out = append(out, sm)
		left := time.Until(end)
		if left <= 0 {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-s.d.Done():
			return out, fmt.Errorf("%s: hamletd exited", phase)
		case <-time.After(min(s.every, left)):
		}
	}
}

func (s sampler) read() (sample, error) {
	rss := bench.StatusBytes(s.d.PID(), "VmRSS")
	m, err := s.d.Metrics()
	if err != nil {
		return sample{}, fmt.Errorf("hamletd metrics: %w", err)
	}
	if rss == 0 {
		return sample{}, fmt.Errorf("no VmRSS in /proc/%d/status", s.d.PID())
	}
	pid := s.d.PID()
	return sample{at: time.Since(s.began), rss: rss, anon: bench.StatusBytes(pid, "RssAnon"), file: bench.StatusBytes(pid, "RssFile"), heap: m["go_memstats_heap_inuse_bytes"], goroutines: m["go_goroutines"],
		reports: m["hamlet_ingest_reports_total"]}, nil
}

// machine describes where the benchmark ran.
type machine struct {
	cpu, kernel, goVersion string
	cores                  int
	memory                 int64
	date                   time.Time
}

func describeMachine() machine {
	m := machine{cpu: bench.ProcField("/proc/cpuinfo", "model name"), cores: runtime.NumCPU(), goVersion: runtime.Version(),
		date: time.Now().UTC()}
	if kb := bench.ProcField("/proc/meminfo", "MemTotal"); kb != "" {
		n, _ := strconv.ParseInt(strings.TrimSuffix(kb, " kB"), 10, 64)
		m.memory = n * 1024
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	return m
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
