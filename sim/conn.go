package sim

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// message is one MQTT publication.
type message struct {
	topic    string
	qos      byte
	retained bool
	payload  []byte
}

// dialer holds what every connection of the fleet shares.
type dialer struct {
	broker         string
	scheme, host   string
	username       string
	password       string
	tls            *tls.Config
	connectTimeout time.Duration
}

// newDialer checks the broker URL.
func newDialer(o Options) (dialer, error) {
	if o.Broker == "" {
		return dialer{}, errors.New("sim: broker: required (e.g. tcp://127.0.0.1:1883)")
	}
	u, err := url.Parse(o.Broker)
	if err != nil {
		return dialer{}, fmt.Errorf("sim: broker %q: %w", o.Broker, err)
	}
	switch u.Scheme {
	case "tcp", "mqtt", "ssl", "tls", "mqtts", "tcps":
	default:
		return dialer{}, fmt.Errorf("sim: broker %q: scheme %q is not supported (want tcp, mqtt, ssl, tls, mqtts or tcps)", o.Broker, u.Scheme)
	}
	if u.Port() == "" {
		return dialer{}, fmt.Errorf("sim: broker %q: no port", o.Broker)
	}
	timeout := o.ConnectTimeout
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	return dialer{broker: o.Broker, scheme: u.Scheme, host: u.Host, username: o.Username, password: o.Password,
		tls: o.TLS, connectTimeout: timeout}, nil
}

// session is one MQTT connection of one simulated device. It keeps the
// net.Conn under paho so that kill can cut it without a DISCONNECT packet,
// which makes the broker publish the Last Will as it does when a real device
// loses power.
type session struct {
	client mqtt.Client
	mu     sync.Mutex
	nc     net.Conn
}

// sessionConfig is what differs between the connections of the fleet.
type sessionConfig struct {
	clientID string
	will     *message // nil: no Last Will
	onLost   func(s *session, err error)
}

// openSession connects one client. It never reconnects by itself: the
// device decides when to come back.
func openSession(ctx context.Context, d dialer, c sessionConfig) (*session, error) {
	s := &session{}
	o := mqtt.NewClientOptions().
		AddBroker(d.broker).
		SetClientID(c.clientID).
		SetUsername(d.username).
		SetPassword(d.password).
		SetCleanSession(true).
		SetAutoReconnect(false).
		SetConnectRetry(false).
		SetKeepAlive(30 * time.Second).
		SetConnectTimeout(d.connectTimeout).
		SetWriteTimeout(d.connectTimeout). // notice a dead broker in seconds, not paho's 30s
		SetOrderMatters(true).
		SetCustomOpenConnectionFn(s.dial(d))
	if c.will != nil {
		o.SetBinaryWill(c.will.topic, c.will.payload, c.will.qos, c.will.retained)
	}
	o.SetConnectionLostHandler(func(_ mqtt.Client, err error) {
		if c.onLost != nil {
			c.onLost(s, err)
		}
	})
	s.client = mqtt.NewClient(o)
	if err := wait(ctx, s.client.Connect(), d.connectTimeout); err != nil {
		s.kill()
		return nil, fmt.Errorf("connect to %s as %q: %w", d.broker, c.clientID, err)
	}
	return s, nil
}

// dial opens the network connection for paho and remembers it.
func (s *session) dial(d dialer) mqtt.OpenConnectionFunc {
	return func(_ *url.URL, _ mqtt.ClientOptions) (net.Conn, error) {
		nd := &net.Dialer{Timeout: d.connectTimeout}
		var nc net.Conn
		var err error
		switch d.scheme {
		case "ssl", "tls", "mqtts", "tcps":
			cfg := d.tls
			if cfg == nil {
				cfg = &tls.Config{}
			}
			nc, err = tls.DialWithDialer(nd, "tcp", d.host, cfg)
		default:
			nc, err = nd.Dial("tcp", d.host)
		}
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.nc = nc
		s.mu.Unlock()
		return nc, nil
	}
}

// subscribe subscribes to filters at QoS 1 with one handler.
func (s *session) subscribe(ctx context.Context, filters []string, timeout time.Duration, h func(topic string, payload []byte)) error {
	if len(filters) == 0 {
		return nil
	}
	m := make(map[string]byte, len(filters))
	for _, f := range filters {
		m[f] = 1
	}
	tok := s.client.SubscribeMultiple(m, func(_ mqtt.Client, msg mqtt.Message) { h(msg.Topic(), msg.Payload()) })
	if err := wait(ctx, tok, timeout); err != nil {
		return fmt.Errorf("subscribe %v: %w", filters, err)
	}
	return nil
}

// publish sends one message and, for QoS 1 and 2, waits for the broker's
// acknowledgement at most timeout.
func (s *session) publish(m message, timeout time.Duration) error {
	tok := s.client.Publish(m.topic, m.qos, m.retained, m.payload)
	if m.qos == 0 {
		return nil
	}
	return wait(context.Background(), tok, timeout)
}

// kill closes the network connection abruptly (TCP RST), so the broker sees
// no DISCONNECT and publishes the Last Will.
func (s *session) kill() {
	s.mu.Lock()
	nc := s.nc
	s.mu.Unlock()
	if nc == nil {
		return
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = nc.Close()
}

// disconnect sends DISCONNECT, so the broker discards the will, and closes
// the connection gracefully (paho closes it after at most 250 ms).
func (s *session) disconnect() {
	s.client.Disconnect(250)
}

// wait waits for tok at most timeout, or until ctx is done.
func wait(ctx context.Context, tok mqtt.Token, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-tok.Done():
		return tok.Error()
	case <-t.C:
		return fmt.Errorf("no answer from the broker within %v", timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}
