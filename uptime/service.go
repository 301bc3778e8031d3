package uptime

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// StaleAfter is how old the last heartbeat of a run that has not stopped
// may be for the run to count as still going: three missed heartbeats.
const StaleAfter = 15 * time.Second

// Options configure a Service.
type Options struct {
	// Area is this box's area id.
	Area string
	// Location is the area's timezone. Default UTC.
	Location *time.Location
	// SLO is the target uptime % per kind (config uptime.slo).
	SLO map[devices.Kind]float64
	// Store holds the transitions, the daemon's runs and maintenance.
	Store *store.DB
	// Devices returns the area's devices: the report covers them.
	Devices func() []Device
	// Influx answers source=influx; nil when InfluxDB is not configured.
	Influx *Influx
	// Export, when set, receives the InfluxDB points that declare and cancel
	// maintenance windows, so that reports from InfluxDB see them too (the
	// daemon's telemetry writer).
	Export Points
	// CacheBytes bounds the cache of closed months' transitions kept
	// between reports. Default DefaultCacheBytes; negative: no cache.
	CacheBytes int
	// Now returns the current time. Default time.Now.
	Now func() time.Time
	// Logger is scoped to the capability. Default: discard.
	Logger *slog.Logger
}

// Service is the uptime capability over the local store (and InfluxDB for
// source=influx). It implements Reporter.
type Service struct {
	opts  Options
	cache *monthCache
}

// New returns a Service; it has no side effects.
func New(opts Options) *Service {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Devices == nil {
		opts.Devices = func() []Device { return nil }
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = DefaultCacheBytes
	}
	return &Service{opts: opts, cache: newMonthCache(opts.CacheBytes)}
}

// Uptime implements Reporter.
func (s *Service) Uptime(ctx context.Context, q Query) (*Report, error) {
	b, err := s.run(ctx, q, nil)
	if err != nil {
		return nil, err
	}
	return b.Report(), nil
}

// Outages implements Reporter.
func (s *Service) Outages(ctx context.Context, q Query, fn func(Outage) error) error {
	_, err := s.run(ctx, q, fn)
	return err
}

// params returns the builder's parameters for q: the end is clipped to now.
func (s *Service) params(q Query, outage func(Outage) error) Params {
	now := s.opts.Now()
	p := Params{From: q.From, To: q.To, Location: s.opts.Location, SLO: s.opts.SLO, Daily: q.Daily,
		Outage: outage, Area: s.opts.Area, Source: SourceLocal}
	if !p.To.Before(now) {
		p.To, p.Ongoing = maxTime(now, p.From), true
	}
	return p
}

// run feeds a Builder from the source q names.
func (s *Service) run(ctx context.Context, q Query, outage func(Outage) error) (*Builder, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	p := s.params(q, outage)
	if q.Source != SourceInflux && q.Area != "" && q.Area != s.opts.Area {
		return nil, devices.Invalid("area", "Chỉ có số liệu của khu %s ở đây; dùng source=influx cho khu khác / this box holds area %s only; use source=influx for %q",
			s.opts.Area, s.opts.Area, q.Area)
	}
	if q.Source == SourceInflux {
		if s.opts.Influx == nil {
			return nil, &ServiceError{Service: "InfluxDB", Err: errNotConfigured}
		}
		return s.opts.Influx.run(ctx, q, p)
	}
	return s.local(ctx, q, p)
}

// local feeds a Builder from the store, one device at a time.
func (s *Service) local(ctx context.Context, q Query, p Params) (*Builder, error) {
	runs, err := s.opts.Store.Runs(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	p.Unwatched = Unwatched(watched(runs, s.opts.Now()), p.From, p.To)
	windows, err := s.opts.Store.MaintenanceWindows(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	maint := maintenanceByDevice(windows)
	b := NewBuilder(p)
	tr, err := s.opts.Store.TransitionReader(ctx)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	f := localFeeder{s: s, tr: tr, b: b}
	head, whole, tail := months(p.From, p.To, s.opts.Now())
	for _, d := range s.opts.Devices() {
		if !q.selects(d) {
			continue
		}
		d.Area = s.opts.Area
		if err := f.device(ctx, d, maint[d.ID], head, whole, tail); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// watched converts the store's runs: a run ends at its clean stop or its
// last heartbeat; the newest run, not stopped, with a fresh heartbeat is
// still going, so it ends now.
func watched(runs []store.Run, now time.Time) []Run {
	out := make([]Run, len(runs))
	for i, r := range runs {
		end := r.LastAlive
		if !r.StoppedAt.IsZero() {
			end = r.StoppedAt
		} else if i == len(runs)-1 && now.Sub(r.LastAlive) <= StaleAfter {
			end = now
		}
		out[i] = Run{Start: r.StartedAt, End: end}
	}
	return out
}

// maintenanceByDevice indexes windows by device.
func maintenanceByDevice(ws []store.MaintenanceWindow) map[string][]Interval {
	out := map[string][]Interval{}
	for _, w := range ws {
		for _, d := range w.Devices {
			out[d.ID] = append(out[d.ID], Interval{w.From, w.To})
		}
	}
	return out
}

// Points takes InfluxDB points to write (telemetry.Writer).
type Points interface {
	Add(points []*write.Point, ack func())
}

// Heartbeat writes to p the heartbeat point of run of area's daemon at at
// (see telemetry.HeartbeatPoint): the daemon writes one when a run starts,
// every few seconds and when it stops.
func Heartbeat(p Points, area string, run int64, at time.Time) {
	p.Add([]*write.Point{telemetry.HeartbeatPoint(area, run, at)}, func() {})
}

// ServiceError says a service the report needs (InfluxDB) did not answer;
// the API answers 502 naming it.
type ServiceError struct {
	Service string
	Err     error
}

func (e *ServiceError) Error() string { return fmt.Sprintf("%s: %v", e.Service, e.Err) }

// Unwrap returns the cause.
func (e *ServiceError) Unwrap() error { return e.Err }

var errNotConfigured = fmt.Errorf("not configured (influx.url is empty)")

// InfluxConfigured reports whether source=influx reports can be asked for
// (influx.url is set); the phone UI offers "every area" only then.
func (s *Service) InfluxConfigured() bool { return s.opts.Influx != nil }

var _ Reporter = (*Service)(nil)

// localFeeder feeds one device at a time from the store and the month cache.
type localFeeder struct {
	s   *Service
	tr  *store.TransitionReader
	b   *Builder
	buf []store.Transition
	pk  []Transition
}

// device feeds d: the state before the report, the head from the store, the
// closed whole months from the cache (filling it), the tail from the store.
func (f *localFeeder) device(ctx context.Context, d Device, maint []Interval, head Interval, whole []time.Time, tail Interval) error {
	f.b.Begin(d, maint)
	prior, ok, err := f.tr.Prior(ctx, d.ID, head.From)
	if err != nil {
		return err
	}
	if ok {
		if err := f.b.Add(Transition{At: prior.At, State: prior.State, Cause: prior.Cause}); err != nil {
			return err
		}
	}
	if err := f.span(ctx, d.ID, head); err != nil {
		return err
	}
	if err := f.whole(ctx, d.ID, whole); err != nil {
		return err
	}
	if err := f.span(ctx, d.ID, tail); err != nil {
		return err
	}
	return f.b.End()
}

// whole feeds the closed whole months from the cache; the months it lacks
// are read from the store in one query, packed and cached.
func (f *localFeeder) whole(ctx context.Context, id string, whole []time.Time) error {
	missing := -1
	for i, m := range whole {
		if _, ok := f.s.cache.get(monthKey{id, m.Unix()}); !ok {
			missing = i
			break
		}
	}
	if missing >= 0 {
		var err error
		last := whole[len(whole)-1].AddDate(0, 1, 0)
		if f.buf, err = f.tr.Span(ctx, id, whole[missing], last, f.buf[:0]); err != nil {
			return err
		}
	}
	rest := f.buf
	for i, m := range whole {
		end := m.AddDate(0, 1, 0)
		if missing < 0 || i < missing {
			packed, _ := f.s.cache.get(monthKey{id, m.Unix()})
			if err := unpack(packed, m, f.b.Add); err != nil {
				return err
			}
			continue
		}
		n := 0
		for n < len(rest) && rest[n].At.Before(end) {
			n++
		}
		f.pk = f.pk[:0]
		for _, t := range rest[:n] {
			f.pk = append(f.pk, Transition{At: t.At, State: t.State, Cause: t.Cause})
		}
		rest = rest[n:]
		f.s.cache.put(monthKey{id, m.Unix()}, pack(nil, m, f.pk))
		for _, t := range f.pk {
			if err := f.b.Add(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// span feeds d's transitions in iv from the store.
func (f *localFeeder) span(ctx context.Context, id string, iv Interval) error {
	var err error
	if f.buf, err = f.tr.Span(ctx, id, iv.From, iv.To, f.buf[:0]); err != nil {
		return err
	}
	for _, t := range f.buf {
		if err := f.b.Add(Transition{At: t.At, State: t.State, Cause: t.Cause}); err != nil {
			return err
		}
	}
	return nil
}

// CacheBytes returns the size of the month cache: closed months'
// transitions, packed, kept between reports.
func (s *Service) CacheBytes() int { return s.cache.bytes() }
