// Command memory is the memory benchmark: the resident memory of hamletd
// (VmRSS) and its goroutines, sampled every 10 s, while a simulated area of
// 5,000 devices reports every 10 s for 5 minutes (goal: under 60 MB, and
// flat). The area is the simulator's (sim): Tasmota street lights with
// energy meters, Shelly relays, native lights and speakers, and the cameras
// of one Frigate instance, each device on its own MQTT connection with its
// Last Will (the cameras share Frigate's), so each has its availability
// topic set online and reports as its firmware does. The baseline, in the
// same run and the same process, is hamletd with the same devices declared
// before any of them connects. Results go to bench/results.md (its own
// section). scripts/bench.sh runs it with the broker and InfluxDB it starts;
// alone:
//
//	go run ./bench/memory -hamletd ./hamletd -broker tcp://127.0.0.1:1883 \
//	    -influx http://127.0.0.1:8086 -devices 5000 -duration 5m -out bench/results.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/memory:", err)
		os.Exit(1)
	}
}

type options struct {
	hamletd, broker, influx, bucket, out, workDir string
	heapProfile                                   string // where hamletd's heap profile goes at the end of the loaded phase
	devices                                       int
	duration, idle, period, every                 time.Duration
	log                                           io.Writer
}

func parse(args []string, getenv func(string) string, stdout io.Writer) (options, error) {
	o := options{log: stdout}
	fs := flag.NewFlagSet("memory", flag.ContinueOnError)
	fs.StringVar(&o.hamletd, "hamletd", "", "the hamletd binary (required)")
	fs.StringVar(&o.broker, "broker", getenv("HAMLET_MQTT_BROKER"), "broker URL (default $HAMLET_MQTT_BROKER)")
	fs.StringVar(&o.influx, "influx", getenv("HAMLET_INFLUX_URL"), "InfluxDB URL (default $HAMLET_INFLUX_URL)")
	fs.StringVar(&o.bucket, "bucket", "hamlet/autogen", "InfluxDB database/retention policy")
	fs.IntVar(&o.devices, "devices", 5000, "simulated devices")
	fs.DurationVar(&o.duration, "duration", 5*time.Minute, "how long the devices report")
	fs.DurationVar(&o.idle, "idle", time.Minute, "the baseline: hamletd with the devices declared, before they connect")
	fs.DurationVar(&o.period, "period", 10*time.Second, "each device's telemetry period")
	fs.DurationVar(&o.every, "sample", 10*time.Second, "how often hamletd's memory is sampled")
	fs.StringVar(&o.out, "out", "", "results file whose memory section to write (e.g. bench/results.md)")
	fs.StringVar(&o.heapProfile, "hamletd-heapprofile", "", "write hamletd's heap profile at the end of the loaded phase to this file (through its --debug-listen)")
	fs.StringVar(&o.workDir, "workdir", "", "directory for hamletd's config, storage and log (default: a new temporary one)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var errs []error
	if o.hamletd == "" {
		errs = append(errs, errors.New("-hamletd is required"))
	}
	if o.broker == "" {
		errs = append(errs, errors.New("-broker or HAMLET_MQTT_BROKER is required"))
	}
	if o.devices < 10 {
		errs = append(errs, fmt.Errorf("-devices %d: at least 10", o.devices))
	}
	if o.duration < 2*time.Minute {
		errs = append(errs, fmt.Errorf("-duration %s: at least 2m (its first and last minutes are compared)", o.duration))
	}
	if o.every <= 0 || o.period <= 0 || o.idle < 0 {
		errs = append(errs, errors.New("-sample and -period must be positive, -idle not negative"))
	}
	return o, errors.Join(errs...)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	o, err := parse(args, getenv, stdout)
	if err != nil {
		return err
	}
	if o.workDir == "" {
		if o.workDir, err = os.MkdirTemp("", "hamlet-memory-"); err != nil {
			return err
		}
		defer os.RemoveAll(o.workDir)
	} else if err := os.MkdirAll(o.workDir, 0o750); err != nil {
		return err
	}
	res := result{o: o, machine: describeMachine(), loadStart: loadAverage()}
	spec := areaSpec(o.devices, o.period)
	res.spec = spec
	fleet, err := sim.New(spec, sim.Options{Broker: o.broker, Logger: slog.New(slog.DiscardHandler), ConnectTimeout: 30 * time.Second})
	if err != nil {
		return err
	}
	defer fleet.Close()
	res.declared = len(fleet.Devices())

	var debugArgs []string
	debugPort := 0
	if o.heapProfile != "" {
		if debugArgs, debugPort, err = bench.DebugArgs(); err != nil {
			return err
		}
	}
	d, err := startHamletd(ctx, o, fleet, debugArgs...)
	if err != nil {
		return err
	}
	defer d.Stop(20 * time.Second)
	logf(o, "hamletd (pid %d) ready with %d devices declared; baseline for %s", d.PID(), res.declared, o.idle)
	s := sampler{d: d, every: o.every, began: time.Now()}
	if res.idle, err = s.run(ctx, "idle", o.idle); err != nil {
		return err
	}

	logf(o, "connecting %d devices (%d connections) to %s", res.declared, connections(spec), o.broker)
	t0 := time.Now()
	if err := fleet.Start(ctx); err != nil {
		return err
	}
	res.connectTook = time.Since(t0)
	res.hwmConnected = bench.StatusBytes(d.PID(), "VmHWM")
	logf(o, "connected in %s; devices report every %s for %s", res.connectTook.Round(100*time.Millisecond), o.period, o.duration)
	m0, err := d.Metrics()
	if err != nil {
		return err
	}
	if res.loaded, err = s.run(ctx, "loaded", o.duration); err != nil {
		return err
	}
	m1, err := d.Metrics()
	if err != nil {
		return err
	}
	res.hwm = bench.StatusBytes(d.PID(), "VmHWM")
	if debugPort != 0 {
		if err := bench.SaveProfile(debugPort, "heap", o.heapProfile); err != nil {
			return fmt.Errorf("hamletd heap profile: %w", err)
		}
	}
	res.selfRSS = bench.StatusBytes(os.Getpid(), "VmRSS")
	res.counters(m0, m1)
	res.loadEnd = loadAverage()
	_ = fleet.Close()
	md := res.markdown()
	fmt.Fprint(o.log, md)
	if o.out != "" {
		return bench.WriteSection(o.out, sectionTitle, md)
	}
	return nil
}

// areaSpec spreads n devices over the simulator's kinds: half Tasmota
// street lights, a fifth Shelly relays, a tenth each native lights and
// native speakers, and the rest cameras of one Frigate, in 20 zones.
func areaSpec(n int, period time.Duration) sim.Spec {
	zones := make([]string, 20)
	for i := range zones {
		zones[i] = fmt.Sprintf("to-%02d", i+1)
	}
	s := sim.Spec{Area: "bench", Zones: zones, Period: period, Seed: 5000,
		Lights: n / 2, Shelly: n / 5, NativeLights: n / 10, Speakers: n / 10}
	s.Cameras = n - s.Lights - s.Shelly - s.NativeLights - s.Speakers
	return s
}

// connections is how many MQTT connections the area opens: one per device
// but the cameras, which share their Frigate's.
func connections(s sim.Spec) int {
	n := s.Lights + s.Shelly + s.NativeLights + s.Speakers
	if s.Cameras > 0 {
		n++
	}
	return n
}

// startHamletd writes a config declaring the fleet's devices and starts
// hamletd on it.
func startHamletd(ctx context.Context, o options, fleet *sim.Fleet, args ...string) (*bench.Daemon, error) {
	port, err := bench.FreePort()
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `area: {id: bench, name: "Khu đo bộ nhớ", timezone: Asia/Ho_Chi_Minh}
mqtt: {broker: %q, client_id: hamletd-memory}
http: {listen: "127.0.0.1:%d", public_url: "http://127.0.0.1:%d"}
storage: {dir: %q}
log: {level: warn}
`, o.broker, port, port, filepath.Join(o.workDir, "data"))
	if o.influx != "" {
		fmt.Fprintf(&b, "influx: {url: %q, bucket: %q}\n", o.influx, o.bucket)
	}
	if err := fleet.WriteConfig(&b); err != nil {
		return nil, err
	}
	conf := filepath.Join(o.workDir, "hamlet.yaml")
	if err := os.WriteFile(conf, []byte(b.String()), 0o600); err != nil {
		return nil, err
	}
	return bench.StartDaemon(ctx, o.hamletd, conf, filepath.Join(o.workDir, "hamletd.log"), port, time.Minute, args...)
}

func logf(o options, format string, args ...any) {
	fmt.Fprintf(o.log, "bench/memory: "+format+"\n", args...)
}
