package mqttlink

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// Embedded is an in-process MQTT broker (mochi-mqtt) for installations
// without their own broker, for the demo and for tests. It allows every
// client, and keeps retained messages and persistent sessions in memory:
// they survive client reconnects, not a restart of the daemon. A hook keeps
// the messages queued for a session in order and none of them lost, working
// around two faults of mochi v2.7.9 (see embedded_session.go). The daemon
// connects to it through an ordinary Link on URL.
type Embedded struct {
	server   *mochi.Server
	listener *listeners.TCP
	once     sync.Once
}

// StartEmbedded starts a broker listening for MQTT over TCP on addr (such as
// "127.0.0.1:1883"; port 0 picks a free port, see Addr). The broker logs
// warnings and errors only, to logger with component=mqtt-broker.
func StartEmbedded(addr string, logger *slog.Logger) (*Embedded, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	caps := mochi.NewDefaultServerCapabilities()
	// Keep retained messages and queued QoS ≥1 messages until they are
	// replaced or delivered: by default mochi drops both after 24 hours.
	caps.MaximumMessageExpiryInterval = 0
	// A disconnected persistent session may queue this many QoS ≥1 messages
	// (the MQTT maximum); the default is 8192.
	caps.MaximumInflight = 65535
	// Messages waiting to be written to one client; beyond it mochi drops
	// them. Each client allocates 8 bytes per slot.
	caps.MaximumClientWritesPending = 16 * 1024
	server := mochi.New(&mochi.Options{
		Capabilities:           caps,
		Logger:                 slog.New(warnHandler{logger.Handler()}).With("component", "mqtt-broker"),
		SysTopicResendInterval: 60,
	})
	if err := server.AddHook(new(auth.AllowHook), nil); err != nil {
		return nil, fmt.Errorf("embedded mqtt broker: add auth hook: %w", err)
	}
	session := newSessionHook()
	session.server = server
	if err := server.AddHook(session, nil); err != nil {
		return nil, fmt.Errorf("embedded mqtt broker: add session hook: %w", err)
	}
	tcp := listeners.NewTCP(listeners.Config{ID: "tcp", Address: addr})
	if err := server.AddListener(tcp); err != nil {
		return nil, fmt.Errorf("embedded mqtt broker: listen on %s (mqtt.listen): %w", addr, err)
	}
	if err := server.Serve(); err != nil {
		_ = server.Close()
		return nil, fmt.Errorf("embedded mqtt broker: serve: %w", err)
	}
	return &Embedded{server: server, listener: tcp}, nil
}

// Addr returns the address the broker listens on, with the port it bound.
func (e *Embedded) Addr() string { return e.listener.Address() }

// URL returns the URL a Link uses to reach the broker: tcp://, with
// 127.0.0.1 when the broker listens on all interfaces.
func (e *Embedded) URL() string { return "tcp://" + dialAddr(e.Addr()) }

// Close stops the broker and disconnects its clients (their Last Wills are
// published to the remaining subscribers, if any). It is safe to call twice.
func (e *Embedded) Close() error {
	var err error
	e.once.Do(func() { err = e.server.Close() })
	return err
}

// warnHandler passes on records at warning level and above, and gives the
// broker's unnamed records a message.
type warnHandler struct{ h slog.Handler }

func (w warnHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.h.Enabled(ctx, l)
}

func (w warnHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "" {
		r.Message = "embedded mqtt broker"
	}
	return w.h.Handle(ctx, r)
}

func (w warnHandler) WithAttrs(as []slog.Attr) slog.Handler { return warnHandler{w.h.WithAttrs(as)} }

func (w warnHandler) WithGroup(name string) slog.Handler { return warnHandler{w.h.WithGroup(name)} }
