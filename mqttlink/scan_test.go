package mqttlink

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestRetainedScan: a SubscribeScan filter receives the retained message
// waiting at connect, no live message once its scan window has closed, and
// a retained message published meanwhile at the next scan.
func TestRetainedScan(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	pub := plainClient(t, m.URL(), "pub")
	pub.publish(t, "cmnd/den1/POWER", 1, true, "ON")
	o := testOptions(t, m.URL())
	o.ScanWindow, o.ScanEvery = 300*time.Millisecond, 2*time.Second
	scanned, kept := make(chan *Message, 100), make(chan *Message, 100)
	l := startLink(t, o, func(l *Link) {
		_ = l.SubscribeScan("cmnd/+/#", 1, func(m *Message) { m.Ack(); scanned <- m })
		_ = l.SubscribeAutoAck("stat/+/#", 1, func(m *Message) { kept <- m })
	})
	waitConnected(t, l)
	if msg := recv(t, scanned); msg.Topic != "cmnd/den1/POWER" || string(msg.Payload) != "ON" || !msg.Retained {
		t.Fatalf("first scan: %s %q retained %v", msg.Topic, msg.Payload, msg.Retained)
	}
	testutil.Eventually(t, wait, "the first scan's unsubscribe", func() bool { return l.scansDone.Load() >= 1 })

	// Live traffic between scans: the command is not received, the state is.
	pub.publish(t, "cmnd/den2/POWER", 1, false, "OFF")
	pub.publish(t, "stat/den2/RESULT", 1, false, `{"POWER":"OFF"}`)
	if msg := recv(t, kept); msg.Topic != "stat/den2/RESULT" {
		t.Fatalf("kept filter got %s", msg.Topic)
	}
	select {
	case msg := <-scanned:
		t.Fatalf("a live command arrived between scans: %s %q", msg.Topic, msg.Payload)
	default:
	}

	// A retained command left meanwhile is found by the next scan.
	pub.publish(t, "cmnd/den1/POWER", 1, true, "")
	pub.publish(t, "cmnd/den3/POWER", 1, true, "OFF")
	msg := recv(t, scanned)
	if msg.Topic != "cmnd/den3/POWER" || string(msg.Payload) != "OFF" || !msg.Retained {
		t.Fatalf("next scan: %s %q retained %v", msg.Topic, msg.Payload, msg.Retained)
	}
	if n := value(l.metrics.scans); n < 2 {
		t.Fatalf("hamlet_mqtt_retained_scans_total = %v, want at least 2", n)
	}
}
