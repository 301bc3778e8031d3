package mqttlink

import (
	"sync/atomic"
	"time"
)

// Handler handles one received message. It is called on one of the link's
// worker goroutines; messages on the same topic reach their handlers one at a
// time and in the order the broker sent them.
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

// Message is one received MQTT message, copied out of paho. Payload is shared
// by every handler whose subscription matches the topic and must not be
// modified.
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
	// Received is when the link copied the message out of paho.
	Received time.Time
	// Filter is the subscription filter that matched the topic.
	Filter string

	acked atomic.Bool
	group *ackGroup
}

// NewMessage builds a Message outside a Link, for tests of handlers and for
// replays. ack, which may be nil, is called once, on the first call to Ack.
func NewMessage(topic string, payload []byte, qos byte, retained bool, ack func()) *Message {
	m := &Message{Topic: topic, Payload: payload, QoS: qos, Retained: retained, Received: time.Now()}
	if ack != nil {
		m.group = newAckGroup(1, ack)
	}
	return m
}

// Ack acknowledges the message. It is idempotent and safe for concurrent use.
// When several subscriptions match a topic, the broker is acknowledged once
// every matching handler has called Ack.
func (m *Message) Ack() {
	if m == nil || !m.acked.CompareAndSwap(false, true) {
		return
	}
	if m.group != nil {
		m.group.done()
	}
}

// Acked reports whether Ack has been called on m.
func (m *Message) Acked() bool { return m.acked.Load() }

// ackGroup acknowledges one paho message once all of its handler copies have
// been acknowledged.
type ackGroup struct {
	remaining atomic.Int32
	ack       func()
}

func newAckGroup(n int, ack func()) *ackGroup {
	g := &ackGroup{ack: ack}
	g.remaining.Store(int32(n))
	return g
}

func (g *ackGroup) done() {
	if g.remaining.Add(-1) == 0 {
		g.ack()
	}
}
