package mqttlink

import (
	"bufio"
	"crypto/tls"
	"errors"
	"net"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"
	netproxy "golang.org/x/net/proxy"
)

// Sizes of a bufferedConn's buffers.
const (
	readBufferSize = 32 << 10
	// maxPendingWrite is how much written data may wait for the flusher
	// before Write blocks, so that a broker that stops reading cannot make
	// the link buffer without bound.
	maxPendingWrite = 256 << 10
)

// openConnection is paho's OpenConnectionFunc for the tcp, mqtt and TLS
// schemes: it dials as paho does (honouring ALL_PROXY for plain TCP, and for
// TLS the same way paho does), wraps the connection in a bufferedConn and
// keeps it as the connection that received messages are acknowledged on.
// Websocket URLs keep paho's own dialer.
func (l *Link) openConnection(u *url.URL, o mqtt.ClientOptions) (net.Conn, error) {
	dialer := o.Dialer
	if dialer == nil {
		dialer = &net.Dialer{Timeout: 30 * time.Second}
	}
	var conn net.Conn
	var err error
	switch u.Scheme {
	case "tcp", "mqtt":
		conn, err = netproxy.FromEnvironmentUsing(dialer).Dial("tcp", u.Host)
	case "ssl", "tls", "mqtts":
		conn, err = dialTLS(dialer, u.Host, o.TLSConfig)
	default:
		return nil, errors.New("mqttlink: unsupported scheme " + u.Scheme)
	}
	if err != nil {
		return nil, err
	}
	bc := newBufferedConn(conn)
	l.conn.Store(bc)
	return bc, nil
}

// dialTLS dials host with TLS, through the SOCKS proxy in ALL_PROXY when set.
func dialTLS(dialer *net.Dialer, host string, cfg *tls.Config) (net.Conn, error) {
	if os.Getenv("all_proxy") == "" && os.Getenv("ALL_PROXY") == "" {
		return tls.DialWithDialer(dialer, "tcp", host, cfg)
	}
	raw, err := netproxy.FromEnvironmentUsing(dialer).Dial("tcp", host)
	if err != nil {
		return nil, err
	}
	tc := tls.Client(raw, cfg)
	if err := tc.Handshake(); err != nil {
		_ = raw.Close()
		return nil, err
	}
	return tc, nil
}

// bufferedConn is the broker connection as paho sees it. paho reads every
// packet in at least three reads (its first byte, each byte of its length,
// then its body) and writes every packet, each acknowledgement included, in
// its own write; on a plain TCP connection each of those is a system call,
// and together they cost more CPU than the rest of the link. So reads are
// served from a buffer, and writes are coalesced: Write copies the packet
// into a pending buffer and returns, and one flusher goroutine writes
// whatever has accumulated in one system call; acknowledgements released
// together leave together. Every paho packet is one Write, so packets from
// paho and the link's own PUBACKs never interleave.
//
// A write error is returned by the next Write (and the broken connection
// fails paho's reads, which reports the connection lost). Write blocks while
// maxPendingWrite bytes wait, so memory stays bounded when the broker stops
// reading. Close first lets the flusher finish, for at most
// disconnectQuiesce, so that a DISCONNECT written just before Close is sent.
// Write deadlines set by paho apply to the flusher's system call, not to
// Write itself.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader

	mu       sync.Mutex
	drained  *sync.Cond // broadcast when pending shrinks, the flusher stops or err is set
	pending  []byte
	spare    []byte
	flushing bool  // a flusher goroutine is running
	err      error // the first write error, or net.ErrClosed after Close
}

func newBufferedConn(c net.Conn) *bufferedConn {
	b := &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, readBufferSize)}
	b.drained = sync.NewCond(&b.mu)
	return b
}

// puback queues the PUBACK of QoS 1 message id. It fails once the
// connection is closed or broken.
func (c *bufferedConn) puback(id uint16) error {
	p := [4]byte{0x40, 2, byte(id >> 8), byte(id)}
	_, err := c.Write(p[:])
	return err
}

// Read reads through the buffer.
func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// Write queues p for the flusher and returns at once, unless too much is
// already queued.
func (c *bufferedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.err == nil && len(c.pending) >= maxPendingWrite {
		c.drained.Wait()
	}
	if c.err != nil {
		return 0, c.err
	}
	c.pending = append(c.pending, p...)
	if !c.flushing {
		c.flushing = true
		go c.flush()
	}
	return len(p), nil
}

// flush writes pending data until there is none.
func (c *bufferedConn) flush() {
	// Let the goroutines that are writing now (paho's writer with a burst
	// of publications, the acknowledgements of a burst of messages) queue
	// more first: on hamletd's one P this flusher would otherwise run
	// between every two packets. "All lights on" for 1,000 lamps took
	// 3,000 write calls per on and off, 720 with this, and a quarter less
	// of hamletd's CPU (bench/lights -hamletd).
	runtime.Gosched()
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.pending) > 0 && c.err == nil {
		buf := c.pending
		c.pending = c.spare[:0]
		c.mu.Unlock()
		_, err := c.Conn.Write(buf)
		c.mu.Lock()
		c.spare = buf[:0]
		if err != nil && c.err == nil {
			c.err = err
		}
		c.drained.Broadcast()
	}
	c.pending = c.pending[:0]
	c.flushing = false
	c.drained.Broadcast()
}

// sessionStore is paho's memory store without the received QoS 1 messages.
// paho keeps each of them until its acknowledgement goes through paho,
// only to deliver it again from memory after a reconnect; but the link
// writes their PUBACKs itself (bufferedConn.puback), and after a reconnect
// the broker delivers every unacknowledged message of the persistent session
// again anyway. Everything else (outgoing messages, QoS 2) is kept as paho
// keeps it.
type sessionStore struct{ *mqtt.MemoryStore }

func newSessionStore() sessionStore { return sessionStore{mqtt.NewMemoryStore()} }

// Put stores m unless it is a received QoS 1 message.
func (s sessionStore) Put(key string, m packets.ControlPacket) {
	if p, ok := m.(*packets.PublishPacket); ok && p.Qos == 1 && strings.HasPrefix(key, "i.") {
		return
	}
	s.MemoryStore.Put(key, m)
}

// Close waits, at most disconnectQuiesce, for queued data to be written,
// then closes the connection, which also ends a write still blocked. Later
// Writes fail with net.ErrClosed.
func (c *bufferedConn) Close() error {
	flushed := make(chan struct{})
	go func() {
		c.mu.Lock()
		for c.flushing {
			c.drained.Wait()
		}
		c.mu.Unlock()
		close(flushed)
	}()
	t := time.NewTimer(disconnectQuiesce)
	select {
	case <-flushed:
	case <-t.C:
	}
	t.Stop()
	c.mu.Lock()
	if c.err == nil {
		c.err = net.ErrClosed
	}
	c.drained.Broadcast()
	c.mu.Unlock()
	return c.Conn.Close()
}
