package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// Options configure a Service.
type Options struct {
	// DB stores the schedules (table schedules, migration 0006). Required.
	DB *store.DB
	// Place is the area's position and timezone: light programmes are
	// validated and evaluated there, cron expressions read in Place.Loc.
	Place Place
	// Now returns the current time, for each schedule's next step. Default time.Now.
	Now func() time.Time
	// Logger is scoped by the caller. Default discards.
	Logger *slog.Logger
}

// Validator checks a programme of one kind; its errors should be
// *devices.FieldError naming the field (e.g. "program.cron").
type Validator func(program json.RawMessage) error

// NextFunc returns what a programme of one kind does next after t.
type NextFunc func(program json.RawMessage, t time.Time) (Upcoming, bool)

// Service keeps the schedules: it validates each kind's programme, stores
// it, shows each schedule's next step, and tells listeners when anything
// changes. Its methods are safe for concurrent use.
type Service struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	validate map[string]Validator
	next     map[string]NextFunc
	subs     []chan struct{}
}

// NewService returns a service with the light kind (ParseProgramme at
// opts.Place, Programme.Next) and a basic announcement kind (a "cron"
// expression or a one-off "at" time, see AnnouncementNext) registered.
func NewService(opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{opts: opts, log: opts.Logger, validate: map[string]Validator{}, next: map[string]NextFunc{}}
	pl := opts.Place
	s.Register(KindLight, func(raw json.RawMessage) error { _, err := ParseProgramme(raw, pl); return err })
	s.RegisterNext(KindLight, func(raw json.RawMessage, t time.Time) (Upcoming, bool) {
		var p Programme
		if json.Unmarshal(raw, &p) != nil {
			return Upcoming{}, false
		}
		st, at, ok := p.Next(t, pl)
		if !ok {
			return Upcoming{}, false
		}
		return Upcoming{Time: at, Step: &st}, true
	})
	s.Register(KindAnnouncement, func(raw json.RawMessage) error { return ValidateAnnouncement(raw, pl.loc()) })
	s.RegisterNext(KindAnnouncement, func(raw json.RawMessage, t time.Time) (Upcoming, bool) {
		return AnnouncementNext(raw, t, pl.loc())
	})
	return s
}

// Register sets the validator of a kind's programmes, replacing the one
// before (announce registers its own for "announcement").
func (s *Service) Register(kind string, validate Validator) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validate[kind] = validate
}

// RegisterNext sets how a kind's next step is found, for the API's "next".
func (s *Service) RegisterNext(kind string, next NextFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next[kind] = next
}

// Changes returns a channel that receives a value after schedules are
// created, updated or deleted. Changes coalesce: a listener that is busy
// gets one value for many. Each call returns a new channel; it is never closed.
func (s *Service) Changes() <-chan struct{} {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs = append(s.subs, ch)
	s.mu.Unlock()
	return ch
}

func (s *Service) changed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// List returns the schedules of kind (every kind when empty) by id, each
// with its next step after now.
func (s *Service) List(ctx context.Context, kind string) ([]Schedule, error) {
	if kind != "" && kind != KindLight && kind != KindAnnouncement {
		return nil, devices.Invalid("kind", "Loại lịch phải là light hoặc announcement / kind must be \"light\" or \"announcement\"")
	}
	rows, err := s.opts.DB.Schedules(ctx, kind)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	now := s.opts.Now()
	out := make([]Schedule, 0, len(rows))
	for _, r := range rows {
		out = append(out, s.view(r, now))
	}
	return out, nil
}

// Get returns one schedule with its next step; an unknown id wraps
// devices.ErrNotFound.
func (s *Service) Get(ctx context.Context, id string) (Schedule, error) {
	n, err := parseID(id)
	if err != nil {
		return Schedule{}, err
	}
	r, err := s.opts.DB.Schedule(ctx, n)
	if err != nil {
		return Schedule{}, storeError(id, err)
	}
	return s.view(r, s.opts.Now()), nil
}

// Create validates and stores a new schedule.
func (s *Service) Create(ctx context.Context, req Request, u accounts.User) (Schedule, error) {
	if err := s.check(&req); err != nil {
		return Schedule{}, err
	}
	targets, _ := json.Marshal(req.Targets)
	enabled := req.Enabled == nil || *req.Enabled
	r, err := s.opts.DB.CreateSchedule(ctx, store.ScheduleRow{Kind: req.kind(), Name: req.Name, Targets: targets,
		Program: compact(req.Program), Enabled: enabled, Zones: zonesOf(req), CreatedBy: u.Name})
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule: %w", err)
	}
	s.log.Info("schedule created", "id", r.ID, "kind", r.Kind, "user", u.Name)
	s.changed()
	return s.view(r, s.opts.Now()), nil
}

// Update replaces a schedule's name, targets, programme and (when given)
// enabled flag; its kind cannot change.
func (s *Service) Update(ctx context.Context, id string, req Request, u accounts.User) (Schedule, error) {
	n, err := parseID(id)
	if err != nil {
		return Schedule{}, err
	}
	cur, err := s.opts.DB.Schedule(ctx, n)
	if err != nil {
		return Schedule{}, storeError(id, err)
	}
	if req.Kind == "" {
		req.Kind = cur.Kind
	}
	if req.Kind != cur.Kind {
		return Schedule{}, devices.Invalid("kind", "Không đổi được loại lịch (%s) / the kind of a schedule (%s) cannot change", cur.Kind, cur.Kind)
	}
	if err := s.check(&req); err != nil {
		return Schedule{}, err
	}
	targets, _ := json.Marshal(req.Targets)
	enabled := cur.Enabled
	if req.Enabled != nil {
		enabled = *req.Enabled
	}
	r, err := s.opts.DB.UpdateSchedule(ctx, store.ScheduleRow{ID: n, Name: req.Name, Targets: targets,
		Program: compact(req.Program), Enabled: enabled, Zones: zonesOf(req), UpdatedBy: u.Name})
	if err != nil {
		return Schedule{}, storeError(id, err)
	}
	s.log.Info("schedule updated", "id", r.ID, "kind", r.Kind, "user", u.Name)
	s.changed()
	return s.view(r, s.opts.Now()), nil
}

// Delete removes a schedule; an unknown id wraps devices.ErrNotFound.
func (s *Service) Delete(ctx context.Context, id string, u accounts.User) error {
	n, err := parseID(id)
	if err != nil {
		return err
	}
	if err := s.opts.DB.DeleteSchedule(ctx, n); err != nil {
		return storeError(id, err)
	}
	s.log.Info("schedule deleted", "id", n, "user", u.Name)
	s.changed()
	return nil
}

// LightSchedule is an enabled light schedule with its programme decoded.
type LightSchedule struct {
	Schedule
	Programme Programme
}

// Lights returns the enabled light schedules, by id, for the lights
// capability to run. A stored programme that no longer decodes is logged
// and left out.
func (s *Service) Lights(ctx context.Context) ([]LightSchedule, error) {
	rows, err := s.opts.DB.Schedules(ctx, KindLight)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	var out []LightSchedule
	for _, r := range rows {
		if !r.Enabled {
			continue
		}
		var p Programme
		if err := json.Unmarshal(r.Program, &p); err != nil {
			s.log.Error("stored light programme does not decode", "id", r.ID, "err", err)
			continue
		}
		out = append(out, LightSchedule{Schedule: s.view(r, time.Time{}), Programme: p})
	}
	return out, nil
}

// check validates req and its programme with the kind's validator.
func (s *Service) check(req *Request) error {
	if err := req.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	v := s.validate[req.kind()]
	s.mu.Unlock()
	if v == nil {
		return devices.Invalid("kind", "Loại lịch %q chưa dùng được / schedule kind %q is not available", req.kind(), req.kind())
	}
	return v(req.Program)
}

// view turns a row into the API's Schedule; a zero now leaves Next out.
func (s *Service) view(r store.ScheduleRow, now time.Time) Schedule {
	sc := Schedule{ID: strconv.FormatInt(r.ID, 10), Kind: r.Kind, Name: r.Name, Program: r.Program, Enabled: r.Enabled,
		Zones: r.Zones, Created: r.Created, CreatedBy: r.CreatedBy, Updated: r.Updated, UpdatedBy: r.UpdatedBy}
	if sc.Zones == nil {
		sc.Zones = []string{}
	}
	if err := json.Unmarshal(r.Targets, &sc.Targets); err != nil {
		s.log.Error("stored schedule targets do not decode", "id", r.ID, "err", err)
	}
	if !now.IsZero() && r.Kind == KindLight {
		sc.Tonight = tonight(r.Program, now, s.opts.Place)
	}
	if !now.IsZero() && r.Enabled {
		s.mu.Lock()
		next := s.next[r.Kind]
		s.mu.Unlock()
		if next != nil {
			if up, ok := next(r.Program, now); ok {
				up.Time = up.Time.In(s.opts.Place.loc())
				sc.Next = &up
			}
		}
	}
	return sc
}

// zonesOf returns the zones of the target devices and target zones, sorted.
func zonesOf(req Request) []string {
	zs := slices.Clone(req.Targets.Zones)
	for _, d := range req.Devices {
		zs = append(zs, d.Zone)
	}
	slices.Sort(zs)
	return slices.Compact(zs)
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}

func parseID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("schedule %q: %w", id, devices.ErrNotFound)
	}
	return n, nil
}

func storeError(id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("schedule %q: %w", id, devices.ErrNotFound)
	}
	return fmt.Errorf("schedule %q: %w", id, err)
}

var _ Scheduler = (*Service)(nil)
