package mqttlink

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/config"
)

// Defaults used by Options fields left at their zero value.
const (
	DefaultKeepAlive        = 30 * time.Second
	DefaultConnectTimeout   = 10 * time.Second
	DefaultReconnectInitial = time.Second
	DefaultReconnectMax     = 30 * time.Second
	DefaultWorkers          = 4
	DefaultQueue            = 4096
	DefaultCloseTimeout     = 5 * time.Second
	DefaultScanWindow       = 10 * time.Second
	DefaultScanEvery        = time.Hour
)

// Status payloads published on Options.StatusTopic.
const (
	StatusOnline  = "online"
	StatusOffline = "offline"
)

// Options configures a Link. Zero values take the documented defaults.
type Options struct {
	// Broker is the broker URL: tcp:// or mqtt:// (plain), ssl://, tls://,
	// mqtts:// (TLS), ws:// or wss:// (websocket). Required.
	Broker string
	// ClientID is the fixed client id of the persistent session. Required.
	ClientID string
	// Username and Password authenticate to the broker. Default empty (none).
	Username string
	Password string
	// TLS names the CA, certificate and key files for TLS URLs. Empty files
	// mean the system roots and no client certificate.
	TLS config.TLS
	// KeepAlive is the MQTT keep-alive interval. Default 30s.
	KeepAlive time.Duration
	// ConnectTimeout bounds one connection attempt and the subscriptions made
	// after it. Default 10s.
	ConnectTimeout time.Duration
	// ReconnectInitial is the first reconnect delay. Default 1s.
	ReconnectInitial time.Duration
	// ReconnectMax caps the reconnect delay. Default 30s.
	ReconnectMax time.Duration
	// Workers is the number of goroutines running handlers. Default 4.
	Workers int
	// Queue is the total capacity of the hand-off between paho and the
	// workers, split evenly between them. Default 4096. When a worker's
	// share is full, QoS 1 messages wait (paho stops reading and the broker
	// is held back through TCP) and QoS 0 messages are dropped.
	Queue int
	// StatusTopic receives the retained "online" on every connect and is the
	// Last Will ("offline", retained, QoS 1). Default empty: no status.
	StatusTopic string
	// CloseTimeout bounds Close: draining the workers, publishing "offline"
	// and disconnecting. Default 5s.
	CloseTimeout time.Duration
	// OrderKey returns the key that orders a message on topic: messages with
	// the same key are handled one at a time, in the order the broker sent
	// them; different keys run in parallel on the Workers. The daemon gives
	// the device the topic is about (protocols.Router.OrderKey), so that a
	// lamp's retained state and then its "offline" Last Will, on two topics,
	// are applied in that order. It runs on paho's reading goroutine for
	// every message and must be cheap. Default: the topic itself.
	OrderKey func(topic string) string
	// ScanWindow is how long the filters of SubscribeScan stay subscribed
	// in each scan: long enough for the broker to send their retained
	// messages. Default 10s.
	ScanWindow time.Duration
	// ScanEvery is how often a scan is made again while connected (one is
	// made on every connection). Default 1h.
	ScanEvery time.Duration
	// Logger receives the link's logs. Default: discarded.
	Logger *slog.Logger
	// Registerer receives the link's metrics when not nil.
	Registerer prometheus.Registerer
}

// OptionsFromConfig builds Options from the daemon's configuration. The
// broker "embedded" becomes tcp:// on the embedded broker's listen address;
// when the embedded broker listens on a random port, use Embedded.URL instead.
// Registerer is left nil for the caller to set.
func OptionsFromConfig(cfg config.Config, logger *slog.Logger) Options {
	m := cfg.MQTT
	broker := m.Broker
	if broker == "embedded" {
		broker = "tcp://" + dialAddr(m.Listen)
	}
	return Options{
		Broker:       broker,
		ClientID:     m.ClientID,
		Username:     m.Username,
		Password:     m.Password,
		TLS:          m.TLS,
		KeepAlive:    m.KeepAlive,
		ReconnectMax: m.ReconnectMax,
		Workers:      m.Workers,
		Queue:        m.Queue,
		StatusTopic:  StatusTopic(m.TopicPrefix, cfg.Area.ID),
		Logger:       logger,
	}
}

// StatusTopic returns the daemon's own status topic, "<prefix>/<area>/$daemon/status".
func StatusTopic(prefix, area string) string {
	return prefix + "/" + area + "/$daemon/status"
}

// dialAddr turns a listen address into one a client can dial: an empty or
// unspecified host becomes 127.0.0.1.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// withDefaults returns o with zero values replaced by defaults.
func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.KeepAlive, DefaultKeepAlive)
	def(&o.ConnectTimeout, DefaultConnectTimeout)
	def(&o.ReconnectInitial, DefaultReconnectInitial)
	def(&o.ReconnectMax, DefaultReconnectMax)
	def(&o.CloseTimeout, DefaultCloseTimeout)
	def(&o.ScanWindow, DefaultScanWindow)
	def(&o.ScanEvery, DefaultScanEvery)
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.Queue == 0 {
		o.Queue = DefaultQueue
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// validate checks o (after withDefaults) and returns every problem, each
// naming its configuration key.
func (o Options) validate() error {
	var errs []error
	if _, err := parseBroker(o.Broker); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(o.ClientID) == "" {
		errs = append(errs, errors.New("mqtt.client_id: must not be empty (the persistent session needs a fixed client id)"))
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"mqtt.keep_alive", o.KeepAlive}, {"mqtt.connect_timeout", o.ConnectTimeout},
		{"mqtt.reconnect_initial", o.ReconnectInitial}, {"mqtt.reconnect_max", o.ReconnectMax},
		{"mqtt.close_timeout", o.CloseTimeout}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s: %s must not be negative", d.key, d.v))
		}
	}
	if o.KeepAlive > 0 && o.KeepAlive < time.Second {
		errs = append(errs, fmt.Errorf("mqtt.keep_alive: %s is shorter than MQTT's 1s resolution", o.KeepAlive))
	}
	if o.ReconnectMax < o.ReconnectInitial {
		errs = append(errs, fmt.Errorf("mqtt.reconnect_max: %s is shorter than the initial delay %s", o.ReconnectMax, o.ReconnectInitial))
	}
	if o.Workers < 1 {
		errs = append(errs, fmt.Errorf("mqtt.workers: %d must be at least 1", o.Workers))
	}
	if o.Queue < 1 {
		errs = append(errs, fmt.Errorf("mqtt.queue: %d must be at least 1", o.Queue))
	}
	if o.StatusTopic != "" {
		if err := ValidateTopic(o.StatusTopic); err != nil {
			errs = append(errs, fmt.Errorf("status topic: %w", err))
		}
	}
	return errors.Join(errs...)
}

// parseBroker parses and checks the broker URL and adds MQTT's default port
// (1883, or 8883 with TLS) when none is given.
func parseBroker(broker string) (*url.URL, error) {
	if broker == "" {
		return nil, errors.New("mqtt.broker: must not be empty")
	}
	u, err := url.Parse(broker)
	if err != nil {
		return nil, fmt.Errorf("mqtt.broker: %q is not a URL: %w", broker, err)
	}
	switch u.Scheme {
	case "tcp", "mqtt", "ssl", "tls", "mqtts", "ws", "wss":
	default:
		return nil, fmt.Errorf("mqtt.broker: %q has scheme %q; want tcp, mqtt, ssl, tls, mqtts, ws or wss (or \"embedded\")", broker, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("mqtt.broker: %q has no host", broker)
	}
	if u.Port() == "" && u.Scheme != "ws" && u.Scheme != "wss" {
		port := "1883"
		if usesTLS(u.Scheme) {
			port = "8883"
		}
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	return u, nil
}

// usesTLS reports whether a broker URL scheme is encrypted.
func usesTLS(scheme string) bool {
	switch scheme {
	case "ssl", "tls", "mqtts", "wss":
		return true
	}
	return false
}
