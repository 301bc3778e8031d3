package mqttlink

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/internal/backoff"
)

// disconnectQuiesce bounds how long Close waits for paho to send DISCONNECT.
const disconnectQuiesce = 500 * time.Millisecond

// Start validates the options, registers the metrics and begins connecting
// in the background; it returns at once. A broker that cannot be reached is
// not an error: the link retries, with delays from ReconnectInitial growing
// to ReconnectMax, for as long as it lives. When ctx is done the link closes
// itself as Close does. Start may be called once.
func (l *Link) Start(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return ErrClosed
	case l.started:
		return errors.New("mqttlink: already started")
	}
	if err := l.opts.validate(); err != nil {
		return fmt.Errorf("mqttlink: %w", err)
	}
	u, _ := parseBroker(l.opts.Broker)
	tlsCfg, err := tlsConfig(u.Scheme, u.Hostname(), l.opts.TLS)
	if err != nil {
		return fmt.Errorf("mqttlink: %w", err)
	}
	if err := l.metrics.register(l.opts.Registerer); err != nil {
		return fmt.Errorf("mqttlink: %w", err)
	}
	l.client = mqtt.NewClient(l.clientOptions(u, tlsCfg))
	l.started = true
	l.broker = u.Redacted()
	l.disp.start()
	go l.run()
	go func() {
		select {
		case <-ctx.Done():
			_ = l.Close()
		case <-l.closeCtx.Done():
		}
	}()
	return nil
}

func (l *Link) clientOptions(u *url.URL, tlsCfg *tls.Config) *mqtt.ClientOptions {
	o := mqtt.NewClientOptions().
		AddBroker(u.String()).
		SetClientID(l.opts.ClientID).
		SetUsername(l.opts.Username).
		SetPassword(l.opts.Password).
		SetProtocolVersion(4).
		SetCleanSession(false).
		SetOrderMatters(true).
		SetAutoAckDisabled(true).
		SetAutoReconnect(false). // run reconnects, for a true cap with jitter
		SetConnectRetry(false).
		SetResumeSubs(false). // setup subscribes on every connection
		SetKeepAlive(l.opts.KeepAlive).
		SetConnectTimeout(l.opts.ConnectTimeout).
		SetWriteTimeout(l.opts.ConnectTimeout).
		SetDefaultPublishHandler(l.receive).
		SetConnectionLostHandler(l.onLost)
	if !pahoAckPath && u.Scheme != "ws" && u.Scheme != "wss" {
		// Buffered reads, coalesced writes, and PUBACKs written directly.
		o.SetCustomOpenConnectionFn(l.openConnection).SetStore(newSessionStore())
	}
	if tlsCfg != nil {
		o.SetTLSConfig(tlsCfg)
	}
	if l.opts.StatusTopic != "" {
		o.SetBinaryWill(l.opts.StatusTopic, []byte(StatusOffline), 1, true)
	}
	return o
}

// run connects, waits for the connection to be lost and connects again, with
// a backoff between failed attempts, until Close.
func (l *Link) run() {
	defer close(l.loopDone)
	broker := l.broker
	ctx := l.closeCtx
	bo := backoff.Policy{Initial: l.opts.ReconnectInitial, Max: l.opts.ReconnectMax}
	retries := 0 // failed attempts and short-lived connections since the last stable one
	var failures int
	var downSince time.Time // zero before the first connection
	for {
		l.metrics.connectAttempts.Inc()
		tok := l.client.Connect()
		if err := waitToken(ctx, tok); err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			delay := bo.Delay(retries)
			retries++
			l.log.Warn("mqtt connect failed", "broker", broker, "error", err, "attempt", failures, "retry_in", delay)
			if !backoff.Sleep(ctx, delay) {
				return
			}
			continue
		}
		l.metrics.connects.Inc()
		up := time.Now()
		resumed := true
		if ct, ok := tok.(*mqtt.ConnectToken); ok {
			resumed = ct.SessionPresent()
		}
		attrs := []any{"broker", broker, "attempts", failures + 1, "session_present", resumed}
		if downSince.IsZero() {
			l.log.Info("mqtt connected", attrs...)
		} else {
			l.log.Info("mqtt connection restored", append(attrs, "down_for", up.Sub(downSince).Round(time.Millisecond))...)
			if !resumed {
				// Messages the broker had queued for the daemon are gone.
				l.log.Warn("mqtt broker did not keep the session", "broker", broker)
			}
		}
		failures = 0
		l.setup(l.client)
		stopScan := make(chan struct{})
		scanDone := make(chan struct{})
		go func() { defer close(scanDone); l.scanRetained(l.client, stopScan) }()
		select {
		case <-ctx.Done():
		case <-l.lost:
		}
		close(stopScan)
		<-scanDone
		if ctx.Err() != nil {
			return
		}
		downSince = time.Now()
		if downSince.Sub(up) >= l.opts.ReconnectMax {
			retries = 0 // a stable connection was lost: try again at once
			continue
		}
		// The connection did not last (a flapping broker or a duplicate client id):
		// back off before trying again.
		retries++
		if !backoff.Sleep(ctx, bo.Delay(retries-1)) {
			return
		}
	}
}

// setup runs after every successful connection, once paho has finished
// resending the session's stored packets: it subscribes, publishes "online"
// and reports the link connected. It does not run in paho's OnConnect
// callback because paho calls that before resending stored packets, and a
// publish made meanwhile races with the resend (paho.mqtt.golang issue 703).
func (l *Link) setup(c mqtt.Client) {
	l.setupMu.Lock()
	if filters := l.routes.filters(false); len(filters) > 0 {
		if err := l.subscribeFilters(c, filters); err != nil {
			l.log.Error("mqtt subscribe failed", "error", err)
		} else {
			l.log.Debug("mqtt subscribed", "filters", len(filters))
		}
	}
	l.subscribed = true
	l.setupMu.Unlock()
	if l.opts.StatusTopic != "" {
		ctx, cancel := context.WithTimeout(l.closeCtx, l.opts.ConnectTimeout)
		err := waitToken(ctx, c.Publish(l.opts.StatusTopic, 1, true, []byte(StatusOnline)))
		cancel()
		if err != nil {
			l.metrics.publishErrors.Inc()
			l.log.Warn("mqtt status publish failed", "topic", l.opts.StatusTopic, "error", err)
		}
	}
	l.transition(true)
}

// subscribeFilters subscribes and checks the broker's answer for each filter.
func (l *Link) subscribeFilters(c mqtt.Client, filters map[string]byte) error {
	ctx, cancel := context.WithTimeout(l.closeCtx, l.opts.ConnectTimeout)
	defer cancel()
	tok := c.SubscribeMultiple(filters, nil)
	if err := waitToken(ctx, tok); err != nil {
		return fmt.Errorf("subscribe %d filters: %w", len(filters), err)
	}
	st, ok := tok.(*mqtt.SubscribeToken)
	if !ok {
		return nil
	}
	var errs []error
	for f, code := range st.Result() {
		if code == 0x80 {
			errs = append(errs, fmt.Errorf("subscribe %q: refused by the broker", f))
		}
	}
	return errors.Join(errs...)
}

// onLost runs when an established connection is lost.
func (l *Link) onLost(_ mqtt.Client, err error) {
	l.metrics.connectionLost.Inc()
	l.log.Warn("mqtt connection lost", "broker", l.broker, "error", err)
	l.setupMu.Lock()
	l.subscribed = false
	l.setupMu.Unlock()
	l.transition(false)
	select {
	case l.lost <- struct{}{}:
	default:
	}
}

// receive is paho's message handler: it hands the message off. The payload
// is not copied: paho reads every packet into a buffer of its own
// (packets.PublishPacket.Unpack) and never reuses it.
func (l *Link) receive(_ mqtt.Client, m mqtt.Message) {
	qos := m.Qos()
	l.metrics.receivedQoS[min(qos, 2)].Inc()
	d := &delivery{
		topic:     m.Topic(),
		payload:   m.Payload(),
		qos:       qos,
		retained:  m.Retained(),
		duplicate: m.Duplicate(),
		received:  time.Now(),
	}
	d.id = m.MessageID()
	if qos == 1 && !pahoAckPath {
		// paho ends the handling of a connection (this goroutine included)
		// before the next one is opened, so this is the message's own.
		d.conn = l.conn.Load()
	}
	if d.conn == nil {
		d.paho = m // a websocket connection, or QoS 0 or 2: paho acknowledges
	}
	l.disp.enqueue(d)
}

// Close stops the link: it stops reconnecting, lets the workers handle what
// is queued (their acknowledgements still reach the broker), publishes the
// retained "offline" status, then disconnects cleanly. It is bounded by
// Options.CloseTimeout plus a short quiesce, safe to call twice, and safe
// after a failed or missing Start. Messages that arrive while closing are not
// acknowledged, so the broker delivers them again to the next session.
func (l *Link) Close() error {
	l.closeOnce.Do(func() { l.closeErr = l.shutdown() })
	return l.closeErr
}

func (l *Link) shutdown() error {
	l.mu.Lock()
	l.closed = true
	close(l.changed)
	l.changed = make(chan struct{})
	started, client := l.started, l.client
	l.mu.Unlock()
	l.closeCancel()
	if !started {
		return nil
	}
	<-l.loopDone
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.CloseTimeout)
	defer cancel()
	if !l.disp.close(ctx) {
		l.log.Warn("mqtt handlers still busy at close", "timeout", l.opts.CloseTimeout)
	}
	var err error
	// The loop has ended, so no "online" can follow this "offline".
	if l.opts.StatusTopic != "" && client.IsConnectionOpen() {
		if e := waitToken(ctx, client.Publish(l.opts.StatusTopic, 1, true, []byte(StatusOffline))); e != nil {
			l.metrics.publishErrors.Inc()
			err = fmt.Errorf("mqttlink: publish offline status: %w", e)
		}
	}
	client.Disconnect(uint(disconnectQuiesce.Milliseconds()))
	l.transition(false)
	l.metrics.unregister(l.opts.Registerer)
	l.log.Info("mqtt link closed")
	return err
}
