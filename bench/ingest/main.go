// Command ingest is hamlet's end-to-end ingest benchmark, run by `make bench`
// (scripts/bench.sh, which starts a fresh Mosquitto and InfluxDB 1.8 and
// builds hamletd as `make build` does).
//
// Each round has two phases on the same broker:
//
//   - ceiling: a bare paho subscriber (QoS 1, persistent session, acks on
//     return) that only counts. The simulator's Blast publishes Devices ×
//     Messages Tasmota energy-meter messages at QoS 1; the phase lasts from
//     the first publish to the last message received.
//   - hamlet: the real hamletd binary with the meters declared as lights,
//     exporting to InfluxDB. The same Blast runs; the phase lasts from the
//     first publish to the moment `SELECT count(energy_kwh) FROM light`
//     returns Devices × Messages, polled every -poll. Nothing is subtracted.
//     The daemon's CPU time and peak RSS are read from /proc, and the sequence
//     numbers of every meter are checked in InfluxDB afterwards.
//   - telegraf (with -telegraf): Telegraf's mqtt_consumer at QoS 1 on a
//     persistent session into influxdb_v2 (telegraf.go), on the same load,
//     measured the same way, for the ratios hamlet/Telegraf.
//
// The ratio hamlet/ceiling of each round, the resources and the machine are
// printed and written to -out (bench/results.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the benchmark's flags.
type options struct {
	broker, influxURL string
	hamletd           string
	telegraf          string // the Telegraf binary; empty: no Telegraf phase
	devices, messages int
	rounds            int
	poll              time.Duration
	phaseTimeout      time.Duration
	out               string
	workDir           string
	mosquittoPID      int
	influxdPID        int
	note              string
	log               io.Writer

	// Publisher shape (0: sim.Blast's defaults) and the ack-path comparison.
	blastClients, blastWindow int
	hamletdPaho               string // hamletd built with -tags paho_ack: -compare measures it too
	compare                   bool
	gentleClients             int
	gentleWindow              int

	// daemonProfile, when set, is where a CPU profile of hamletd during
	// the first round's hamlet phase goes, profileSeconds long.
	daemonProfile  string
	profileSeconds int
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.broker, "broker", getenv("HAMLET_MQTT_BROKER"), "Mosquitto URL (default $HAMLET_MQTT_BROKER)")
	fs.StringVar(&o.influxURL, "influx", getenv("HAMLET_INFLUX_URL"), "InfluxDB 1.8 URL (default $HAMLET_INFLUX_URL)")
	fs.StringVar(&o.hamletd, "hamletd", "", "the hamletd binary to run (required)")
	fs.StringVar(&o.telegraf, "telegraf", "", "the Telegraf binary: each round also measures Telegraf on the same load (empty: not)")
	fs.IntVar(&o.devices, "devices", 1000, "simulated Tasmota energy meters")
	fs.IntVar(&o.messages, "messages", 200, "messages per meter")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds of ceiling then hamlet")
	fs.DurationVar(&o.poll, "poll", 200*time.Millisecond, "how often InfluxDB is asked for the count")
	fs.DurationVar(&o.phaseTimeout, "phase-timeout", 3*time.Minute, "longest a phase may take")
	fs.StringVar(&o.out, "out", "", "write the results as Markdown to this file")
	fs.StringVar(&o.workDir, "workdir", "", "directory for hamletd's config and data (default: a temporary one)")
	fs.IntVar(&o.mosquittoPID, "mosquitto-pid", atoi(getenv("MOSQUITTO_PID")), "Mosquitto's PID, to report its CPU time (default $MOSQUITTO_PID)")
	fs.IntVar(&o.influxdPID, "influxd-pid", atoi(getenv("INFLUXD_PID")), "influxd's PID, to report its CPU time (default $INFLUXD_PID)")
	fs.StringVar(&o.note, "note", "", "a note written into the results (e.g. what was changed)")
	fs.BoolVar(&o.compare, "compare", false, "compare hamletd's acknowledgement paths (the default build and -hamletd-paho) with the benchmark's publisher and a gentler one, one hamlet phase each; prints a Markdown section, does not write -out")
	fs.StringVar(&o.hamletdPaho, "hamletd-paho", "", "hamletd built with -tags paho_ack (paho's own acknowledgement path), for -compare")
	fs.IntVar(&o.gentleClients, "gentle-clients", 4, "connections of the gentler publisher of -compare")
	fs.IntVar(&o.gentleWindow, "gentle-window", 16, "unacknowledged publishes per connection of the gentler publisher of -compare")
	fs.StringVar(&o.daemonProfile, "hamletd-cpuprofile", "", "write a CPU profile of hamletd during the first round's hamlet phase to this file (through its --debug-listen)")
	fs.IntVar(&o.profileSeconds, "hamletd-cpuprofile-seconds", 6, "how long -hamletd-cpuprofile profiles, from the first publish")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.broker == "":
		return o, errors.New("-broker (or HAMLET_MQTT_BROKER) is required")
	case o.influxURL == "":
		return o, errors.New("-influx (or HAMLET_INFLUX_URL) is required")
	case o.hamletd == "":
		return o, errors.New("-hamletd is required")
	case o.devices < 1 || o.devices > 9999:
		return o, fmt.Errorf("-devices %d: want 1 to 9999", o.devices)
	case o.messages < 1 || o.rounds < 1:
		return o, errors.New("-messages and -rounds must be positive")
	case o.compare && o.hamletdPaho == "":
		return o, errors.New("-compare needs -hamletd-paho")
	}
	return o, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// run runs every round and reports.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	o.log = stderr
	if o.workDir == "" {
		dir, err := os.MkdirTemp("", "hamlet-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.workDir = dir
	}
	m := describeMachine(o)
	if o.compare {
		return compare(ctx, o, m, stdout)
	}
	var rounds []round
	for r := 1; r <= o.rounds; r++ {
		c, err := runCeiling(ctx, o, r)
		if err != nil {
			return fmt.Errorf("round %d: ceiling: %w", r, err)
		}
		h, err := runHamlet(ctx, o, r)
		if err != nil {
			return fmt.Errorf("round %d: hamlet: %w", r, err)
		}
		rounds = append(rounds, round{n: r, ceiling: c, hamlet: h})
		logf(o, "round %d: ceiling %.0f msg/s, hamlet %.0f msg/s, ratio %.2f, peak RSS %.1f MB, lost %d",
			r, c.rate(), h.rate(), h.rate()/c.rate(), mb(h.peakRSS), h.lost)
	}
	// Telegraf's rounds come after all of hamlet's, so that InfluxDB's
	// compaction of Telegraf's points never runs under a ceiling or hamlet
	// phase: the ratio hamlet/ceiling stays what it was without Telegraf.
	for i := range rounds {
		if o.telegraf == "" {
			break
		}
		tg, err := runTelegraf(ctx, o, rounds[i].n)
		if err != nil {
			return fmt.Errorf("round %d: telegraf: %w", rounds[i].n, err)
		}
		rounds[i].telegraf = &tg
		logf(o, "round %d: telegraf %.0f msg/s, peak RSS %.1f MB, lost %d", rounds[i].n, tg.rate(), mb(tg.peakRSS), tg.lost)
	}
	rep := report{opts: o, machine: m, rounds: rounds}
	fmt.Fprint(stdout, rep.table())
	if o.out != "" {
		// Only this benchmark's section: other programs own the rest of the file.
		if err := bench.WriteSection(o.out, "# Ingest benchmark: hamletd against a bare MQTT subscriber", rep.markdown()); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
		logf(o, "results written to %s", o.out)
	}
	for _, r := range rounds {
		if r.hamlet.lost != 0 {
			return fmt.Errorf("round %d: hamlet lost %d points", r.n, r.hamlet.lost)
		}
	}
	return nil
}

// logf prints progress to the log writer.
func logf(o options, format string, args ...any) {
	fmt.Fprintf(o.log, "bench: "+format+"\n", args...)
}
