package mqttlink

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Handler handles one received message. It is called on one of the link's
// worker goroutines; messages with the same order key (Options.OrderKey: by
// default the topic) reach their handlers one at a time and in the order the
// broker sent them.
//
// A Handler owns acknowledgement: it must call [Message.Ack] exactly when the
// message is durable (written to InfluxDB or committed to the local spool), or
// at once when nothing about the message needs to be durable. Until then the
// broker keeps the message in the client's persistent session and delivers it
// again after a reconnect, so a Handler must tolerate duplicates. A Handler may
// Ack later from another goroutine. A message that is never acknowledged keeps
// one slot of the broker's in-flight window busy until the next reconnect.
//
// A panic in a Handler is recovered, logged and counted, and the message is
// acknowledged, so one poison message cannot wedge the session.
type Handler func(*Message)

// Message is one received MQTT message. Payload is the buffer paho read the
// packet into (paho allocates one per packet and never reuses it); it is
// shared by every handler whose subscription matches the topic and must not
// be modified.
type Message struct {
	// Topic is the topic the message was published on.
	Topic string
	// Payload is the message body.
	Payload []byte
	// QoS is the quality of service the message was delivered with (0, 1 or 2).
	QoS byte
	// Retained is true when the broker delivered a retained message on subscribe.
	Retained bool
	// Duplicate is true when the broker marked the delivery as a possible redelivery.
	Duplicate bool
	// MessageID is the MQTT packet id (0 for QoS 0).
	MessageID uint16
	// Received is when the link took the message from paho.
	Received time.Time
	// Filter is the subscription filter that matched the topic.
	Filter string

	ack *ackState
}

// NewMessage builds a Message outside a Link, for tests of handlers and for
// replays. ack, which may be nil, is called once, on the first call to Ack.
func NewMessage(topic string, payload []byte, qos byte, retained bool, ack func()) *Message {
	m := &Message{Topic: topic, Payload: payload, QoS: qos, Retained: retained, Received: time.Now(), ack: &ackState{}}
	if ack != nil {
		g := &ackGroup{ack: ack}
		g.remaining.Store(1)
		m.ack.group = g
	}
	return m
}

// Ack acknowledges the message. It is idempotent and safe for concurrent use.
// When several subscriptions match a topic, the broker is acknowledged once
// every matching handler has called Ack.
func (m *Message) Ack() {
	if m != nil {
		m.ack.do()
	}
}

// AckFunc returns a function that acknowledges m as Ack does. Unlike the
// method value m.Ack it does not keep m, and so its payload, in memory: hand
// it to a stage that acknowledges much later, such as a batching writer.
func (m *Message) AckFunc() func() {
	if m == nil || m.ack == nil {
		return func() {}
	}
	return m.ack.do
}

// Acked reports whether Ack has been called on m.
func (m *Message) Acked() bool { return m != nil && m.ack != nil && m.ack.acked.Load() }

// ackState is the acknowledgement of one Message.
type ackState struct {
	acked atomic.Bool
	group *ackGroup // nil: nothing to acknowledge
}

func (a *ackState) do() {
	if a == nil || !a.acked.CompareAndSwap(false, true) {
		return
	}
	if a.group != nil {
		a.group.done()
	}
}

// pahoAcker is the part of paho's message used to acknowledge it.
type pahoAcker interface{ Ack() }

// ackGroup acknowledges one received message once all of its handler
// copies have been acknowledged: with a PUBACK written straight to the
// connection the message came from (QoS 1 on a TCP or TLS connection), else
// through paho.
type ackGroup struct {
	remaining atomic.Int32
	ack       func()             // for NewMessage: called once the last copy is acknowledged
	paho      pahoAcker          // else paho acknowledges, unless conn does
	conn      *bufferedConn      // QoS 1: the connection to write the PUBACK to
	id        uint16             // the packet id to acknowledge
	acked     prometheus.Counter // counts acknowledgements sent, when not nil
}

func (g *ackGroup) done() {
	if g.remaining.Add(-1) != 0 {
		return
	}
	switch {
	case g.ack != nil:
		g.ack()
	case g.conn != nil:
		// An error means the connection is gone: the broker delivers the
		// message again to the next session.
		if g.conn.puback(g.id) != nil {
			return
		}
	case g.paho != nil:
		g.paho.Ack()
	}
	if g.acked != nil {
		g.acked.Inc()
	}
}
