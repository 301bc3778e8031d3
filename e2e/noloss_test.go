package e2e

import (
	"testing"
	"time"
)

// TestNoLossInfluxOutage stops InfluxDB after a tenth of the stream is
// written, keeps it down until hamletd has received the whole stream (so the
// rest can only be spooled), then starts it again: the spool replays and
// InfluxDB ends up holding every point.
func TestNoLossInfluxOutage(t *testing.T) {
	r := newRig(t, nil)
	pub := publish(r.ctx, r.mq.URL(), blastPrefix, blastDevices, blastMessages)

	written := r.d.waitMetric(r.ctx, "hamlet_telemetry_points_written_total", blastTotal/10, time.Minute)
	r.influx.Stop()
	t.Logf("InfluxDB stopped after %v points were written", written)
	p := r.published(pub)
	r.d.waitMetric(r.ctx, "hamlet_ingest_reports_total", blastTotal, time.Minute)
	spooled := r.d.metric("hamlet_telemetry_points_spooled_total")
	r.influx.Start()
	t.Logf("InfluxDB started again; %v points were spooled meanwhile", spooled)
	if spooled == 0 {
		t.Errorf("nothing was spooled while InfluxDB was down: the outage did not happen mid-stream")
	}

	requireAll(t, r.influx, r.lights(p.res.Start), settleTimeout)
	r.d.waitMetric(r.ctx, "hamlet_telemetry_points_replayed_total", spooled, 10*time.Second)
	r.logMetrics()
}

// TestNoLossBrokerRestart stops and starts Mosquitto after hamletd has
// received a fifth of the stream. The publisher's connections break and it
// publishes again once the broker is back; hamletd reconnects to its persistent session
// and the broker delivers what it queued and what hamletd had not
// acknowledged.
func TestNoLossBrokerRestart(t *testing.T) {
	r := newRig(t, nil)
	pub := publish(r.ctx, r.mq.URL(), blastPrefix, blastDevices, blastMessages)

	got := r.d.waitMetric(r.ctx, "hamlet_ingest_reports_total", blastTotal/5, time.Minute)
	r.mq.Stop()
	pub.restart()
	t.Logf("broker stopped after hamletd received %v messages", got)
	r.mq.Start()
	p := r.published(pub)

	requireAll(t, r.influx, r.lights(p.res.Start), settleTimeout)
	r.logMetrics()
	if n := r.d.metric("hamlet_mqtt_connection_lost_total"); n < 1 {
		t.Errorf("hamlet_mqtt_connection_lost_total = %v: hamletd did not see the broker restart", n)
	}
}

// TestNoLossDaemonKilled kills hamletd with SIGKILL after a fifth of the
// stream is written and starts it again on the same storage directory and
// client id: the broker redelivers what was not acknowledged, since hamletd
// acknowledges only what is durable.
func TestNoLossDaemonKilled(t *testing.T) {
	r := newRig(t, nil)
	pub := publish(r.ctx, r.mq.URL(), blastPrefix, blastDevices, blastMessages)

	written := r.d.waitMetric(r.ctx, "hamlet_telemetry_points_written_total", blastTotal/5, time.Minute)
	r.d.kill()
	atKill := countField(t, r.influx, "light", "energy_kwh")
	t.Logf("hamletd killed after %v points were written; InfluxDB holds %d of %d", written, atKill, blastTotal)
	if atKill >= blastTotal {
		t.Errorf("every point was already written when hamletd was killed: the kill did not happen mid-stream")
	}
	r.d.start()
	p := r.published(pub)

	requireAll(t, r.influx, r.lights(p.res.Start), settleTimeout)
	r.logMetrics()
}
