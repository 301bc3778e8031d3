package mqttlink

import (
	"context"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// delivery is one message copied out of paho, waiting for a worker.
type delivery struct {
	topic     string
	payload   []byte
	qos       byte
	retained  bool
	duplicate bool
	id        uint16
	received  time.Time
	ack       func() // paho's acknowledgement
}

// dispatcher hands messages from paho's router to worker goroutines.
//
// paho calls its message handler from a single router goroutine, in the order
// the broker sent the messages (OrderMatters), and the next message waits
// until the handler returns; a blocked handler also blocks paho's
// keep-alive acknowledgements. So enqueue only copies the message into a
// bounded channel. Each worker owns one channel and a message goes to the
// worker chosen by a hash of its topic, so messages on one topic are handled
// in order (a device's Last Will "offline" followed by its "online" cannot be
// swapped) while different topics run in parallel.
//
// When a worker's channel is full, enqueue counts it and then drops a QoS 0
// message (at most once anyway) or waits for room for a QoS 1 or 2 message.
// Waiting is safe and rarely happens: the broker sends at most its in-flight
// window of unacknowledged QoS ≥1 messages (Mosquitto's max_inflight_messages,
// 20 by default) and messages only leave that window when a handler acks
// them, so with each worker's share of Queue at least the window the channel
// cannot fill with QoS ≥1 messages. Brokers without a window for MQTT 3.1.1 clients (mochi, the
// embedded broker) are slowed down through TCP instead, losing nothing.
type dispatcher struct {
	shards  []chan *delivery
	quit    chan struct{}
	stop    sync.Once
	wg      sync.WaitGroup
	routes  *routes
	metrics *metrics
	log     *slog.Logger
	limit   *rateLimiter
}

func newDispatcher(workers, queue int, r *routes, m *metrics, log *slog.Logger) *dispatcher {
	per := max(1, (queue+workers-1)/workers)
	d := &dispatcher{quit: make(chan struct{}), routes: r, metrics: m, log: log, limit: newRateLimiter(10 * time.Second)}
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

func (d *dispatcher) shard(topic string) chan *delivery {
	h := fnv.New32a()
	_, _ = h.Write([]byte(topic))
	return d.shards[h.Sum32()%uint32(len(d.shards))]
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
	if ok, suppressed := d.limit.allow("full"); ok {
		d.log.Warn("mqtt hand-off full", "topic", m.topic, "qos", m.qos, "capacity", cap(ch), "suppressed", suppressed)
	}
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
	if len(subs) == 0 {
		m.ack()
		d.metrics.acked.Inc()
		d.metrics.dropped.WithLabelValues(dropUnrouted).Inc()
		if ok, suppressed := d.limit.allow("unrouted"); ok {
			d.log.Warn("mqtt message matches no subscription", "topic", m.topic, "suppressed", suppressed)
		}
		return
	}
	group := newAckGroup(len(subs), func() {
		m.ack()
		d.metrics.acked.Inc()
	})
	for _, s := range subs {
		msg := &Message{Topic: m.topic, Payload: m.payload, QoS: m.qos, Retained: m.retained,
			Duplicate: m.duplicate, MessageID: m.id, Received: m.received, Filter: s.filter, group: group}
		d.call(s, msg)
	}
}

// call runs one handler, recovering a panic and acknowledging the message.
func (d *dispatcher) call(s subscription, msg *Message) {
	defer func() {
		if p := recover(); p != nil {
			d.metrics.handlerPanics.Inc()
			if ok, suppressed := d.limit.allow("panic " + s.filter); ok {
				d.log.Error("mqtt handler panicked", "topic", msg.Topic, "filter", s.filter,
					"panic", p, "suppressed", suppressed, "stack", string(debug.Stack()))
			}
			msg.Ack()
		}
	}()
	s.handler(msg)
	if s.autoAck {
		msg.Ack()
	}
}
