package e2e

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
)

// soakFault is one fault a soak cycle injects while a stream of telemetry
// flows: each must end with every point in InfluxDB.
type soakFault struct {
	name   string
	inject func(r *rig, pub *publisher)
}

var soakFaults = []soakFault{
	{"InfluxDB outage", func(r *rig, pub *publisher) {
		r.influx.Stop()
		time.Sleep(10 * time.Second)
		r.influx.Start()
	}},
	{"broker restart", func(r *rig, pub *publisher) {
		r.mq.Stop()
		pub.restart()
		r.mq.Start()
	}},
	{"hamletd SIGKILL", func(r *rig, pub *publisher) {
		r.d.kill()
		r.d.start()
	}},
	{"garbage flood", func(r *rig, pub *publisher) {
		publishGarbage(r.t, r.mq.URL(), "tele/"+r.topics[0]+"/SENSOR", 500)
	}},
}

// TestSoak runs cycles of a 20,000-message stream with a fault in each
// (InfluxDB outage, broker restart, hamletd SIGKILL, garbage) for
// HAMLET_SOAK (e.g. 30m; make soak), checking after each that InfluxDB holds
// every point, and that hamletd's memory and goroutines stay flat. Not run
// unless HAMLET_SOAK is set: it is long by design, and bounded by it.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("HAMLET_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("soak: set HAMLET_SOAK to a duration (make soak) to run it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+5*time.Minute)
	defer cancel()
	r := &rig{t: t, ctx: ctx, topics: blastTopics(blastPrefix, blastDevices)}
	r.mq = testsvc.StartMosquitto(t)
	r.influx = testsvc.StartInflux(t)
	r.d = startHamletd(t, fleetConfig{Broker: r.mq.URL(), InfluxURL: r.influx.URL(), Bucket: r.influx.Bucket(), Lights: r.topics})

	type sample struct {
		cycle      int
		fault      string
		rssMB      float64
		goroutines float64
		took       time.Duration
	}
	var samples []sample
	end := time.Now().Add(d)
	for cycle := 0; time.Now().Before(end); cycle++ {
		f := soakFaults[cycle%len(soakFaults)]
		began := time.Now()
		before := max(r.d.metric("hamlet_ingest_reports_total"), 0) // a fresh process after a SIGKILL counts from 0
		pub := publish(ctx, r.mq.URL(), blastPrefix, blastDevices, blastMessages)
		r.d.waitMetric(ctx, "hamlet_ingest_reports_total", before+blastTotal/5, 2*time.Minute)
		f.inject(r, pub)
		p := r.published(pub)
		requireAll(t, r.influx, r.lights(p.res.Start), settleTimeout)
		r.influx.Query(t, `DROP MEASUREMENT "light"`) // the next cycle's sequence check starts clean
		m, err := r.d.metrics()
		if err != nil {
			t.Fatal(err)
		}
		s := sample{cycle: cycle, fault: f.name, rssMB: m["process_resident_memory_bytes"] / (1 << 20),
			goroutines: m["go_goroutines"], took: time.Since(began)}
		samples = append(samples, s)
		t.Logf("soak cycle %d (%s): every point kept; RSS %.1f MB, %v goroutines, %s", cycle, f.name, s.rssMB, s.goroutines, s.took.Round(time.Second))
	}
	if len(samples) < 4 {
		t.Fatalf("only %d cycles in %s: too short to judge", len(samples), d)
	}
	// Flat: the last quarter's peaks within 30 % (memory) and 20 % (goroutines)
	// of the second quarter's, after the daemon warmed up.
	q := len(samples) / 4
	peak := func(ss []sample, f func(sample) float64) float64 {
		m := 0.0
		for _, s := range ss {
			m = max(m, f(s))
		}
		return m
	}
	rss := func(s sample) float64 { return s.rssMB }
	gor := func(s sample) float64 { return s.goroutines }
	early, late := samples[q:2*q], samples[len(samples)-q:]
	var table strings.Builder
	fmt.Fprintf(&table, "| cycle | fault | RSS MB | goroutines | took |\n|---:|---|---:|---:|---:|\n")
	for _, s := range samples {
		fmt.Fprintf(&table, "| %d | %s | %.1f | %.0f | %s |\n", s.cycle, s.fault, s.rssMB, s.goroutines, s.took.Round(time.Second))
	}
	verdict := "flat"
	if peak(late, rss) > 1.3*peak(early, rss) || peak(late, gor) > 1.2*peak(early, gor)+5 {
		verdict = "NOT flat"
		t.Errorf("hamletd grows: RSS peak %.1f → %.1f MB, goroutines %.0f → %.0f", peak(early, rss), peak(late, rss), peak(early, gor), peak(late, gor))
	}
	if out := os.Getenv("HAMLET_SOAK_OUT"); out != "" {
		load, _ := os.ReadFile("/proc/loadavg")
		body := fmt.Sprintf("# Soak: faults while telemetry flows\n\nWritten by `make soak` (SOAK=%s) on %s, %d CPUs, %s, load average %s at the end. %d cycles of %d QoS 1 messages "+
			"(%d meters × %d), each with one fault; after every cycle InfluxDB held every point (sequence-checked). "+
			"Memory and goroutines: %s (last quarter's peaks %.1f MB / %.0f against the second quarter's %.1f MB / %.0f).\n\n%s",
			d, time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.Version(), strings.Join(strings.Fields(string(load))[:3], " "), len(samples), blastTotal, blastDevices, blastMessages,
			verdict, peak(late, rss), peak(late, gor), peak(early, rss), peak(early, gor), table.String())
		if err := bench.WriteSection(out, "# Soak: faults while telemetry flows", body); err != nil {
			t.Error(err)
		}
	}
}
