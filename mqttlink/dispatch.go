package mqttlink

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/internal/ratelog"
)

// delivery is one message taken from paho, waiting for a worker. It is also
// the message's ackGroup, and holds the acknowledgement of the Message of its
// first matching subscription. Once the handlers have returned it keeps only
// what acknowledging needs, so that a message waiting to become durable does
// not keep its payload in memory through the delivery.
type delivery struct {
	ackGroup
	topic     string
	payload   []byte
	qos       byte
	retained  bool
	duplicate bool
	received  time.Time
	first     ackState
}

// dispatcher hands messages from paho's router to worker goroutines.
//
// paho calls its message handler from a single router goroutine, in the order
// the broker sent the messages (OrderMatters), and the next message waits
// until the handler returns; a blocked handler also blocks paho's
// keep-alive acknowledgements. So enqueue only copies the message into a
// bounded channel. Each worker owns one channel and a message goes to the
// worker chosen by a hash of its order key (Options.OrderKey: the device the
// message is about, else its topic), so the messages about one device are
// handled in order, whatever their topics (a lamp's retained state followed
// by its Last Will "offline" cannot be swapped), while different devices run
// in parallel.
//
// When a worker's channel is full, enqueue counts it and then drops a QoS 0
// message (at most once anyway) or waits for room for a QoS 1 or 2 message.
// Waiting is safe: paho stops reading, and the broker is slowed down through
// TCP, losing nothing. It happens during bursts: a broker may keep its
// in-flight window of unacknowledged QoS ≥1 messages (Mosquitto's
// max_inflight_messages) small, but Mosquitto 2.0.11 was measured sending
// tens of thousands beyond it once acknowledgements flow, and mochi (the
// embedded broker) has no window for MQTT 3.1.1 clients.
type dispatcher struct {
	shards  []chan *delivery
	quit    chan struct{}
	stop    sync.Once
	wg      sync.WaitGroup
	routes  *routes
	metrics *metrics
	log     *slog.Logger
	limit   *ratelog.Limiter
	key     func(topic string) string // the order key; nil: the topic
}

func newDispatcher(workers, queue int, key func(string) string, r *routes, m *metrics, log *slog.Logger) *dispatcher {
	per := max(1, (queue+workers-1)/workers)
	d := &dispatcher{quit: make(chan struct{}), routes: r, metrics: m, log: log, limit: ratelog.New(10*time.Second, nil), key: key}
	for range workers {
		d.shards = append(d.shards, make(chan *delivery, per))
	}
	return d
}

// start runs the workers.
func (d *dispatcher) start() {
	for _, ch := range d.shards {
		d.wg.Add(1)
		go d.work(ch)
	}
}

// queued returns how many messages wait in the hand-off.
func (d *dispatcher) queued() float64 {
	n := 0
	for _, ch := range d.shards {
		n += len(ch)
	}
	return float64(n)
}

// shard returns the channel of the worker for a message on topic, chosen by
// the FNV-1a hash of its order key.
func (d *dispatcher) shard(topic string) chan *delivery {
	key := topic
	if d.key != nil {
		key = d.key(topic)
	}
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return d.shards[h%uint32(len(d.shards))]
}

// enqueue hands m to its worker. It is called by paho's router goroutine.
func (d *dispatcher) enqueue(m *delivery) {
	select {
	case <-d.quit:
		d.metrics.dropped.WithLabelValues(dropClosing).Inc()
		return
	default:
	}
	ch := d.shard(m.topic)
	select {
	case ch <- m:
		d.metrics.handedOff.Inc()
		return
	default:
	}
	d.metrics.handoffFull.Inc()
	d.limit.Log(d.log, slog.LevelWarn, "full", "mqtt hand-off full", "topic", m.topic, "qos", m.qos, "capacity", cap(ch))
	if m.qos == 0 {
		d.metrics.dropped.WithLabelValues(dropHandoffFull).Inc()
		return
	}
	select {
	case ch <- m:
		d.metrics.handedOff.Inc()
	case <-d.quit:
		d.metrics.dropped.WithLabelValues(dropClosing).Inc()
	}
}

// close stops accepting messages and waits, at most until ctx is done, for
// the workers to handle what is queued. It reports whether they finished.
func (d *dispatcher) close(ctx context.Context) bool {
	d.stop.Do(func() { close(d.quit) })
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

func (d *dispatcher) work(ch chan *delivery) {
	defer d.wg.Done()
	for {
		select {
		case m := <-ch:
			d.handle(m)
		case <-d.quit:
			for {
				select {
				case m := <-ch:
					d.handle(m)
				default:
					return
				}
			}
		}
	}
}

// handle runs every handler whose filter matches m's topic.
func (d *dispatcher) handle(m *delivery) {
	subs := d.routes.match(m.topic)
	m.acked = d.metrics.acked
	if len(subs) == 0 {
		m.remaining.Store(1)
		m.done()
		d.metrics.dropped.WithLabelValues(dropUnrouted).Inc()
		d.limit.Log(d.log, slog.LevelWarn, "unrouted", "mqtt message matches no subscription", "topic", m.topic)
		m.topic, m.payload = "", nil
		return
	}
	m.remaining.Store(int32(len(subs)))
	for i, s := range subs {
		ack := &m.first
		if i > 0 {
			ack = new(ackState)
		}
		ack.group = &m.ackGroup
		d.call(s, &Message{Topic: m.topic, Payload: m.payload, QoS: m.qos, Retained: m.retained,
			Duplicate: m.duplicate, MessageID: m.id, Received: m.received, Filter: s.filter, ack: ack})
	}
	m.topic, m.payload = "", nil // the Messages hold them for as long as handlers keep them
}

// call runs one handler, recovering a panic and acknowledging the message.
func (d *dispatcher) call(s subscription, msg *Message) {
	defer func() {
		if p := recover(); p != nil {
			d.metrics.handlerPanics.Inc()
			if n, ok := d.limit.Allow("panic " + s.filter); ok { // the stack only for lines logged
				d.log.Error("mqtt handler panicked", "topic", msg.Topic, "filter", s.filter,
					"panic", p, "suppressed", n, "stack", string(debug.Stack()))
			}
			msg.Ack()
		}
	}()
	s.handler(msg)
	if s.autoAck {
		msg.Ack()
	}
}
