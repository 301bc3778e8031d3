package mqttlink

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// slack is how much longer than the backoff cap a reconnect may take: one
// connection attempt plus scheduling on a loaded test machine.
const slack = 3 * time.Second

// TestMosquittoRestart stops and starts a real Mosquitto under a connected
// link: the link reconnects within the backoff cap, subscribes again and
// republishes its retained "online" status.
func TestMosquittoRestart(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	o := testOptions(t, m.URL())
	o.ReconnectMax = time.Second
	h, got := collect()
	l := startLink(t, o, func(l *Link) { _ = l.SubscribeAutoAck("hamlet/test/+/telemetry", 1, h) })
	waitConnected(t, l)
	pub := plainClient(t, m.URL(), "pub-1")
	pub.publish(t, "hamlet/test/den-01/telemetry", 1, false, "before")
	if msg := recv(t, got); string(msg.Payload) != "before" {
		t.Fatalf("got %q before the restart", msg.Payload)
	}
	// Overwrite the retained status so that seeing "online" after the restart
	// proves the link published it again.
	pub.publish(t, o.StatusTopic, 1, true, "stale")
	pub.Disconnect(100)

	m.Stop()
	testutil.Eventually(t, wait, "link down", func() bool { return !l.Connected() })
	m.Start()
	restarted := time.Now()
	waitConnected(t, l)
	if took := time.Since(restarted); took > o.ReconnectMax+slack {
		t.Errorf("reconnected %s after the broker came back; cap %s", took, o.ReconnectMax)
	}
	if s := retained(t, m.URL(), o.StatusTopic); s != StatusOnline {
		t.Fatalf("retained status after restart = %q, want online", s)
	}
	plainClient(t, m.URL(), "pub-2").publish(t, "hamlet/test/den-01/telemetry", 1, false, "after")
	if msg := recv(t, got); string(msg.Payload) != "after" {
		t.Fatalf("got %q after the restart, want after", msg.Payload)
	}
	if n := value(l.metrics.connects); n != 2 {
		t.Fatalf("connects = %v, want 2", n)
	}
}

// TestMosquittoQueuesWhileDisconnected cuts the link off a running Mosquitto:
// QoS 1 messages published meanwhile wait in the persistent session and
// arrive, in order, after the link reconnects; the Last Will marks the gap.
func TestMosquittoQueuesWhileDisconnected(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	p := startProxy(t, strings.TrimPrefix(m.URL(), "tcp://"))
	o := testOptions(t, p.url())
	o.ReconnectMax = time.Second
	h, got := collect()
	l := startLink(t, o, func(l *Link) { _ = l.Subscribe("hamlet/test/+/event", 1, h) })
	waitConnected(t, l)
	watch := plainClient(t, m.URL(), "watch")
	watch.subscribe(t, o.StatusTopic, 1)
	if msg := watch.next(t, o.StatusTopic); string(msg.Payload()) != StatusOnline || !msg.Retained() {
		t.Fatalf("status = %q (retained %v), want retained online", msg.Payload(), msg.Retained())
	}

	p.setDown(true)
	testutil.Eventually(t, wait, "link down", func() bool { return !l.Connected() })
	if msg := watch.nextLive(t, o.StatusTopic); string(msg.Payload()) != StatusOffline {
		t.Fatalf("Last Will = %q, want offline", msg.Payload())
	}
	pub := plainClient(t, m.URL(), "pub")
	const n = 50
	for i := range n {
		pub.publish(t, "hamlet/test/loa-01/event", 1, false, strconv.Itoa(i))
	}
	p.setDown(false)
	for i := range n {
		msg := recv(t, got)
		if string(msg.Payload) != strconv.Itoa(i) {
			t.Fatalf("queued message %d = %q", i, msg.Payload)
		}
		msg.Ack()
	}
	if msg := watch.nextLive(t, o.StatusTopic); string(msg.Payload()) != StatusOnline {
		t.Fatalf("status after reconnect = %q, want online", msg.Payload())
	}
}

// TestMosquittoUnreachableAtStart starts the link before the broker: the
// failures are retried, not fatal, and the link connects once it is up.
func TestMosquittoUnreachableAtStart(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	m.Stop()
	o := testOptions(t, m.URL())
	o.ReconnectMax = time.Second
	l := startLink(t, o, nil)
	testutil.Eventually(t, wait, "two failed attempts", func() bool { return value(l.metrics.connectAttempts) >= 2 })
	if l.Connected() {
		t.Fatal("connected with the broker down")
	}
	m.Start()
	started := time.Now()
	waitConnected(t, l)
	if took := time.Since(started); took > o.ReconnectMax+slack {
		t.Errorf("connected %s after the broker started; cap %s", took, o.ReconnectMax)
	}
	if s := retained(t, m.URL(), o.StatusTopic); s != StatusOnline {
		t.Fatalf("retained status = %q, want online", s)
	}
}
