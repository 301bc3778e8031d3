package mqttlink

import (
	"bytes"
	"cmp"
	"slices"
	"sync"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// sessionHook works around two faults of mochi v2.7.9 that break hamlet's
// "nothing lost, nothing reordered" guarantees for persistent sessions.
//
// Order: when a client resumes its session, mochi resends the queued
// (in-flight) messages sorted by uint16(Created), the publish time in whole
// seconds, so messages queued within one second come out in any order and a
// device's "offline" could follow its "online". The hook numbers every
// PUBLISH mochi queues for a client and, just before a session is resumed,
// rewrites Created to the queue position (a session holds at most 65535
// messages, so the sort is then exact). Created is used for nothing else while
// MaximumMessageExpiryInterval is 0. A message that arrives during the very
// takeover may still be sent out of turn.
//
// Packet ids: mochi keeps a client's outgoing and incoming QoS ≥1 packet ids in
// one table, so when a client publishes with the id of a message the broker
// is still waiting to have acknowledged (the daemon publishing a command while
// a telemetry message awaits its durable write), mochi drops the waiting
// message and would never redeliver it. The hook sets the waiting message
// aside when such a PUBLISH is read and puts it back once the client's own
// publish is complete or the connection ends.
type sessionHook struct {
	mochi.HookBase
	server *mochi.Server

	mu     sync.Mutex
	next   uint64
	seq    map[string]map[uint16]uint64 // client id → packet id → queue order
	shadow map[string]map[uint16]packets.Packet
}

func newSessionHook() *sessionHook {
	return &sessionHook{seq: map[string]map[uint16]uint64{}, shadow: map[string]map[uint16]packets.Packet{}}
}

// ID names the hook.
func (h *sessionHook) ID() string { return "hamlet-session" }

// Provides lists the events the hook handles.
func (h *sessionHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mochi.OnPacketRead, mochi.OnQosPublish, mochi.OnQosComplete, mochi.OnQosDropped,
		mochi.OnSessionEstablish, mochi.OnDisconnect, mochi.OnClientExpired}, []byte{b})
}

// OnPacketRead sets aside a waiting outgoing message whose packet id the
// client is about to reuse for its own QoS ≥1 PUBLISH.
func (h *sessionHook) OnPacketRead(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.FixedHeader.Type != packets.Publish || pk.FixedHeader.Qos == 0 {
		return pk, nil
	}
	if held, ok := cl.State.Inflight.Get(pk.PacketID); ok && held.FixedHeader.Type == packets.Publish {
		h.mu.Lock()
		table(h.shadow, cl.ID)[pk.PacketID] = held
		h.mu.Unlock()
	}
	return pk, nil
}

// OnQosPublish numbers a PUBLISH queued for a client.
func (h *sessionHook) OnQosPublish(cl *mochi.Client, pk packets.Packet, _ int64, _ int) {
	if pk.FixedHeader.Type != packets.Publish {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	table(h.seq, cl.ID)[pk.PacketID] = h.next
}

// OnQosComplete forgets an acknowledged message, or puts back the message
// set aside for the client's own publish that just completed.
func (h *sessionHook) OnQosComplete(cl *mochi.Client, pk packets.Packet) {
	h.mu.Lock()
	held, ok := h.shadow[cl.ID][pk.PacketID]
	if ok {
		delete(h.shadow[cl.ID], pk.PacketID)
	} else {
		delete(h.seq[cl.ID], pk.PacketID)
	}
	h.mu.Unlock()
	if ok {
		cl.State.Inflight.Set(held)
	}
}

// OnQosDropped forgets a dropped message.
func (h *sessionHook) OnQosDropped(cl *mochi.Client, pk packets.Packet) {
	h.mu.Lock()
	delete(h.seq[cl.ID], pk.PacketID)
	h.mu.Unlock()
}

// OnDisconnect puts back messages still set aside and forgets the session
// if it ends with its connection.
func (h *sessionHook) OnDisconnect(cl *mochi.Client, _ error, expire bool) {
	h.mu.Lock()
	held := h.shadow[cl.ID]
	delete(h.shadow, cl.ID)
	if expire {
		delete(h.seq, cl.ID)
	}
	h.mu.Unlock()
	if expire {
		return
	}
	for id, pk := range held {
		if _, ok := cl.State.Inflight.Get(id); !ok {
			cl.State.Inflight.Set(pk)
		}
	}
}

// OnClientExpired forgets an expired session.
func (h *sessionHook) OnClientExpired(cl *mochi.Client) {
	h.mu.Lock()
	delete(h.seq, cl.ID)
	delete(h.shadow, cl.ID)
	h.mu.Unlock()
}

// OnSessionEstablish puts the queue of the session being resumed in order.
func (h *sessionHook) OnSessionEstablish(cl *mochi.Client, _ packets.Packet) {
	existing, ok := h.server.Clients.Get(cl.ID)
	if !ok {
		return
	}
	pending := existing.State.Inflight.GetAll(false)
	h.mu.Lock()
	order := h.seq[cl.ID]
	slices.SortStableFunc(pending, func(a, b packets.Packet) int {
		return cmp.Compare(order[a.PacketID], order[b.PacketID])
	})
	h.mu.Unlock()
	for i, pk := range pending {
		pk.Created = int64(i)
		existing.State.Inflight.Set(pk)
	}
}

// table returns m[id], creating it.
func table[V any](m map[string]map[uint16]V, id string) map[uint16]V {
	t := m[id]
	if t == nil {
		t = map[uint16]V{}
		m[id] = t
	}
	return t
}
