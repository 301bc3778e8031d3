package e2e

import (
	"fmt"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/sim"
)

// TestRejectedPointsDoNotBlockTheirBatch declares one more meter, as a
// camera, whose points InfluxDB must refuse: a point written beforehand made
// "energy_kwh" a string field of the camera measurement, and a field's type
// cannot change. Its points share batches with the lights' points; they are
// rejected and counted while every light point lands. Malformed payloads on a
// light's topic are counted and change nothing either.
func TestRejectedPointsDoNotBlockTheirBatch(t *testing.T) {
	bad := fmt.Sprintf("%s%04d", blastPrefix, blastDevices) // Blast's device number blastDevices
	r := newRig(t, func(fc *fleetConfig) { fc.Cameras = []string{bad} })
	r.influx.Write(t, fmt.Sprintf("camera,area=e2e,device=%s energy_kwh=\"not a number\" %d\n", deviceID(bad), time.Now().UnixNano()))

	pub := publish(r.ctx, r.mq.URL(), blastPrefix, blastDevices+1, blastMessages)
	const garbage = 5
	publishGarbage(t, r.mq.URL(), sim.BlastTopic(blastPrefix, 3), garbage)
	p := r.published(pub)

	requireAll(t, r.influx, r.lights(p.res.Start), settleTimeout)
	// Every point of the bad meter is refused; wait for the last ones, which
	// may still be isolated by bisection after the lights are all written.
	r.d.waitMetric(r.ctx, "hamlet_telemetry_points_rejected_total", blastMessages, 30*time.Second)
	r.logMetrics()
	if n := countField(t, r.influx, "camera", "energy_kwh"); n != 1 {
		t.Errorf("camera energy_kwh: %d values, want only the string written beforehand", n)
	}
	if n := r.d.metric(`hamlet_ingest_messages_rejected_total{reason="malformed"}`); n < garbage {
		t.Errorf(`hamlet_ingest_messages_rejected_total{reason="malformed"} = %v, want at least %d`, n, garbage)
	}
	if n := r.d.metric("hamlet_telemetry_points_rejected_total"); n != blastMessages {
		t.Errorf("hamlet_telemetry_points_rejected_total = %v, want %d (the bad meter's points)", n, blastMessages)
	}
}

// publishGarbage publishes n payloads that are not JSON to topic at QoS 1.
func publishGarbage(t *testing.T, broker, topic string, n int) {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker).SetClientID("e2e-garbage").
		SetConnectTimeout(5 * time.Second).SetAutoReconnect(false))
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("garbage publisher: connect: %v", tok.Error())
	}
	defer c.Disconnect(250)
	for i := range n {
		tok := c.Publish(topic, 1, false, fmt.Sprintf(`{"Time":"2025-01-01T00:00:%02d","ENERGY":{"Total":`, i))
		if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatalf("garbage publisher: publish: %v", tok.Error())
		}
	}
}
