package sim

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// waitLimit bounds every wait in these tests.
const waitLimit = 10 * time.Second

// testBroker is an in-process mochi broker on a free 127.0.0.1 port.
type testBroker struct {
	url  string
	hook *disconnects
}

// disconnects records the clients whose connection the broker has finished
// closing; mochi calls OnDisconnect after it sent (or discarded) the will.
//
// It is also a fence around mochi v2.7.9's retained-message index:
// TopicsIndex.scanMessages reads particle.retainPath without the lock that
// RetainMessage holds while writing it, so a wildcard subscription and a later
// retained publish (a will, a birth) are a data race for -race. Locking and
// unlocking one mutex before and after each side orders them.
type disconnects struct {
	mochi.HookBase
	fence sync.Mutex
	mu    sync.Mutex
	gone  map[string]int
}

func (h *disconnects) ID() string { return "sim-test-disconnects" }

func (h *disconnects) Provides(b byte) bool {
	switch b {
	case mochi.OnDisconnect, mochi.OnSubscribe, mochi.OnPacketProcessed, mochi.OnPublish, mochi.OnWill,
		mochi.OnRetainMessage:
		return true
	}
	return false
}

func (h *disconnects) pass() {
	h.fence.Lock()
	h.fence.Unlock() //nolint:staticcheck // an empty critical section: a happens-before fence
}

func (h *disconnects) OnSubscribe(_ *mochi.Client, pk packets.Packet) packets.Packet {
	h.pass()
	return pk
}

func (h *disconnects) OnPacketProcessed(*mochi.Client, packets.Packet, error) { h.pass() }

func (h *disconnects) OnPublish(_ *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	h.pass()
	return pk, nil
}

func (h *disconnects) OnWill(_ *mochi.Client, w mochi.Will) (mochi.Will, error) {
	h.pass()
	return w, nil
}

func (h *disconnects) OnRetainMessage(*mochi.Client, packets.Packet, int64) { h.pass() }

func (h *disconnects) OnDisconnect(cl *mochi.Client, _ error, _ bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gone[cl.ID]++
}

func (h *disconnects) count(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gone[id]
}

func startBroker(t *testing.T) *testBroker {
	t.Helper()
	srv := mochi.New(&mochi.Options{Logger: slog.New(slog.DiscardHandler)})
	hook := &disconnects{gone: map[string]int{}}
	if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddHook(hook, nil); err != nil {
		t.Fatal(err)
	}
	l := listeners.NewTCP(listeners.Config{ID: "t", Address: "127.0.0.1:0"})
	if err := srv.AddListener(l); err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &testBroker{url: "tcp://" + l.Address(), hook: hook}
}

// waitGone waits until the broker finished closing clientID's connection
// for the n-th time.
func (b *testBroker) waitGone(t *testing.T, clientID string, n int) {
	t.Helper()
	testutil.Eventually(t, waitLimit, fmt.Sprintf("broker closed %s %d times", clientID, n), func() bool { return b.hook.count(clientID) >= n })
}

// got is one message a probe received.
type got struct {
	topic    string
	payload  string
	retained bool
}

// probe is a plain paho subscriber recording everything it receives.
type probe struct {
	c    mqtt.Client
	mu   sync.Mutex
	msgs []got
	seq  atomic.Int64
}

var probeIDs atomic.Int64

func newProbe(t *testing.T, broker string, filters ...string) *probe {
	t.Helper()
	p := &probe{}
	o := mqtt.NewClientOptions().AddBroker(broker).SetClientID(fmt.Sprintf("probe-%d", probeIDs.Add(1))).
		SetCleanSession(true).SetAutoReconnect(false)
	p.c = mqtt.NewClient(o)
	if tok := p.c.Connect(); !tok.WaitTimeout(waitLimit) || tok.Error() != nil {
		t.Fatalf("probe connect: %v", tok.Error())
	}
	t.Cleanup(func() { p.c.Disconnect(100) })
	filters = append(filters, "probe/sync/#")
	m := map[string]byte{}
	for _, f := range filters {
		m[f] = 1
	}
	tok := p.c.SubscribeMultiple(m, func(_ mqtt.Client, msg mqtt.Message) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.msgs = append(p.msgs, got{topic: msg.Topic(), payload: string(msg.Payload()), retained: msg.Retained()})
	})
	if !tok.WaitTimeout(waitLimit) || tok.Error() != nil {
		t.Fatalf("probe subscribe: %v", tok.Error())
	}
	// mochi sends SUBACK before it scans the retained messages; wait until
	// the scan is over, so that no test step races it (see disconnects).
	p.sync(t)
	return p
}

// wait returns the first message (from index from on) for which match holds.
func (p *probe) waitFrom(t *testing.T, from int, what string, match func(got) bool) (got, int) {
	t.Helper()
	var found got
	idx := -1
	testutil.Eventually(t, waitLimit, what, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		for i := from; i < len(p.msgs); i++ {
			if match(p.msgs[i]) {
				found, idx = p.msgs[i], i
				return true
			}
		}
		return false
	})

	return found, idx
}

// wait returns the first message on topic whose payload satisfies match
// (nil: any payload).
func (p *probe) wait(t *testing.T, topic string, match func(string) bool) got {
	t.Helper()
	m, _ := p.waitFrom(t, 0, "a message on "+topic, func(g got) bool {
		return g.topic == topic && (match == nil || match(g.payload))
	})
	return m
}

// waitPayload waits for exactly payload on topic.
func (p *probe) waitPayload(t *testing.T, topic, payload string) got {
	t.Helper()
	m, _ := p.waitFrom(t, 0, fmt.Sprintf("%s = %q", topic, payload), func(g got) bool {
		return g.topic == topic && g.payload == payload
	})
	return m
}

// sync publishes a marker and waits until it comes back, so everything the
// broker queued for the probe before it has arrived.
func (p *probe) sync(t *testing.T) {
	t.Helper()
	topic := fmt.Sprintf("probe/sync/%d", p.seq.Add(1))
	if tok := p.c.Publish(topic, 1, false, "x"); !tok.WaitTimeout(waitLimit) || tok.Error() != nil {
		t.Fatalf("probe publish: %v", tok.Error())
	}
	p.wait(t, topic, nil)
}

// publish sends a command (never retained).
func (p *probe) publish(t *testing.T, topic, payload string) {
	t.Helper()
	if tok := p.c.Publish(topic, 1, false, payload); !tok.WaitTimeout(waitLimit) || tok.Error() != nil {
		t.Fatalf("publish %s: %v", topic, tok.Error())
	}
}

// all returns the messages received on topic.
func (p *probe) all(topic string) []got {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []got
	for _, m := range p.msgs {
		if m.topic == topic {
			out = append(out, m)
		}
	}
	return out
}

// since returns the messages from index i on.
func (p *probe) since(i int) []got {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]got(nil), p.msgs[i:]...)
}

func (p *probe) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.msgs)
}

// startFleet builds and starts a fleet on broker and closes it at cleanup.
func startFleet(t *testing.T, broker string, spec Spec) *Fleet {
	t.Helper()
	f, err := New(spec, Options{Broker: broker, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// testLogger logs to stderr with -v and SIM_LOG=1, else nowhere.
func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() && os.Getenv("SIM_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// device returns the fleet's device with id.
func deviceOf(t *testing.T, f *Fleet, id string) (out struct{ Topic string }) {
	t.Helper()
	for _, d := range f.Devices() {
		if d.ID == id {
			out.Topic = d.Topic
			return out
		}
	}
	t.Fatalf("no device %q in %v", id, f.Devices())
	return out
}

func hasAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
