package uptime

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
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
	// maintenance windows, so that reports from InfluxDB see them too.
	Export func(points []*write.Point)
	// Now returns the current time. Default time.Now.
	Now func() time.Time
	// Logger is scoped to the capability. Default: discard.
	Logger *slog.Logger
}

// Service is the uptime capability over the local store (and InfluxDB for
// source=influx). It implements Reporter.
type Service struct {
	opts Options
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
	return &Service{opts: opts}
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
	var buf []store.Transition
	for _, d := range s.opts.Devices() {
		if !q.selects(d) {
			continue
		}
		d.Area = s.opts.Area
		if buf, err = s.opts.Store.DeviceTransitions(ctx, d.ID, p.From, p.To, buf[:0]); err != nil {
			return nil, err
		}
		b.Begin(d, maint[d.ID])
		for _, t := range buf {
			if err := b.Add(Transition{At: t.At, State: t.State, Cause: t.Cause}); err != nil {
				return nil, err
			}
		}
		if err := b.End(); err != nil {
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

var _ Reporter = (*Service)(nil)
