// Package ingest is the path of every device message: decode it with the
// protocol adapters, apply it to the registry (state, telemetry,
// availability), record availability transitions and discovered devices in
// the store, hand telemetry points to the InfluxDB writer, and acknowledge the
// message to the broker only once all of that is durable.
package ingest

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/ratelog"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// Decoder turns one MQTT message into reports (devices/protocols.Router).
type Decoder interface {
	Decode(topic string, payload []byte, retained bool) ([]devices.Report, error)
}

// Store persists what must survive a restart.
type Store interface {
	RecordTransitions(ctx context.Context, ts []devices.Transition) error
	SaveDiscovered(ctx context.Context, d devices.Device, model, firmware string) error
	DeleteDiscovered(ctx context.Context, id string) error
}

// Sink takes telemetry encoded as line protocol and calls ack once it is
// durable (telemetry.Writer). It must not keep l after AddLines returns. A
// nil Sink means export is off.
type Sink interface {
	AddLines(l *telemetry.Lines, ack func())
}

// MaxDiscovered bounds how many devices discovery may add, so that a flood of
// bogus topics cannot grow the registry without end.
const MaxDiscovered = 5000

// Options configures a Pipeline.
type Options struct {
	Area     string
	Location *time.Location
	Decoder  Decoder
	Registry *devices.Registry
	Store    Store
	Sink     Sink // nil: telemetry export is off
	Logger   *slog.Logger
	// Registerer receives the pipeline's metrics. May be nil.
	Registerer prometheus.Registerer
	// Binary receives the payloads a decoder refused as binary
	// (devices.ReasonBinary: Frigate's snapshot JPEGs), with the topic and the
	// receive time; it must not keep payload. May be nil.
	Binary func(topic string, payload []byte, at time.Time)
	// Now returns the receive time. Defaults to time.Now.
	Now func() time.Time
	// StoreTimeout bounds each store write of a message's handling. If zero,
	// DefaultStoreTimeout (5s) is used.
	StoreTimeout time.Duration
	// OnAck, when set, receives every command acknowledgement a known
	// device sends (the lights capability). It must not block.
	OnAck func(d devices.Device, a devices.Ack)
	// Observe, when set, receives every report of a speaker that carries an
	// ack, events or speaker state, after the registry applied it (the
	// announce capability's receipts). It must not block for long.
	Observe func(d devices.Device, r devices.Report)
	// Clock, when set, says whether the wall clock can be trusted
	// (clockguard.Guard). While it cannot, availability transitions are held
	// and device timestamps are not believed (clockhold.go); the telemetry
	// writer holds the points.
	Clock telemetry.Clock
	// MaxHeldTransitions bounds the transitions held while the clock is not
	// plausible. If zero, MaxHeldTransitions.
	MaxHeldTransitions int
}

// Pipeline handles device messages. Handle is safe for concurrent use.
type Pipeline struct {
	opts    Options
	log     *slog.Logger
	limiter *ratelog.Limiter
	m       *metrics
	lines   sync.Pool    // *telemetry.Lines, one per message being handled
	stuck   atomic.Int32 // store writes still running after their deadline
	hold    clockHold
}

// New returns a Pipeline; it has no side effects besides registering metrics.
func New(opts Options) *Pipeline {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.StoreTimeout <= 0 {
		opts.StoreTimeout = DefaultStoreTimeout
	}
	p := &Pipeline{opts: opts, log: opts.Logger, limiter: ratelog.New(time.Minute, nil), m: newMetrics()}
	p.hold.held.Max = opts.MaxHeldTransitions
	if p.hold.held.Max <= 0 {
		p.hold.held.Max = MaxHeldTransitions
	}
	p.lines.New = func() any { return new(telemetry.Lines) }
	if opts.Registerer != nil {
		p.m.register(opts.Registerer)
	}
	return p
}

// Handle processes one message and calls ack once everything it caused is
// durable: at once when there is nothing to keep, else after the store has
// committed and the telemetry sink has written or spooled the points.
// It never panics on bad input: undecodable messages are counted by reason,
// logged (rate-limited) with topic and reason, and acknowledged.
func (p *Pipeline) Handle(topic string, payload []byte, retained bool, ack func()) {
	received := p.opts.Now()
	reports, err := p.opts.Decoder.Decode(topic, payload, retained)
	if err != nil {
		if p.opts.Binary != nil && isBinary(err) {
			p.opts.Binary(topic, payload, received)
		}
		p.rejected(topic, err)
		if len(reports) == 0 {
			ack()
			return
		}
	}
	l := p.lines.Get().(*telemetry.Lines)
	defer p.lines.Put(l)
	l.Reset()
	var transitions []devices.Transition
	unsure := p.unsure()
	for _, r := range reports {
		if unsure {
			r = withoutDeviceTimes(r)
		}
		transitions = p.apply(l, r, retained, received, transitions)
	}
	p.m.reports.Add(float64(len(reports)))
	if len(transitions) > 0 {
		p.appendTransitions(l, transitions)
		if err := p.recordTransitions(transitions); err != nil {
			// The message is still acknowledged: the broker would redeliver
			// it, but the registry has already moved, so the transition would
			// not be seen again. The InfluxDB point below still carries it.
			p.m.storeErrors.Inc()
			p.log.Error("availability transitions not recorded", "topic", topic, "count", len(transitions), "err", err)
		}
	}
	if l.Points() == 0 || p.opts.Sink == nil {
		ack()
		return
	}
	p.m.points.Add(float64(l.Points()))
	p.opts.Sink.AddLines(l, ack)
}

// apply applies one report to the registry, appends its telemetry points to
// l and returns ts with its availability transitions appended.
func (p *Pipeline) apply(l *telemetry.Lines, r devices.Report, retained bool, received time.Time, ts []devices.Transition) []devices.Transition {
	if r.AvailabilityAll {
		return append(ts, p.opts.Registry.ObserveAll(r.Protocol, r.Availability, received)...)
	}
	addr := devices.Address{Protocol: r.Protocol, Key: r.Key, Channel: r.Channel}
	if r.Discovery != nil {
		p.discover(addr, r)
		if r.Discovery.Remove {
			return ts
		}
	}
	d, transitions, ok := p.opts.Registry.Apply(addr, r, retained, received)
	if !ok {
		// A device we have not heard of: register it as discovered, so that
		// its availability and telemetry are kept; the installer assigns its zone.
		if !p.register(addr, r) {
			return ts
		}
		d, transitions, _ = p.opts.Registry.Apply(addr, r, retained, received)
	}
	if r.Ack != nil && p.opts.OnAck != nil {
		p.opts.OnAck(d, *r.Ack)
	}
	if p.opts.Observe != nil && d.Kind == devices.Speaker && (r.Ack != nil || len(r.Events) > 0 || r.Speaker != nil) {
		p.opts.Observe(d, r)
	}
	if src, _ := l.AppendReport(p.opts.Area, d, r, received, p.opts.Location); src == telemetry.TimeImplausible {
		p.m.implausible.Inc()
	}
	return append(ts, transitions...)
}

// appendTransitions appends the InfluxDB availability points of ts to l.
func (p *Pipeline) appendTransitions(l *telemetry.Lines, ts []devices.Transition) {
	for _, t := range ts {
		if err := l.AppendPoint(telemetry.AvailabilityPoint(p.opts.Area, t.Device, t.To, t.Cause, t.At), t.At); err != nil {
			p.log.Error("availability point not encoded", "device", t.Device.ID, "err", err)
		}
	}
}

// rejected counts and logs (rate-limited per reason) a message that was not used.
func (p *Pipeline) rejected(topic string, err error) {
	reason := "error"
	var de *devices.DecodeError
	if errors.As(err, &de) {
		reason = string(de.Reason)
	}
	p.m.rejected.WithLabelValues(reason).Inc()
	if reason == string(devices.ReasonIgnored) {
		return // deliberate: our own commands, bridge logs, ...
	}
	p.limiter.Log(p.log, slog.LevelWarn, reason, "device message not used", "topic", truncate(topic, 200), "reason", reason, "detail", err.Error())
}

// isBinary reports whether err refuses a payload as binary data.
func isBinary(err error) bool {
	var de *devices.DecodeError
	return errors.As(err, &de) && de.Reason == devices.ReasonBinary
}

var unsafeID = regexp.MustCompile(`[^a-z0-9_-]+`)

// discoveredID derives a stable, readable device id from a protocol address.
func discoveredID(p devices.Protocol, key string) string {
	id := strings.Trim(unsafeID.ReplaceAllString(strings.ToLower(key), "-"), "-")
	if id == "" {
		id = "device"
	}
	return truncate(string(p)+"-"+id, 64)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// recordTransitions writes ts to the store within the store deadline, or
// holds them while the clock is not plausible.
func (p *Pipeline) recordTransitions(ts []devices.Transition) error {
	if p.holdTransitions(ts) {
		return nil
	}
	return p.writeTransitions(ts)
}

// storeTransitions writes ts to the store, counting and logging a failure.
func (p *Pipeline) storeTransitions(ts []devices.Transition) {
	if err := p.writeTransitions(ts); err != nil {
		p.m.storeErrors.Inc()
		p.log.Error("availability transitions not recorded", "count", len(ts), "err", err)
	}
}

// writeTransitions writes ts to the store within the store deadline.
func (p *Pipeline) writeTransitions(ts []devices.Transition) error {
	return p.storeWrite("record transitions", func(ctx context.Context) error {
		return p.opts.Store.RecordTransitions(ctx, ts)
	})
}

// Record stores and exports availability transitions that did not come from
// a message (daemon start, broker link lost, inactivity timeouts).
func (p *Pipeline) Record(ts []devices.Transition) {
	if len(ts) == 0 {
		return
	}
	if err := p.recordTransitions(ts); err != nil {
		p.m.storeErrors.Inc()
		p.log.Error("availability transitions not recorded", "count", len(ts), "err", err)
	}
	p.export(ts)
}

// export hands the InfluxDB availability points of ts to the sink.
func (p *Pipeline) export(ts []devices.Transition) {
	if p.opts.Sink != nil {
		var l telemetry.Lines
		p.appendTransitions(&l, ts)
		p.opts.Sink.AddLines(&l, func() {})
	}
}
