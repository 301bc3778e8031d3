package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
)

// The shape of every no-loss test: N = blastDevices × blastMessages ≥ 20,000
// QoS 1 messages, each carrying its sequence number and a unique device time.
const (
	blastPrefix   = "meter_"
	blastDevices  = 100
	blastMessages = 200
	blastTotal    = blastDevices * blastMessages

	// testTimeout bounds each test from its services' start to its checks.
	testTimeout = 3 * time.Minute
	// settleTimeout bounds the wait for InfluxDB to hold every point once the
	// fault is over (replay backoff after an outage is at most a few seconds).
	settleTimeout = 90 * time.Second
)

// rig is one test's world: a broker, InfluxDB and hamletd with the blast
// meters declared as lights.
type rig struct {
	t      *testing.T
	ctx    context.Context
	mq     *testsvc.Mosquitto
	influx *testsvc.Influx
	d      *hamletd
	topics []string // the lights' Tasmota topics, in Blast's device order
}

// newRig starts the services and the daemon. extra configures the fleet
// further before the daemon starts (e.g. to declare more devices).
func newRig(t *testing.T, extra func(*fleetConfig)) *rig {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e: skipped under -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	r := &rig{t: t, ctx: ctx, topics: blastTopics(blastPrefix, blastDevices)}
	r.mq = testsvc.StartMosquitto(t)
	r.influx = testsvc.StartInflux(t)
	fc := fleetConfig{Broker: r.mq.URL(), InfluxURL: r.influx.URL(), Bucket: r.influx.Bucket(), Lights: r.topics}
	if extra != nil {
		extra(&fc)
	}
	r.d = startHamletd(t, fc)
	return r
}

// lights is the check of every light's sequence numbers for a blast that
// started at start.
func (r *rig) lights(start time.Time) sequenceCheck {
	return sequenceCheck{measurement: "light", ids: ids(r.topics), messages: blastMessages, start: start}
}

// published waits for the publisher and fails the test if it could not
// deliver every message to the broker.
func (r *rig) published(pub *publisher) publication {
	r.t.Helper()
	select {
	case p := <-pub.done:
		if p.err != nil {
			r.t.Fatalf("publisher: %d runs, last error: %v (earlier: %v)", p.attempts, p.err, p.errs)
		}
		r.t.Logf("publisher: %d messages acknowledged by the broker in %d run(s), last run %s; earlier runs: %v",
			p.res.Published, p.attempts, p.res.Duration.Round(time.Millisecond), p.errs)
		return p
	case <-r.ctx.Done():
		r.t.Fatalf("publisher did not finish: %v", r.ctx.Err())
		return publication{}
	}
}

// logMetrics logs the daemon's telemetry counters.
func (r *rig) logMetrics() {
	r.t.Helper()
	m, err := r.d.metrics()
	if err != nil {
		r.t.Logf("hamletd metrics: %v", err)
		return
	}
	r.t.Logf("hamletd: reports %v, points written %v, spooled %v, replayed %v, rejected %v, dropped (spool_full %v, shutdown %v), mqtt connections lost %v",
		m["hamlet_ingest_reports_total"], m["hamlet_telemetry_points_written_total"], m["hamlet_telemetry_points_spooled_total"],
		m["hamlet_telemetry_points_replayed_total"], m["hamlet_telemetry_points_rejected_total"],
		m[`hamlet_telemetry_points_dropped_total{reason="spool_full"}`], m[`hamlet_telemetry_points_dropped_total{reason="shutdown"}`],
		m["hamlet_mqtt_connection_lost_total"])
}
