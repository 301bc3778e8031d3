package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/sim"
)

// hamletClientID is the benchmark daemon's MQTT client id.
const hamletClientID = "hamletd-bench"

// runHamlet runs hamletd with the meters declared and measures from the
// first publish to the last point queryable in InfluxDB.
func runHamlet(ctx context.Context, o options, n int) (phase, error) {
	total := o.devices * o.messages
	prefix := fmt.Sprintf("h%d_", n)
	db := fmt.Sprintf("bench_%s_r%d", time.Now().Format("150405"), n)
	in := newInflux(o.influxURL, db)
	if _, err := in.query(ctx, "CREATE DATABASE "+db); err != nil {
		return phase{}, err
	}
	dir := filepath.Join(o.workDir, fmt.Sprintf("round%d", n))
	var (
		args      []string
		debugPort int
		err       error
	)
	if o.daemonProfile != "" && n == 1 {
		if args, debugPort, err = bench.DebugArgs(); err != nil {
			return phase{}, err
		}
	}
	d, err := startDaemon(ctx, o, dir, prefix, db, args...)
	if err != nil {
		return phase{}, err
	}
	defer d.stop(o)
	logf(o, "round %d: hamlet: publishing %d × %d at QoS 1 through hamletd (pid %d) into InfluxDB", n, o.devices, o.messages, d.pid())

	usage := startUsage(o, d.pid())
	type blastOut struct {
		res sim.BlastResult
		err error
	}
	pub := make(chan blastOut, 1)
	t0 := time.Now()
	go func() {
		res, err := sim.Blast(ctx, sim.BlastOptions{Broker: o.broker, Devices: o.devices, Messages: o.messages, Prefix: prefix,
			Clients: o.blastClients, Window: o.blastWindow})
		pub <- blastOut{res, err}
	}()
	if debugPort != 0 {
		profiled := make(chan error, 1)
		go func() {
			profiled <- bench.SaveProfile(debugPort, fmt.Sprintf("profile?seconds=%d", o.profileSeconds), o.daemonProfile)
		}()
		defer func() {
			if err := <-profiled; err != nil {
				logf(o, "hamletd CPU profile: %v", err)
			}
		}()
	}
	p := phase{total: total}
	deadline := t0.Add(o.phaseTimeout)
	for {
		if ok, err := d.claimsWritten(total); err != nil {
			return p, err
		} else if ok {
			all, err := p.countAll(ctx, in, t0)
			if err != nil {
				return p, err
			}
			if all {
				break
			}
		}
		if time.Now().After(deadline) {
			got, _ := in.count(ctx)
			return p, fmt.Errorf("InfluxDB holds %d of %d points after %s", got, total, o.phaseTimeout)
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
		case <-time.After(o.poll):
		}
	}
	usage.finish(&p)
	b := <-pub
	if b.err != nil {
		return p, b.err
	}
	p.publish = b.res.Duration
	p.metrics, _ = d.metrics()
	// hamletd's device ids are the topics with "-" for "_".
	bad, err := p.readBack(ctx, in, o, b.res.Start, func(i int) string {
		return strings.ReplaceAll(fmt.Sprintf("%s%04d", prefix, i), "_", "-")
	})
	if err != nil {
		return p, err
	}
	if bad > 0 {
		logf(o, "round %d: %d points in InfluxDB are not at their sequence number's time", n, bad)
	}
	return p, nil
}

// countAll asks InfluxDB for the count once, accounting the query in p,
// and reports whether every point of the phase is there; then p.elapsed is
// the time since t0.
func (p *phase) countAll(ctx context.Context, in *influx, t0 time.Time) (bool, error) {
	q0 := time.Now()
	got, err := in.count(ctx)
	p.polls++
	p.pollTime += time.Since(q0)
	if err != nil {
		return false, fmt.Errorf("count: %w", err)
	}
	if got < p.total {
		return false, nil
	}
	p.elapsed = time.Since(t0)
	return true, nil
}

// readBack reads every meter's sequence numbers back from InfluxDB (device
// names meter i's device tag) and sets p.received and p.lost; it returns
// how many points are not at their sequence number's time.
func (p *phase) readBack(ctx context.Context, in *influx, o options, start time.Time, device func(i int) string) (int, error) {
	seen, bad, err := in.sequences(ctx, o.messages, start)
	if err != nil {
		return 0, fmt.Errorf("read back: %w", err)
	}
	for i := range o.devices {
		for _, ok := range seen[device(i)] {
			if ok {
				p.received++
			}
		}
	}
	p.lost = p.total - p.received
	return bad, nil
}

// daemon is a running hamletd.
type daemon struct {
	*bench.Daemon
	broker string
}

func (d *daemon) pid() int { return d.PID() }

// startDaemon writes the config with the meters of prefix declared as
// lights, starts hamletd and waits for /readyz.
func startDaemon(ctx context.Context, o options, dir, prefix, db string, args ...string) (*daemon, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	port, err := bench.FreePort()
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `area: {id: bench, name: "Khu đo tải", timezone: Asia/Ho_Chi_Minh}
mqtt: {broker: %q, client_id: %s}
influx: {url: %q, bucket: "%s/autogen"}
http: {listen: "127.0.0.1:%d", public_url: "http://127.0.0.1:%d"}
storage: {dir: %q}
zones: [{id: z1, name: "Ngõ 1"}]
devices:
`, o.broker, hamletClientID, o.influxURL, db, port, port, filepath.Join(dir, "data"))
	for i := range o.devices {
		topic := fmt.Sprintf("%s%04d", prefix, i)
		fmt.Fprintf(&b, "  - {id: %s, kind: light, zone: z1, protocol: tasmota, topic: %s}\n", strings.ReplaceAll(topic, "_", "-"), topic)
	}
	conf := filepath.Join(dir, "hamlet.yaml")
	if err := os.WriteFile(conf, []byte(b.String()), 0o600); err != nil {
		return nil, err
	}
	bd, err := bench.StartDaemon(ctx, o.hamletd, conf, filepath.Join(dir, "hamletd.log"), port, 30*time.Second, args...)
	if err != nil {
		return nil, err
	}
	return &daemon{Daemon: bd, broker: o.broker}, nil
}

// claimsWritten reports whether hamletd's own counters say that at least
// total points reached InfluxDB (written directly or replayed from the
// spool). The benchmark asks InfluxDB for its count only from then on: a
// count over a growing database every poll would take influxd's CPU from the
// very ingest being measured. A wrong claim cannot shorten the measurement,
// only delay its end, since the end is still the count InfluxDB returns.
func (d *daemon) claimsWritten(total int) (bool, error) {
	m, err := d.metrics()
	if err != nil {
		return false, fmt.Errorf("hamletd metrics: %w", err)
	}
	return m["hamlet_telemetry_points_written_total"]+m["hamlet_telemetry_points_replayed_total"] >= float64(total), nil
}

// metrics scrapes the daemon's /metrics into series → value.
func (d *daemon) metrics() (map[string]float64, error) { return d.Metrics() }

// stop sends SIGTERM, waits up to 20s, then kills; finally it removes the
// daemon's persistent session from the broker so that the next phase does
// not feed it.
func (d *daemon) stop(o options) {
	if d.Stop(20 * time.Second) {
		logf(o, "hamletd did not stop within 20s; killed it")
	}
	if err := bench.DropSession(context.Background(), d.broker, hamletClientID); err != nil {
		logf(o, "hamlet: drop session: %v", err)
	}
}
