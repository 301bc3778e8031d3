package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/sim"
)

// round is one ceiling phase and the hamlet phase that followed it.
type round struct {
	n        int
	ceiling  phase
	hamlet   phase
	telegraf *phase // nil without -telegraf
}

// phase is the measurement of one phase.
type phase struct {
	total     int           // messages published
	elapsed   time.Duration // first publish to last message received or last point queryable
	publish   time.Duration // Blast's own duration, first connection to last PUBACK
	received  int           // distinct messages received or points stored
	lost      int           // total - received (hamlet: sequence numbers missing in InfluxDB)
	extra     int           // messages received beyond total (QoS 1 duplicates)
	peakRSS   int64         // bytes, VmHWM of the subscriber (hamletd), 0 for the ceiling
	cpu       time.Duration // user+system CPU of the subscriber during elapsed (hamletd only)
	brokerCPU time.Duration // Mosquitto's CPU during elapsed
	influxCPU time.Duration // influxd's CPU during elapsed
	benchCPU  time.Duration // this program's CPU (publisher, counting or polling)
	others    time.Duration // CPU of every other process on the machine meanwhile
	polls     int           // count queries sent (hamlet)
	pollTime  time.Duration // their total duration
	metrics   map[string]float64
}

// rate is the end-to-end rate in messages per second.
func (p phase) rate() float64 {
	if p.elapsed <= 0 {
		return 0
	}
	return float64(p.total) / p.elapsed.Seconds()
}

// ceilingClientID is the bare subscriber's client id.
const ceilingClientID = "bench-ceiling"

// runCeiling measures the broker's ceiling: a paho subscriber on a persistent
// session (the same QoS and session as hamletd and as Telegraf configured not
// to lose data), acknowledging each message when its handler returns and
// doing nothing but count.
func runCeiling(ctx context.Context, o options, n int) (phase, error) {
	total := o.devices * o.messages
	var count atomic.Int64
	last := make(chan time.Time, 1)
	opts := mqtt.NewClientOptions().AddBroker(o.broker).SetClientID(ceilingClientID).
		SetCleanSession(false).SetOrderMatters(true).SetAutoReconnect(false).
		SetKeepAlive(30 * time.Second).SetConnectTimeout(10 * time.Second)
	c := mqtt.NewClient(opts)
	if err := waitToken(ctx, c.Connect()); err != nil {
		return phase{}, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		c.Disconnect(250)
		if err := bench.DropSession(ctx, o.broker, ceilingClientID); err != nil {
			logf(o, "ceiling: drop session: %v", err)
		}
	}()
	handler := func(_ mqtt.Client, _ mqtt.Message) {
		if count.Add(1) == int64(total) {
			last <- time.Now()
		}
	}
	if err := waitToken(ctx, c.Subscribe("tele/+/SENSOR", 1, handler)); err != nil {
		return phase{}, fmt.Errorf("subscribe: %w", err)
	}
	logf(o, "round %d: ceiling: publishing %d × %d at QoS 1 to a bare counting subscriber", n, o.devices, o.messages)
	usage := startUsage(o, 0)
	t0 := time.Now()
	res, err := sim.Blast(ctx, sim.BlastOptions{Broker: o.broker, Devices: o.devices, Messages: o.messages,
		Prefix: fmt.Sprintf("c%d_", n)})
	if err != nil {
		return phase{}, err
	}
	t1, err := waitLast(ctx, o, last, &count, total)
	if err != nil {
		return phase{}, err
	}
	p := phase{total: total, elapsed: t1.Sub(t0), publish: res.Duration, received: total}
	usage.finish(&p)
	// Wait a moment for duplicates, which would show the counter overstating.
	time.Sleep(200 * time.Millisecond)
	p.extra = int(count.Load()) - total
	return p, nil
}

// waitLast waits for the time the last message arrived. It fails when the
// count stops growing for stallTimeout (the broker dropped messages, e.g. its
// max_queued_messages was reached) or after the phase timeout.
func waitLast(ctx context.Context, o options, last <-chan time.Time, count *atomic.Int64, total int) (time.Time, error) {
	const stallTimeout = 10 * time.Second
	deadline := time.Now().Add(o.phaseTimeout)
	seen, since := count.Load(), time.Now()
	for {
		select {
		case t := <-last:
			return t, nil
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		n := count.Load()
		switch {
		case n != seen:
			seen, since = n, time.Now()
		case time.Since(since) > stallTimeout:
			return time.Time{}, fmt.Errorf("received %d of %d messages and nothing more for %s: the broker dropped messages (is its max_queued_messages below the burst?)", n, total, stallTimeout)
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("received %d of %d messages within %s", n, total, o.phaseTimeout)
		}
	}
}

// waitToken waits for a paho token, at most 30s.
func waitToken(ctx context.Context, t mqtt.Token) error {
	select {
	case <-t.Done():
		return t.Error()
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(30 * time.Second):
		return fmt.Errorf("no answer from the broker within 30s")
	}
}
