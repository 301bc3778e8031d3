// Command uptime is the uptime report benchmark: a generated year of one
// area (1,000 devices, about 500,000 availability transitions, monthly
// daemon restarts with a power cut, maintenance windows) is written to a
// fresh store and to InfluxDB; then the area's uptime report and its outage
// list are computed from each, timed, with the heap's peak growth sampled
// during the computation. The baseline, measured in the same run, is reading
// the same transitions from the store without computing anything. Results
// go to bench/results.md (its own section). scripts/bench.sh runs it with
// the InfluxDB it starts; alone:
//
//	go run ./bench/uptime -influx http://127.0.0.1:8086 -out bench/results.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
	"github.com/hamlet-vn/hamlet/uptime"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench/uptime:", err)
		os.Exit(1)
	}
}

type options struct {
	devices, perDevice, rounds int
	influxRounds               int
	load                       [2]string // load averages at the start and the end
	influx, bucket, out        string
	dir, cpuProfile            string
}

// measurement is one timed computation.
type measurement struct {
	name     string
	times    []time.Duration
	peakHeap uint64 // the most the live heap grew above its level before, over every round
	note     string
}

func (m measurement) median() time.Duration {
	s := slices.Clone(m.times)
	slices.Sort(s)
	return s[len(s)/2]
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("uptime", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.devices, "devices", 1000, "devices in the area")
	fs.IntVar(&o.perDevice, "per-device", 500, "transitions per device over the year (about)")
	fs.IntVar(&o.rounds, "rounds", 5, "timed rounds of each local computation")
	fs.IntVar(&o.influxRounds, "influx-rounds", 1, "timed rounds of each InfluxDB computation (no warm-up)")
	fs.StringVar(&o.influx, "influx", getenv("HAMLET_INFLUX_URL"), "InfluxDB 1.8 URL; empty: local only (default $HAMLET_INFLUX_URL)")
	fs.StringVar(&o.bucket, "bucket", "hamlet/autogen", "InfluxDB bucket (database/retention)")
	fs.StringVar(&o.out, "out", "", "write the results into this Markdown file's uptime section")
	fs.StringVar(&o.dir, "store", "", "keep the generated store in this directory and reuse it when present (default: a temporary one)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the timed local rounds to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.load[0] = loadAvg()
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench/uptime: "+format+"\n", a...) }

	dir := o.dir
	_, statErr := os.Stat(filepath.Join(dir, store.FileName))
	reuse := dir != "" && statErr == nil
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "hamlet-uptime-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	db, err := store.Open(ctx, dir, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	h := &history{area: "bench-uptime", from: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),
		to: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), fleet: fleet(o.devices), perDevice: o.perDevice}
	h.plan()
	start := time.Now()
	if reuse {
		h.each(func(devices.Device, devices.Transition) error { return nil }) // count them
		logf("store: reusing %s", dir)
	} else if err := h.writeStore(ctx, db); err != nil {
		return fmt.Errorf("write store: %w", err)
	}
	logf("store: %d transitions of %d devices, %d runs", h.transitions, o.devices, len(h.runs))
	_ = start
	db.Now = time.Now

	catalogue := make([]uptime.Device, len(h.fleet))
	for i, d := range h.fleet {
		catalogue[i] = uptime.Device{ID: d.ID, Kind: d.Kind, Zone: d.Zone}
	}
	opts := uptime.Options{Area: h.area, Store: db, Devices: func() []uptime.Device { return catalogue },
		Now: func() time.Time { return h.to.Add(time.Hour) }}
	svc := uptime.New(opts)
	year := uptime.Query{From: h.from, To: h.to}
	month := uptime.Query{From: h.to.AddDate(0, -1, 0), To: h.to}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var ms []measurement
	var buf []store.Transition
	var scanned int
	ms = append(ms, measure(o.rounds, "baseline: read the year's transitions from the store, device by device", func() error {
		scanned = 0
		tr, err := db.TransitionReader(ctx)
		if err != nil {
			return err
		}
		defer tr.Close()
		for _, d := range catalogue {
			if buf, err = tr.DeviceTransitions(ctx, d.ID, year.From, year.To, buf[:0]); err != nil {
				return err
			}
			scanned += len(buf)
		}
		return nil
	}))
	var local *uptime.Report
	ms = append(ms, measure(o.rounds, "local: area uptime report, one year (closed months cached from an earlier report)", func() (err error) {
		local, err = svc.Uptime(ctx, year)
		return err
	}))
	ms[len(ms)-1].note = fmt.Sprintf("month cache %.1f MB", float64(svc.CacheBytes())/1e6)
	var n int
	ms = append(ms, measure(o.rounds, "local: outage list, one year", func() error {
		n = 0
		return svc.Outages(ctx, year, func(uptime.Outage) error { n++; return nil })
	}))
	ms[len(ms)-1].note = fmt.Sprintf("%d outages", n)
	ms = append(ms, measure(o.rounds, "local: area uptime report, one year, cold (a new service: the CLI's case)", func() error {
		_, err := uptime.New(opts).Uptime(ctx, year)
		return err
	}))
	ms = append(ms, measure(o.rounds, "local: area uptime report, last month", func() error {
		_, err := svc.Uptime(ctx, month)
		return err
	}))
	ms = append(ms, measure(o.rounds, "local: uptime report with the daily breakdown (group=day), one year", func() error {
		q := year
		q.Daily = true
		_, err := svc.Uptime(ctx, q)
		return err
	}))
	logf("local: %d transitions read, report %v, outages %v", scanned, ms[1].median(), ms[2].median())

	agree := "not measured (no -influx)"
	if o.influx != "" {
		start := time.Now()
		npoints, err := writeInflux(ctx, o, h)
		if err != nil {
			return fmt.Errorf("write InfluxDB: %w", err)
		}
		logf("influx: %d points written in %v", npoints, time.Since(start).Round(time.Millisecond))
		opts.Influx = uptime.NewInflux(uptime.InfluxOptions{URL: o.influx, Bucket: o.bucket, Timeout: 10 * time.Minute})
		svc := uptime.New(opts)
		iq := year
		iq.Source, iq.Area = uptime.SourceInflux, h.area
		var ir *uptime.Report
		ms = append(ms, measureCold(o.influxRounds, "InfluxDB (Flux): area uptime report, one year", func() (err error) {
			ir, err = svc.Uptime(ctx, iq)
			return err
		}))
		ms = append(ms, measureCold(o.influxRounds, "InfluxDB (Flux): outage list, one year", func() error {
			n = 0
			return svc.Outages(ctx, iq, func(uptime.Outage) error { n++; return nil })
		}))
		ms[len(ms)-1].note = fmt.Sprintf("%d outages", n)
		agree = "yes"
		if ir.Total.Seconds != local.Total.Seconds && !sameSeconds(ir.Total.Seconds, local.Total.Seconds) {
			agree = fmt.Sprintf("NO: local %+v, InfluxDB %+v", local.Total.Seconds, ir.Total.Seconds)
		}
		logf("influx: report %v, outages %v, agrees with local: %s", ms[len(ms)-2].median(), ms[len(ms)-1].median(), agree)
	}
	o.load[1] = loadAvg()
	md := markdown(o, h, ms, local, agree)
	fmt.Fprint(stdout, md)
	if o.out != "" {
		return writeSection(o.out, md)
	}
	return nil
}

func sameSeconds(a, b uptime.Seconds) bool {
	return a.Up == b.Up && a.Down == b.Down && a.Unknown == b.Unknown && a.Maintenance == b.Maintenance && a.Outages == b.Outages
}

// measure runs fn rounds times after one warm-up, timing each and sampling
// the live heap every millisecond.
func measure(rounds int, name string, fn func() error) measurement {
	if err := fn(); err != nil {
		return measurement{name: name, note: "error: " + err.Error(), times: []time.Duration{0}}
	}
	return measureCold(rounds, name, fn)
}

// loadAvg returns the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// measureCold is measure without the warm-up.
func measureCold(rounds int, name string, fn func() error) measurement {
	m := measurement{name: name}
	for range max(rounds, 1) {
		runtime.GC()
		base := heapBytes()
		var peak atomic.Uint64
		done := make(chan struct{})
		go func() {
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					if h := heapBytes(); h > base && h-base > peak.Load() {
						peak.Store(h - base)
					}
				}
			}
		}()
		start := time.Now()
		err := fn()
		m.times = append(m.times, time.Since(start))
		close(done)
		if err != nil {
			m.note = "error: " + err.Error()
		}
		m.peakHeap = max(m.peakHeap, peak.Load())
	}
	return m
}

// heapBytes is the heap memory occupied by objects, live or not yet swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// writeInflux creates the database and writes the year's points in batches.
func writeInflux(ctx context.Context, o options, h *history) (int, error) {
	db, _, _ := strings.Cut(o.bucket, "/")
	if err := post(ctx, o.influx+"/query", url.Values{"q": {"CREATE DATABASE " + db}}.Encode(), "application/x-www-form-urlencoded"); err != nil {
		return 0, err
	}
	target := o.influx + "/write?" + url.Values{"db": {db}, "precision": {"ns"}}.Encode()
	var l telemetry.Lines
	n := 0
	flush := func() error {
		if l.Points() == 0 {
			return nil
		}
		n += l.Points()
		err := post(ctx, target, string(l.Bytes()), "text/plain; charset=utf-8")
		l.Reset()
		return err
	}
	if err := h.points(&l, flush); err != nil {
		return n, err
	}
	return n, flush()
}

func post(ctx context.Context, u, body, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", u, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return errors.New(resp.Status + ": " + string(msg))
	}
	return nil
}
