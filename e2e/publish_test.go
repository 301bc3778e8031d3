package e2e

import (
	"context"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/sim"
)

// blastTopics returns the Tasmota topics (%topic%) of blast devices 0..n-1.
func blastTopics(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, i)
	}
	return out
}

// publication is the outcome of a publisher.
type publication struct {
	res      sim.BlastResult
	attempts int     // Blast runs, 1 when the first one succeeded
	errs     []error // why the earlier runs failed or were abandoned
	err      error   // nil once every message was acknowledged by the broker
}

// publisher publishes devices × messages Tasmota SENSOR messages at QoS 1
// with sim.Blast until the broker has acknowledged every one.
//
// Blast opens clean sessions and does not reconnect: when the broker goes
// away mid-stream its unacknowledged publishes fail and Blast returns an
// error. The publisher then runs Blast again, every 200ms until its context
// ends, with the clock fixed at its first run, so that every run sends
// exactly the same messages with the same device timestamps. Republishing
// messages the broker had already acknowledged is harmless: hamletd writes
// each to the same series at the same time, which InfluxDB keeps as one point.
type publisher struct {
	done      chan publication
	interrupt chan struct{}
}

// publish starts a publisher; its outcome arrives on done.
func publish(ctx context.Context, broker, prefix string, devices, messages int) *publisher {
	p := &publisher{done: make(chan publication, 1), interrupt: make(chan struct{}, 1)}
	now := time.Now()
	go p.run(ctx, sim.BlastOptions{Broker: broker, Devices: devices, Messages: messages, Prefix: prefix,
		Now: func() time.Time { return now }})
	return p
}

// restart abandons the current run and starts a new one: call it when the
// broker went away. A real publisher learns it from its lost connection;
// Blast's paho clients may take their 30s write timeout to report a publish
// made just as the connection broke (paho's Publish waits that long to hand
// a message to a dead connection), so the test says it instead. The abandoned
// run ends by itself within that timeout.
func (p *publisher) restart() {
	select {
	case p.interrupt <- struct{}{}:
	default:
	}
}

func (p *publisher) run(ctx context.Context, o sim.BlastOptions) {
	type outcome struct {
		res sim.BlastResult
		err error
	}
	var pub publication
	for {
		pub.attempts++
		began := time.Now()
		runCtx, cancel := context.WithCancel(ctx)
		out := make(chan outcome, 1)
		go func() {
			res, err := sim.Blast(runCtx, o)
			out <- outcome{res, err}
		}()
		select {
		case r := <-out:
			pub.res, pub.err = r.res, r.err
		case <-p.interrupt:
			pub.err = fmt.Errorf("abandoned: the broker went away")
		}
		cancel()
		if pub.err == nil || ctx.Err() != nil {
			break
		}
		pub.errs = append(pub.errs, fmt.Errorf("run %d after %s: %w", pub.attempts, time.Since(began).Round(time.Millisecond), pub.err))
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
	p.done <- pub
}
