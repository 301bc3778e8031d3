// Package mqttlink is hamletd's link to the MQTT broker: paho.mqtt.golang
// behind a small interface, and the optional embedded broker.
//
// A Link keeps one persistent session (fixed client id, clean session off),
// subscribes with QoS 1 and leaves acknowledgement to the handlers, so a
// message is acknowledged to the broker only once a later stage made it
// durable; until then the broker keeps it and redelivers it after a
// reconnect. The Link reconnects by itself with a capped, jittered backoff,
// remakes every subscription and republishes the daemon's retained "online"
// status on every connection, and tells the daemon of every connection change
// so that it can reconcile and mark the time it was blind as unknown.
package mqttlink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// ErrClosed is returned by a Link after Close.
var ErrClosed = errors.New("mqttlink: link closed")

// ErrNotConnected is returned by Publish while the link is not connected.
var ErrNotConnected = errors.New("mqttlink: not connected")

// ErrNotStarted is returned by Publish before Start.
var ErrNotStarted = errors.New("mqttlink: link not started")

// Link is a connection to one MQTT broker. Create it with New, register
// subscriptions and connection listeners, then Start it; Close it once. All
// methods are safe for concurrent use.
type Link struct {
	opts    Options
	log     *slog.Logger
	routes  routes
	metrics *metrics
	disp    *dispatcher

	closeCtx    context.Context // done when Close begins
	closeCancel context.CancelFunc
	lost        chan struct{} // signals the connection loop that a connection was lost
	ready       atomic.Bool   // mirrors connected for Connected
	stateMu     sync.Mutex    // serialises connection changes and their listeners
	setupMu     sync.Mutex    // guards subscribed
	subscribed  bool          // setup has subscribed on the current connection

	mu        sync.Mutex
	started   bool
	closed    bool
	client    mqtt.Client
	broker    string // the broker URL without password, for logs
	connected bool
	changed   chan struct{} // closed and replaced whenever connected or closed changes
	listeners []func(connected bool)
	loopDone  chan struct{}

	closeOnce sync.Once
	closeErr  error

	conn atomic.Pointer[bufferedConn] // the latest connection opened, for PUBACKs

	rescan    chan struct{} // a scan filter was added: scan again soon
	scansDone atomic.Int64  // scans whose filters were unsubscribed again
}

// New returns a Link configured by opts, with defaults for zero values. It
// does not connect, validate or register metrics: Start does.
func New(opts Options) *Link {
	o := opts.withDefaults()
	l := &Link{
		opts:     o,
		log:      o.Logger.With("component", "mqtt"),
		lost:     make(chan struct{}, 1),
		changed:  make(chan struct{}),
		loopDone: make(chan struct{}),
		rescan:   make(chan struct{}, 1),
	}
	l.closeCtx, l.closeCancel = context.WithCancel(context.Background())
	l.metrics = newMetrics(func() float64 { return l.disp.queued() })
	l.disp = newDispatcher(max(1, o.Workers), max(1, o.Queue), o.OrderKey, &l.routes, l.metrics, l.log)
	return l
}

// Subscribe registers h for messages whose topic matches filter, delivered
// with at most the given QoS (use 1 for anything that must not be lost). It
// may be called before or after Start: every subscription is made again on
// every connection. Register subscriptions before Start, because the broker
// sends the messages queued in the persistent session right after connecting
// and a message that matches no subscription is acknowledged and discarded.
// Subscribing the same filter again replaces its handler. When the link is
// connected, Subscribe also subscribes at once and waits for the broker's
// answer; an error then means the subscription stays registered and is made
// again on the next connection.
func (l *Link) Subscribe(filter string, qos byte, h Handler) error {
	return l.subscribe(subscription{filter: filter, qos: qos, handler: h})
}

// SubscribeAutoAck is Subscribe for handlers that need nothing to be durable:
// the message is acknowledged when h returns (h may also Ack earlier).
func (l *Link) SubscribeAutoAck(filter string, qos byte, h Handler) error {
	return l.subscribe(subscription{filter: filter, qos: qos, handler: h, autoAck: true})
}

// SubscribeScan registers h for the retained messages of filter: the
// filter is subscribed on every connection and every Options.ScanEvery for
// Options.ScanWindow only, so the broker sends what it retains there without
// the link receiving every live message the rest of the time. For topics
// where only a retained message means anything, such as a device's command
// topic, whose live traffic is the daemon's own commands coming back.
// Messages are acknowledged as with Subscribe.
func (l *Link) SubscribeScan(filter string, qos byte, h Handler) error {
	return l.subscribe(subscription{filter: filter, qos: qos, handler: h, scan: true})
}

func (l *Link) subscribe(s subscription) error {
	if err := ValidateFilter(s.filter); err != nil {
		return fmt.Errorf("mqttlink: subscribe: %w", err)
	}
	if s.qos > 2 {
		return fmt.Errorf("mqttlink: subscribe %q: qos %d is not 0, 1 or 2", s.filter, s.qos)
	}
	if s.handler == nil {
		return fmt.Errorf("mqttlink: subscribe %q: nil handler", s.filter)
	}
	l.routes.add(s)
	if s.scan {
		select { // the connection's scanner scans again
		case l.rescan <- struct{}{}:
		default:
		}
		return nil
	}
	l.mu.Lock()
	client := l.client
	l.mu.Unlock()
	// Either setup has not taken its list of filters yet (and will include
	// this one), or it has subscribed and we subscribe here.
	l.setupMu.Lock()
	live := l.subscribed
	l.setupMu.Unlock()
	if !live || client == nil || !client.IsConnectionOpen() {
		return nil
	}
	if err := l.subscribeFilters(client, map[string]byte{s.filter: s.qos}); err != nil {
		return fmt.Errorf("mqttlink: subscription registered, broker subscribe failed (retried on reconnect): %w", err)
	}
	return nil
}

// OnConnectionChange registers f to be called with true once the link is
// connected, subscribed and has published its status, and with false when
// the connection is lost or closed. Calls come one at a time and in order;
// f must return quickly (hand longer work such as reconciling to another
// goroutine) and must not call Close. Register before Start.
func (l *Link) OnConnectionChange(f func(connected bool)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.listeners = append(l.listeners, f)
}

// Connected reports whether the link is connected and its subscriptions made.
func (l *Link) Connected() bool { return l.ready.Load() }

// WaitConnected waits until the link is connected, ctx is done (returning
// its error) or the link is closed (returning ErrClosed).
func (l *Link) WaitConnected(ctx context.Context) error {
	for {
		l.mu.Lock()
		connected, closed, changed := l.connected, l.closed, l.changed
		l.mu.Unlock()
		switch {
		case closed:
			return ErrClosed
		case connected:
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// Publish sends payload to topic and waits until the broker acknowledges it
// (QoS 1 and 2) or it is written (QoS 0), or until ctx is done. It fails at
// once with ErrNotConnected while the link is not Connected: callers that
// must deliver retry when OnConnectionChange reports the link connected.
// payload must not be modified until Publish returns.
func (l *Link) Publish(ctx context.Context, topic string, qos byte, retained bool, payload []byte) error {
	wait, err := l.Send(topic, qos, retained, payload)
	if err != nil {
		return err
	}
	return wait(ctx)
}

// Send starts publishing payload to topic and returns without waiting for
// the broker: wait then waits as Publish does. Messages sent one after the
// other reach the broker in that order, so one goroutine can send a
// thousand lamps their commands and then collect the acknowledgements,
// instead of a goroutine per lamp waiting on each (bench/lights). It fails
// at once as Publish does. payload must not be modified until wait returns.
func (l *Link) Send(topic string, qos byte, retained bool, payload []byte) (wait func(context.Context) error, err error) {
	if err := ValidateTopic(topic); err != nil {
		return nil, fmt.Errorf("mqttlink: publish: %w", err)
	}
	if qos > 2 {
		return nil, fmt.Errorf("mqttlink: publish to %s: qos %d is not 0, 1 or 2", topic, qos)
	}
	l.mu.Lock()
	client, closed := l.client, l.closed
	l.mu.Unlock()
	switch {
	case closed:
		return nil, ErrClosed
	case client == nil:
		return nil, ErrNotStarted
	case !l.ready.Load():
		l.metrics.publishErrors.Inc()
		return nil, fmt.Errorf("mqttlink: publish to %s: %w", topic, ErrNotConnected)
	}
	tok := client.Publish(topic, qos, retained, payload)
	return func(ctx context.Context) error {
		if err := waitToken(ctx, tok); err != nil {
			l.metrics.publishErrors.Inc()
			return fmt.Errorf("mqttlink: publish to %s: %w", topic, err)
		}
		return nil
	}, nil
}

// SubscribeNew subscribes, with h, the filters not in seen yet, kept with
// Subscribe and scanned with SubscribeScan, and adds them to seen: an
// adapter learns new filters from discovery, and its caller subscribes
// what its list gained. It returns every failure, naming the filter.
func (l *Link) SubscribeNew(kept, scanned []string, seen map[string]bool, qos byte, h Handler) error {
	var errs []error
	for _, scan := range []bool{false, true} {
		filters, subscribe := kept, l.Subscribe
		if scan {
			filters, subscribe = scanned, l.SubscribeScan
		}
		for _, f := range filters {
			if seen[f] {
				continue
			}
			seen[f] = true
			if err := subscribe(f, qos, h); err != nil {
				errs = append(errs, fmt.Errorf("filter %s: %w", f, err))
			}
		}
	}
	return errors.Join(errs...)
}

// waitToken waits for a paho token or ctx.
func waitToken(ctx context.Context, t mqtt.Token) error {
	select {
	case <-t.Done():
		return t.Error()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// transition records a connection change and tells the listeners. An "up"
// change is ignored when it is stale: the connection is already gone or the
// link is closing.
func (l *Link) transition(up bool) {
	l.stateMu.Lock()
	defer l.stateMu.Unlock()
	l.mu.Lock()
	if l.connected == up || (up && (l.closed || !l.client.IsConnectionOpen())) {
		l.mu.Unlock()
		return
	}
	if up { // before ready: whoever sees the link connected sees the gauge say so
		l.metrics.connected.Set(1)
	} else {
		l.metrics.connected.Set(0)
	}
	l.connected = up
	l.ready.Store(up)
	close(l.changed)
	l.changed = make(chan struct{})
	listeners := slices.Clone(l.listeners)
	l.mu.Unlock()
	for _, f := range listeners {
		f(up)
	}
}
