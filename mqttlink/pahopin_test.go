package mqttlink

// Tests that pin the paho.mqtt.golang internals the link's acknowledgement
// path relies on (conn.go's bufferedConn and sessionStore, link.go's
// receive; docs/mqtt.md, "The acknowledgement path"). Each uses a real paho
// client and fails loudly, naming the assumption, when an upgrade of paho
// breaks it: then the bypass must be changed or retired (-tags paho_ack).

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"
)

// recordingConn keeps a copy of every Write.
type recordingConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, bytes.Clone(p))
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *recordingConn) recorded() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.writes...)
}

// recordingStore is paho's memory store, recording the keys of Put.
type recordingStore struct {
	*mqtt.MemoryStore
	mu   sync.Mutex
	puts map[string]packets.ControlPacket
}

func (s *recordingStore) Put(key string, m packets.ControlPacket) {
	s.mu.Lock()
	s.puts[key] = m
	s.mu.Unlock()
	s.MemoryStore.Put(key, m)
}

// pinClient connects a paho client set up as the link sets up its own
// (persistent session, ordered, manual acks) to the embedded broker, through
// a recordingConn and a recordingStore; handler receives every message.
func pinClient(t *testing.T, handler mqtt.MessageHandler) (mqtt.Client, *recordingConn, *recordingStore, string) {
	t.Helper()
	b, err := StartEmbedded("127.0.0.1:0", newLogSink(t).logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	var conn *recordingConn
	store := &recordingStore{MemoryStore: mqtt.NewMemoryStore(), puts: map[string]packets.ControlPacket{}}
	opts := mqtt.NewClientOptions().AddBroker(b.URL()).SetClientID(fmt.Sprintf("pin-%d", clientSeq.Add(1))).
		SetCleanSession(false).SetOrderMatters(true).SetAutoAckDisabled(true).SetAutoReconnect(false).
		SetKeepAlive(30 * time.Second).SetStore(store).SetDefaultPublishHandler(handler).
		SetCustomOpenConnectionFn(func(u *url.URL, _ mqtt.ClientOptions) (net.Conn, error) {
			c, err := net.Dial("tcp", u.Host)
			if err != nil {
				return nil, err
			}
			conn = &recordingConn{Conn: c}
			return conn, nil
		})
	c := mqtt.NewClient(opts)
	mustToken(t, "connect", c.Connect())
	t.Cleanup(func() { c.Disconnect(50) })
	return c, conn, store, b.URL()
}

// TestPahoWritesEachPacketInOneWrite pins bufferedConn's assumption that
// every packet paho sends is exactly one Write holding one whole packet, so
// that the link's own PUBACKs, written between two of paho's Writes, never
// land inside one of paho's packets. (PINGREQ is written the same way, by
// paho's keepalive calling Packet.Write(conn); the embedded broker's strict
// keep-alive makes waiting for one here flaky.)
func TestPahoWritesEachPacketInOneWrite(t *testing.T) {
	got := make(chan mqtt.Message, 100)
	c, conn, _, _ := pinClient(t, func(_ mqtt.Client, m mqtt.Message) { got <- m })
	mustToken(t, "subscribe", c.SubscribeMultiple(map[string]byte{"pin/1": 1, "pin/2": 2}, nil))
	big := strings.Repeat("x", 70000) // a remaining length of three bytes
	for _, p := range []struct {
		topic   string
		qos     byte
		payload string
	}{{"pin/1", 0, "zero"}, {"pin/1", 1, "one"}, {"pin/2", 2, "two"}, {"pin/1", 1, big}} {
		mustToken(t, "publish", c.Publish(p.topic, p.qos, false, p.payload))
	}
	for range 4 {
		select {
		case m := <-got:
			m.Ack() // PUBACK for QoS 1, PUBREC (then PUBCOMP) for QoS 2
		case <-time.After(wait):
			t.Fatal("own messages not received")
		}
	}
	mustToken(t, "unsubscribe", c.Unsubscribe("pin/1", "pin/2"))
	var seen map[string]bool
	count := func() {
		var err error
		if seen, err = wholePackets(conn.recorded()); err != nil {
			t.Fatalf("PAHO ASSUMPTION BROKEN: %v; bufferedConn's PUBACKs could interleave with paho's packets: "+
				"fix mqttlink/conn.go or build with -tags paho_ack", err)
		}
	}
	c.Disconnect(50)
	count()
	for _, want := range []string{"CONNECT", "SUBSCRIBE", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBSCRIBE", "DISCONNECT"} {
		if !seen[want] {
			t.Errorf("the test saw no %s written; seen %v", want, seen)
		}
	}
}

// wholePackets checks that each write is exactly one whole MQTT packet and
// returns the names of the packet types seen.
func wholePackets(writes [][]byte) (map[string]bool, error) {
	seen := map[string]bool{}
	for i, w := range writes {
		r := bytes.NewReader(w)
		if _, err := packets.ReadPacket(r); err != nil || r.Len() != 0 {
			return seen, fmt.Errorf("write %d (%d bytes) is not exactly one whole MQTT packet (%v, %d bytes left over)", i, len(w), err, r.Len())
		}
		seen[packets.PacketNames[w[0]>>4]] = true
	}
	return seen, nil
}

// TestWholePacketsCatchesSplitAndJoinedWrites checks the checker itself.
func TestWholePacketsCatchesSplitAndJoinedWrites(t *testing.T) {
	puback := []byte{0x40, 2, 0, 7}
	if _, err := wholePackets([][]byte{puback}); err != nil {
		t.Fatalf("one PUBACK: %v", err)
	}
	for name, writes := range map[string][][]byte{
		"split":  {puback[:2], puback[2:]},
		"joined": {append(bytes.Clone(puback), puback...)},
	} {
		if _, err := wholePackets(writes); err == nil {
			t.Errorf("%s writes passed", name)
		}
	}
}

// TestPahoStoresReceivedQoS1UnderInboundKey pins sessionStore's assumption
// that paho keeps a received QoS 1 PUBLISH in its store under "i.<packet
// id>" (the key sessionStore filters out, because the link acknowledges it
// itself).
func TestPahoStoresReceivedQoS1UnderInboundKey(t *testing.T) {
	got := make(chan mqtt.Message, 1)
	c, _, store, broker := pinClient(t, func(_ mqtt.Client, m mqtt.Message) { got <- m })
	mustToken(t, "subscribe", c.Subscribe("pin/in", 1, nil))
	pub := plainClient(t, broker, fmt.Sprintf("pub-%d", clientSeq.Add(1)))
	pub.publish(t, "pin/in", 1, false, "stored")
	var m mqtt.Message
	select {
	case m = <-got:
	case <-time.After(wait):
		t.Fatal("message not received")
	}
	key := fmt.Sprintf("i.%d", m.MessageID())
	store.mu.Lock()
	p, ok := store.puts[key].(*packets.PublishPacket)
	var keys []string
	for k := range store.puts {
		keys = append(keys, k)
	}
	store.mu.Unlock()
	if !ok || p.Qos != 1 || p.MessageID != m.MessageID() || string(p.Payload) != "stored" {
		t.Fatalf("PAHO ASSUMPTION BROKEN: the received QoS 1 message %d is not stored under %q (store keys %v); "+
			"sessionStore no longer keeps paho from holding messages the link acknowledges itself: "+
			"fix mqttlink/conn.go or build with -tags paho_ack", m.MessageID(), key, keys)
	}
	m.Ack()
}

// TestPahoPayloadIsNotReused pins receive's assumption that the payload
// slice of a received message is its own: paho reads every packet into a
// new buffer and never reuses it, also behind bufferedConn's read buffer,
// so the link hands it on without a copy.
func TestPahoPayloadIsNotReused(t *testing.T) {
	b := startBroker(t)
	h, got := collect()
	l := startLink(t, testOptions(t, b.URL()), func(l *Link) { _ = l.Subscribe("pin/p", 1, h) })
	waitConnected(t, l)
	pub := plainClient(t, b.URL(), fmt.Sprintf("pub-%d", clientSeq.Add(1)))
	const n = 300
	for i := range n {
		pub.Publish("pin/p", 1, false, fmt.Sprintf("message %04d %s", i, strings.Repeat("p", i%50)))
	}
	var kept []*Message
	for range n {
		m := recv(t, got)
		kept = append(kept, m)
		m.Ack()
	}
	for i, m := range kept {
		if want := fmt.Sprintf("message %04d %s", i, strings.Repeat("p", i%50)); string(m.Payload) != want {
			t.Fatalf("PAHO ASSUMPTION BROKEN: the payload of message %d now reads %q, want %q: a later message "+
				"overwrote it; copy the payload in Link.receive (mqttlink/link.go)", i, m.Payload, want)
		}
	}
}
