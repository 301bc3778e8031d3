package mqttlink

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/prometheus/client_golang/prometheus"
)

// collect returns a handler that sends messages to a channel without acking.
func collect() (Handler, chan *Message) {
	ch := make(chan *Message, 1000)
	return func(m *Message) { ch <- m }, ch
}

func recv(t *testing.T, ch chan *Message) *Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(wait):
		t.Fatalf("no message within %s", wait)
		return nil
	}
}

func TestSubscribeReceiveManualAck(t *testing.T) {
	b := startBroker(t)
	h, got := collect()
	l := startLink(t, testOptions(t, b.URL()), func(l *Link) {
		if err := l.Subscribe("hamlet/t/#", 1, h); err != nil {
			t.Fatal(err)
		}
	})
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "hamlet/t/den-01/telemetry", 1, false, `{"power_w":35.2}`)

	m := recv(t, got)
	if m.Topic != "hamlet/t/den-01/telemetry" || string(m.Payload) != `{"power_w":35.2}` || m.QoS != 1 ||
		m.Retained || m.Filter != "hamlet/t/#" || m.Received.IsZero() || m.MessageID == 0 {
		t.Fatalf("unexpected message %+v", m)
	}
	if n := value(l.metrics.acked); n != 0 {
		t.Fatalf("acked = %v before Ack, want 0", n)
	}
	m.Ack()
	m.Ack() // idempotent
	testutil.Eventually(t, wait, "one ack", func() bool { return value(l.metrics.acked) == 1 })
	if !m.Acked() {
		t.Fatal("Acked() = false after Ack")
	}
	if n := value(l.metrics.received.WithLabelValues("1")); n != 1 {
		t.Fatalf("received{qos=1} = %v, want 1", n)
	}
}

func TestUnackedMessageIsRedeliveredAfterReconnect(t *testing.T) {
	b := startBroker(t)
	p := startProxy(t, strings.TrimPrefix(b.URL(), "tcp://"))
	h, got := collect()
	l := startLink(t, testOptions(t, p.url()), func(l *Link) { _ = l.Subscribe("r/#", 1, h) })
	waitConnected(t, l)
	plainClient(t, b.URL(), "pub").publish(t, "r/1", 1, false, "durable")
	first := recv(t, got) // not acknowledged: as if the write to InfluxDB failed

	p.setDown(true)
	testutil.Eventually(t, wait, "link down", func() bool { return !l.Connected() })
	p.setDown(false)
	again := recv(t, got)
	if string(again.Payload) != "durable" || !again.Duplicate {
		t.Fatalf("redelivery = %+v, want the same payload marked duplicate", again)
	}
	first.Ack() // late ack of the first copy is harmless
	again.Ack()
}

func TestPerTopicOrderWithSeveralWorkers(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	o.Workers = 4
	var mu sync.Mutex
	last := map[string]int{}
	var total int
	var bad []string
	l := startLink(t, o, func(l *Link) {
		_ = l.Subscribe("o/#", 1, func(m *Message) {
			defer m.Ack()
			n, _ := strconv.Atoi(string(m.Payload))
			mu.Lock()
			defer mu.Unlock()
			if n != last[m.Topic]+1 {
				bad = append(bad, fmt.Sprintf("%s: %d after %d", m.Topic, n, last[m.Topic]))
			}
			last[m.Topic] = n
			total++
		})
	})
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	const topics, per = 8, 50
	var toks []interface{ Wait() bool }
	for i := 1; i <= per; i++ {
		for k := range topics {
			toks = append(toks, pub.Publish(fmt.Sprintf("o/dev-%d/status", k), 1, false, strconv.Itoa(i)))
		}
	}
	for _, tok := range toks {
		tok.Wait()
	}
	testutil.Eventually(t, wait, "all messages", func() bool { mu.Lock(); defer mu.Unlock(); return total == topics*per })
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Fatalf("out of order: %v", bad[:min(5, len(bad))])
	}
}

func TestHandoffFullDropsQoS0(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	o.Workers, o.Queue = 1, 1
	gate := make(chan struct{})
	l := startLink(t, o, func(l *Link) {
		_ = l.SubscribeAutoAck("q0/#", 0, func(m *Message) {
			if string(m.Payload) == "block" {
				<-gate
			}
		})
	})
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "q0/a", 0, false, "block")
	testutil.Eventually(t, wait, "worker busy", func() bool { return value(l.metrics.handedOff) == 1 })
	for i := range 20 {
		pub.publish(t, "q0/a", 0, false, strconv.Itoa(i))
	}
	testutil.Eventually(t, wait, "drops counted", func() bool {
		return value(l.metrics.handoffFull) >= 1 && value(l.metrics.dropped.WithLabelValues(dropHandoffFull)) >= 1
	})

	close(gate)
	testutil.Eventually(t, wait, "every message handed off or dropped", func() bool {
		return value(l.metrics.handedOff)+value(l.metrics.dropped.WithLabelValues(dropHandoffFull)) == 21
	})

}

func TestHandoffFullWaitsForQoS1(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	o.Workers, o.Queue = 1, 1
	gate := make(chan struct{})
	var handled atomic.Int64
	l := startLink(t, o, func(l *Link) {
		_ = l.SubscribeAutoAck("q1/#", 1, func(m *Message) {
			if string(m.Payload) == "block" {
				<-gate
			}
			handled.Add(1)
		})
	})
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "q1/a", 1, false, "block")
	for i := range 5 {
		pub.publish(t, "q1/a", 1, false, strconv.Itoa(i))
	}
	testutil.Eventually(t, wait, "hand-off full", func() bool { return value(l.metrics.handoffFull) >= 1 })
	close(gate)
	testutil.Eventually(t, wait, "all handled", func() bool { return handled.Load() == 6 })
	if n := value(l.metrics.dropped.WithLabelValues(dropHandoffFull)); n != 0 {
		t.Fatalf("dropped %v QoS 1 messages", n)
	}
}

func TestHandlerPanicIsRecoveredAndAcked(t *testing.T) {
	b := startBroker(t)
	h, got := collect()
	l := startLink(t, testOptions(t, b.URL()), func(l *Link) {
		_ = l.Subscribe("p/#", 1, func(m *Message) {
			if string(m.Payload) == "boom" {
				panic("poison message")
			}
			h(m)
			m.Ack()
		})
	})
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "p/x", 1, false, "boom")
	pub.publish(t, "p/x", 1, false, "fine")
	if m := recv(t, got); string(m.Payload) != "fine" {
		t.Fatalf("got %q, want fine", m.Payload)
	}
	testutil.Eventually(t, wait, "both acked", func() bool { return value(l.metrics.acked) == 2 })
	if n := value(l.metrics.handlerPanics); n != 1 {
		t.Fatalf("handler panics = %v, want 1", n)
	}
}

func TestOverlappingSubscriptionsAckOnceAll(t *testing.T) {
	b := startBroker(t)
	h1, got1 := collect()
	h2, got2 := collect()
	l := startLink(t, testOptions(t, b.URL()), func(l *Link) {
		_ = l.Subscribe("ov/#", 1, h1)
		_ = l.Subscribe("ov/+/status", 1, h2)
	})
	waitConnected(t, l)
	plainClient(t, b.URL(), "pub").publish(t, "ov/d1/status", 1, false, "online")
	m1, m2 := recv(t, got1), recv(t, got2)
	m1.Ack()
	if n := value(l.metrics.acked); n != 0 {
		t.Fatalf("acked after one of two handlers = %v, want 0", n)
	}
	m2.Ack()
	testutil.Eventually(t, wait, "ack after both", func() bool { return value(l.metrics.acked) == 1 })
}

func TestSubscribeAfterStart(t *testing.T) {
	b := startBroker(t)
	l := startLink(t, testOptions(t, b.URL()), nil)
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "late/a", 1, true, "retained-before")
	h, got := collect()
	if err := l.SubscribeAutoAck("late/#", 1, h); err != nil {
		t.Fatalf("Subscribe after connect: %v", err)
	}
	if m := recv(t, got); string(m.Payload) != "retained-before" || !m.Retained {
		t.Fatalf("got %+v, want the retained message", m)
	}
}

func TestUnroutedQueuedMessageIsAcked(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	old := startLink(t, o, func(l *Link) { _ = l.SubscribeAutoAck("old/#", 1, func(*Message) {}) })
	waitConnected(t, old)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	plainClient(t, b.URL(), "pub").publish(t, "old/x", 1, false, "queued")

	o.Registerer = prometheus.NewRegistry()
	l := startLink(t, o, func(l *Link) { _ = l.SubscribeAutoAck("new/#", 1, func(*Message) {}) })
	testutil.Eventually(t, wait, "unrouted message acked", func() bool {
		return value(l.metrics.dropped.WithLabelValues(dropUnrouted)) == 1 && value(l.metrics.acked) == 1
	})

}

func TestQueuedWhileClosedDeliveredToNextSession(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	first := startLink(t, o, func(l *Link) { _ = l.SubscribeAutoAck("s/#", 1, func(*Message) {}) })
	waitConnected(t, first)
	_ = first.Close()
	pub := plainClient(t, b.URL(), "pub")
	const queued = 20
	for i := range queued {
		pub.publish(t, "s/dev", 1, false, strconv.Itoa(i))
	}
	// mochi acknowledges a publish before queuing it for subscribers: wait
	// until all are queued, as a message arriving during the takeover itself
	// may be sent out of turn.
	session, _ := b.server.Clients.Get(o.ClientID)
	testutil.Eventually(t, wait, "messages queued", func() bool { return session.State.Inflight.Len() == queued })
	h, got := collect()
	o.Registerer = prometheus.NewRegistry()
	startLink(t, o, func(l *Link) { _ = l.Subscribe("s/#", 1, h) })
	for i := range queued {
		m := recv(t, got)
		if string(m.Payload) != strconv.Itoa(i) {
			t.Fatalf("message %d = %q", i, m.Payload)
		}
		m.Ack()
	}
}

func TestStatusOnlineAndLastWill(t *testing.T) {
	b := startBroker(t)
	p := startProxy(t, strings.TrimPrefix(b.URL(), "tcp://"))
	o := testOptions(t, p.url())
	watch := plainClient(t, b.URL(), "watch")
	watch.subscribe(t, o.StatusTopic, 1)
	var mu sync.Mutex
	var changes []bool
	l := startLink(t, o, func(l *Link) {
		l.OnConnectionChange(func(up bool) { mu.Lock(); changes = append(changes, up); mu.Unlock() })
	})
	waitConnected(t, l)
	if m := watch.nextLive(t, o.StatusTopic); string(m.Payload()) != StatusOnline {
		t.Fatalf("status = %q, want online", m.Payload())
	}
	if got := retained(t, b.URL(), o.StatusTopic); got != StatusOnline {
		t.Fatalf("retained status = %q, want online", got)
	}

	p.setDown(true) // the link's TCP connection dies without DISCONNECT
	if m := watch.nextLive(t, o.StatusTopic); string(m.Payload()) != StatusOffline || m.Qos() != 1 {
		t.Fatalf("Last Will = %q (qos %d), want offline qos 1", m.Payload(), m.Qos())
	}
	testutil.Eventually(t, wait, "link down", func() bool { return !l.Connected() })
	p.setDown(false)
	if m := watch.nextLive(t, o.StatusTopic); string(m.Payload()) != StatusOnline {
		t.Fatalf("status after reconnect = %q, want online", m.Payload())
	}
	waitConnected(t, l)
	testutil.Eventually(t, wait, "three changes", func() bool { mu.Lock(); defer mu.Unlock(); return len(changes) == 3 })
	mu.Lock()
	if fmt.Sprint(changes) != "[true false true]" {
		t.Fatalf("connection changes = %v", changes)
	}
	mu.Unlock()
	if n := value(l.metrics.connects); n != 2 {
		t.Fatalf("connects = %v, want 2", n)
	}
}

func TestClosePublishesOfflineAndIsSafeTwice(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	reg := o.Registerer.(*prometheus.Registry)
	var down atomic.Bool
	l := startLink(t, o, func(l *Link) { l.OnConnectionChange(func(up bool) { down.Store(!up) }) })
	waitConnected(t, l)
	if err := l.Publish(context.Background(), "hamlet/t/x/cmd", 1, false, []byte("{}")); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if got := retained(t, b.URL(), o.StatusTopic); got != StatusOffline {
		t.Fatalf("retained status after Close = %q, want offline", got)
	}
	if l.Connected() || !down.Load() {
		t.Fatal("link still reported connected after Close")
	}
	if err := l.Publish(context.Background(), "a", 1, false, nil); err != ErrClosed {
		t.Fatalf("Publish after Close = %v", err)
	}
	if mfs, _ := reg.Gather(); len(mfs) != 0 {
		t.Fatalf("%d metric families still registered after Close", len(mfs))
	}
}

func TestContextCancelClosesLink(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	ctx, cancel := context.WithCancel(context.Background())
	l := New(o)
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitConnected(t, l)
	cancel()
	testutil.Eventually(t, wait, "offline after cancel", func() bool { return retained(t, b.URL(), o.StatusTopic) == StatusOffline })
	if err := l.WaitConnected(context.Background()); err != ErrClosed {
		t.Fatalf("WaitConnected after cancel = %v, want ErrClosed", err)
	}
	_ = l.Close()
}

func TestMetricsRegistration(t *testing.T) {
	b := startBroker(t)
	o := testOptions(t, b.URL())
	l := startLink(t, o, nil)
	waitConnected(t, l)
	n, err := testutilGatherCount(o.Registerer.(*prometheus.Registry))
	if err != nil || n < 10 {
		t.Fatalf("gathered %d families, %v", n, err)
	}
	if v := value(l.metrics.connected); v != 1 {
		t.Fatalf("connected gauge = %v", v)
	}
	second := New(o)
	if err := second.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "already registered") {
		t.Fatalf("second link on the same registry: %v", err)
	}
	_ = second.Close()
}

func testutilGatherCount(r *prometheus.Registry) (int, error) {
	mfs, err := r.Gather()
	return len(mfs), err
}

func TestUnreachableBrokerIsRetried(t *testing.T) {
	probe := startBroker(t)
	addr := probe.Addr()
	_ = probe.Close() // a port where nothing listens now
	o := testOptions(t, "tcp://"+addr)
	sink := newLogSink(t)
	o.Logger = sink.logger()
	l := startLink(t, o, nil)
	testutil.Eventually(t, wait, "retries", func() bool { return value(l.metrics.connectAttempts) >= 3 })
	if !sink.contains("mqtt connect failed", "broker=tcp://"+addr, "error=", "retry_in=") {
		t.Fatal("connect failures not logged with broker and error")
	}
	if l.Connected() {
		t.Fatal("connected to nothing")
	}
	b, err := StartEmbedded(addr, nil)
	if err != nil {
		t.Skipf("port %s taken meanwhile: %v", addr, err)
	}
	t.Cleanup(func() { _ = b.Close() })
	waitConnected(t, l)
}

// TestUnackedSurvivesOwnPublish checks that the embedded broker keeps an
// unacked message queued when the link publishes with the same packet id:
// mochi keeps both directions' packet ids in one table (see sessionHook).
func TestUnackedSurvivesOwnPublish(t *testing.T) {
	b := startBroker(t)
	p := startProxy(t, strings.TrimPrefix(b.URL(), "tcp://"))
	o := testOptions(t, p.url())
	o.StatusTopic = "" // the link's first packet id goes to SUBSCRIBE, its next to the publish below
	h, got := collect()
	l := startLink(t, o, func(l *Link) { _ = l.Subscribe("u/in", 1, h) })
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "u/in", 1, false, "acked")
	recv(t, got).Ack() // the broker's packet id 1
	pub.publish(t, "u/in", 1, false, "keep me")
	keep := recv(t, got) // packet id 2, not acknowledged
	if keep.MessageID != 2 {
		t.Fatalf("unacked message has packet id %d; the test needs 2", keep.MessageID)
	}
	if err := l.Publish(context.Background(), "u/out", 1, false, []byte("same id")); err != nil {
		t.Fatal(err)
	}
	p.setDown(true)
	testutil.Eventually(t, wait, "link down", func() bool { return !l.Connected() })
	p.setDown(false)
	again := recv(t, got)
	if string(again.Payload) != "keep me" || !again.Duplicate {
		t.Fatalf("redelivered %q (duplicate %v), want the unacked message", again.Payload, again.Duplicate)
	}
	again.Ack()
}

// TestSendsArriveInOrder checks that messages sent one after the other
// without waiting arrive in that order, and that their waits end with the
// broker's acknowledgements (the lights capability sends a thousand lamps
// their commands this way).
func TestSendsArriveInOrder(t *testing.T) {
	b := startBroker(t)
	h, got := collect()
	l := startLink(t, testOptions(t, b.URL()), func(l *Link) { _ = l.Subscribe("s/out", 1, h) })
	waitConnected(t, l)
	const n = 300
	waits := make([]func(context.Context) error, n)
	for i := range n {
		w, err := l.Send("s/out", 1, false, []byte(strconv.Itoa(i)))
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		waits[i] = w
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for i, w := range waits {
		if err := w(ctx); err != nil {
			t.Fatalf("wait %d: %v", i, err)
		}
	}
	for i := range n {
		m := recv(t, got)
		if string(m.Payload) != strconv.Itoa(i) {
			t.Fatalf("message %d is %q", i, m.Payload)
		}
		m.Ack()
	}
	if _, err := l.Send("s/+", 1, false, nil); err == nil {
		t.Error("a wildcard topic was sent")
	}
	l.Close()
	if _, err := l.Send("s/out", 1, false, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("send after Close: %v, want ErrClosed", err)
	}
}

// SubscribeNew subscribes only the filters it has not seen, kept or
// scanned, and remembers them.
func TestSubscribeNewAddsOnlyNewFilters(t *testing.T) {
	b := startBroker(t)
	h, got := collect()
	l := startLink(t, testOptions(t, b.URL()), nil)
	waitConnected(t, l)
	seen := map[string]bool{}
	if err := l.SubscribeNew([]string{"a/#"}, []string{"c/#"}, seen, 1, h); err != nil {
		t.Fatal(err)
	}
	if err := l.SubscribeNew([]string{"a/#", "b/#"}, []string{"c/#"}, seen, 1, h); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 3 || !seen["a/#"] || !seen["b/#"] || !seen["c/#"] {
		t.Fatalf("seen %v", seen)
	}
	if kept, scanned := l.routes.filters(false), l.routes.filters(true); len(kept) != 2 || len(scanned) != 1 {
		t.Fatalf("kept %v, scanned %v", kept, scanned)
	}
	pub := plainClient(t, b.URL(), "pub")
	pub.publish(t, "b/x", 1, false, "hello")
	if m := recv(t, got); m.Topic != "b/x" {
		t.Fatalf("got %s", m.Topic)
	}
}
