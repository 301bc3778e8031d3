package mqttlink

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// wait bounds every wait in these tests.
const wait = 10 * time.Second

// logSink keeps log records for assertions and echoes them to the test log
// until the test ends.
type logSink struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
	recs []string
}

func newLogSink(t *testing.T) *logSink {
	s := &logSink{t: t}
	t.Cleanup(func() { s.mu.Lock(); s.done = true; s.mu.Unlock() })
	return s
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, string(p))
	if !s.done {
		s.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

// contains reports whether a record holds every one of the substrings.
func (s *logSink) contains(subs ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
next:
	for _, r := range s.recs {
		for _, sub := range subs {
			if !strings.Contains(r, sub) {
				continue next
			}
		}
		return true
	}
	return false
}

func (s *logSink) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// startBroker starts an embedded broker on a random loopback port.
func startBroker(t *testing.T) *Embedded {
	t.Helper()
	e, err := StartEmbedded("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

var clientSeq atomic.Int64

// testOptions returns fast Options for a link to url.
func testOptions(t *testing.T, url string) Options {
	return Options{
		Broker:           url,
		ClientID:         fmt.Sprintf("link-%s-%d", t.Name(), clientSeq.Add(1)),
		ReconnectInitial: 50 * time.Millisecond,
		ReconnectMax:     500 * time.Millisecond,
		ConnectTimeout:   2 * time.Second,
		CloseTimeout:     2 * time.Second,
		StatusTopic:      "hamlet/test/$daemon/status",
		Logger:           newLogSink(t).logger(),
		Registerer:       prometheus.NewRegistry(),
	}
}

// startLink starts a link and closes it when the test ends.
func startLink(t *testing.T, o Options, setup func(*Link)) *Link {
	t.Helper()
	l := New(o)
	if setup != nil {
		setup(l)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func waitConnected(t *testing.T, l *Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := l.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}
}

// client is a plain paho client that records what it receives.
type client struct {
	mqtt.Client
	got chan mqtt.Message
}

// plainClient connects a plain paho client (clean session) to url.
func plainClient(t *testing.T, url, id string) *client {
	t.Helper()
	c := &client{got: make(chan mqtt.Message, 1000)}
	opts := mqtt.NewClientOptions().AddBroker(url).SetClientID(id).SetAutoReconnect(false).
		SetConnectTimeout(wait).SetDefaultPublishHandler(func(_ mqtt.Client, m mqtt.Message) {
		select {
		case c.got <- m:
		default:
			t.Errorf("client %s: receive buffer full", id)
		}
	})
	c.Client = mqtt.NewClient(opts)
	mustToken(t, "connect "+id, c.Connect())
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

func (c *client) subscribe(t *testing.T, filter string, qos byte) {
	t.Helper()
	mustToken(t, "subscribe "+filter, c.Subscribe(filter, qos, nil))
}

func (c *client) publish(t *testing.T, topic string, qos byte, retained bool, payload string) {
	t.Helper()
	mustToken(t, "publish "+topic, c.Publish(topic, qos, retained, payload))
}

// next returns the next message received on topic, skipping others.
func (c *client) next(t *testing.T, topic string) mqtt.Message {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case m := <-c.got:
			if m.Topic() == topic {
				return m
			}
		case <-timeout:
			t.Fatalf("no message on %s within %s", topic, wait)
		}
	}
}

// nextLive returns the next message on topic that is not a retained copy
// sent on subscribe. The embedded broker may send a subscriber that joined
// just as a retained message was published both the retained copy and the
// live message.
func (c *client) nextLive(t *testing.T, topic string) mqtt.Message {
	t.Helper()
	for {
		if m := c.next(t, topic); !m.Retained() {
			return m
		}
	}
}

// retained returns the retained payload on topic as a new client sees it.
func retained(t *testing.T, url, topic string) string {
	t.Helper()
	c := plainClient(t, url, fmt.Sprintf("reader-%d", clientSeq.Add(1)))
	c.subscribe(t, topic, 1)
	m := c.next(t, topic)
	if !m.Retained() {
		t.Fatalf("message on %s is not retained", topic)
	}
	c.Disconnect(0)
	return string(m.Payload())
}

func mustToken(t *testing.T, what string, tok mqtt.Token) {
	t.Helper()
	if !tok.WaitTimeout(wait) {
		t.Fatalf("%s: timed out", what)
	}
	if err := tok.Error(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func value(c prometheus.Collector) float64 { return testutil.ToFloat64(c) }

// proxy forwards TCP to a broker and can cut every connection, so a test can
// take a link offline while the broker stays up.
type proxy struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	down     bool
	conns    map[net.Conn]bool
	wg       sync.WaitGroup
}

func startProxy(t *testing.T, upstream string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &proxy{ln: ln, upstream: upstream, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.setDown(true)
		p.wg.Wait()
	})
	return p
}

func (p *proxy) url() string { return "tcp://" + p.ln.Addr().String() }

// setDown cuts every connection and refuses new ones (down) or accepts them again.
func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			_ = c.Close()
		}
	}
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			_ = c.Close()
			continue
		}
		u, err := net.DialTimeout("tcp", p.upstream, time.Second)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[u] = true, true
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, u)
		go p.pipe(u, c)
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}
