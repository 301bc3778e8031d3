package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// Store keeps alerts; *store.DB is one.
type Store interface {
	SaveAlert(ctx context.Context, a store.AlertRow) error
	Alerts(ctx context.Context, q store.AlertQuery) ([]store.AlertRow, error)
	Alert(ctx context.Context, id string) (store.AlertRow, error)
}

// Event is a change in an alert's life, sent to channels and event streams.
// Type is raised, acknowledged, flapped or cleared.
type Event struct {
	Type  string `json:"type"`
	Alert Alert  `json:"alert"`
}

// Notifier is a channel that hears about alert events (webhook, MQTT,
// announcement). Notify must not block for long: slow work is queued.
type Notifier interface {
	Notify(ctx context.Context, e Event)
}

// Options configure a Manager.
type Options struct {
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// ClearAfter is how long a condition must stay away before its alert
	// clears; a return within it counts a flap on the open alert. If zero, 2m.
	ClearAfter time.Duration
	// Logger receives lifecycle logs. If nil, logs are discarded.
	Logger *slog.Logger
}

// Manager owns the alerts' lifecycle. Its methods are safe for concurrent use.
type Manager struct {
	store     Store
	opts      Options
	log       *slog.Logger
	notifiers []Notifier
	hub       devices.Hub[Event]

	mu   sync.Mutex
	open map[Key]*Alert
}

// NewManager returns a Manager over st; call Load before use.
func NewManager(st Store, opts Options, notifiers ...Notifier) *Manager {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ClearAfter == 0 {
		opts.ClearAfter = 2 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{store: st, opts: opts, log: opts.Logger, notifiers: notifiers, open: map[Key]*Alert{}}
}

// SetClearAfter changes how long a condition must stay away before its
// alert clears (a config reload).
func (m *Manager) SetClearAfter(d time.Duration) {
	m.mu.Lock()
	m.opts.ClearAfter = d
	m.mu.Unlock()
}

// Load reads the open alerts from the store, so a restart neither loses nor
// duplicates them.
func (m *Manager) Load(ctx context.Context) error {
	rows, err := m.store.Alerts(ctx, store.AlertQuery{Open: true, Limit: 100000})
	if err != nil {
		return fmt.Errorf("load open alerts: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range rows {
		a := fromRow(r)
		m.open[a.Key()] = &a
	}
	return nil
}

// Subscribe returns a channel of alert events for event streams.
func (m *Manager) Subscribe(buffer int) (<-chan Event, func()) { return m.hub.Subscribe(buffer) }

// Raise records that p holds now. A new alert is raised when none is open
// for its key; an open alert whose condition had ended counts a flap instead.
func (m *Manager) Raise(ctx context.Context, p Problem) (Alert, error) {
	now := m.opts.Now()
	m.mu.Lock()
	if a, ok := m.open[p.Key]; ok {
		if a.resolvingAt.IsZero() {
			cp := *a
			m.mu.Unlock()
			return cp, nil
		}
		a.resolvingAt = time.Time{}
		a.Flaps++
		cp := *a
		m.mu.Unlock()
		return cp, m.save(ctx, "flapped", cp)
	}
	a := &Alert{ID: newID(), Device: p.Device, Zone: p.Zone, Kind: p.Kind, Condition: p.Condition,
		Severity: p.Severity, State: Active, Message: p.Message, RaisedAt: now}
	m.open[p.Key] = a
	cp := *a
	m.mu.Unlock()
	m.log.Info("alert raised", "id", cp.ID, "device", cp.Device, "condition", cp.Condition, "severity", cp.Severity)
	return cp, m.save(ctx, "raised", cp)
}

// Resolve records that the condition of key ended. The alert clears once
// the condition stays away for ClearAfter (see Tick).
func (m *Manager) Resolve(ctx context.Context, key Key) error {
	m.mu.Lock()
	a, ok := m.open[key]
	if !ok || !a.resolvingAt.IsZero() {
		m.mu.Unlock()
		return nil
	}
	a.resolvingAt = m.opts.Now()
	cp := *a
	m.mu.Unlock()
	return m.save(ctx, "", cp)
}

// Sync raises every problem in ps and resolves the open alerts of the given
// conditions that ps no longer holds: a watcher reports its whole view at once.
func (m *Manager) Sync(ctx context.Context, conds []Condition, ps []Problem) error {
	holds := map[Key]bool{}
	var errs []error
	for _, p := range ps {
		holds[p.Key] = true
		if _, err := m.Raise(ctx, p); err != nil {
			errs = append(errs, err)
		}
	}
	for _, k := range m.openKeys() {
		if slices.Contains(conds, k.Condition) && !holds[k] {
			if err := m.Resolve(ctx, k); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("sync alerts: %w", errs[0])
	}
	return nil
}

// Tick clears the alerts whose condition has stayed away for ClearAfter.
func (m *Manager) Tick(ctx context.Context) error {
	now := m.opts.Now()
	var cleared []Alert
	m.mu.Lock()
	clearAfter := m.opts.ClearAfter
	for k, a := range m.open {
		if !a.resolvingAt.IsZero() && now.Sub(a.resolvingAt) >= clearAfter {
			t := a.resolvingAt
			a.ClearedAt, a.State = &t, Cleared
			cleared = append(cleared, *a)
			delete(m.open, k)
		}
	}
	m.mu.Unlock()
	for _, a := range cleared {
		m.log.Info("alert cleared", "id", a.ID, "device", a.Device, "condition", a.Condition, "flaps", a.Flaps)
		if err := m.save(ctx, "cleared", a); err != nil {
			return err
		}
	}
	return nil
}

// Ack records that user acknowledged the open alert id. An unknown or
// closed alert is an error wrapping devices.ErrNotFound or ErrConflict.
func (m *Manager) Ack(ctx context.Context, id, user string) (Alert, error) {
	now := m.opts.Now()
	m.mu.Lock()
	var found *Alert
	for _, a := range m.open {
		if a.ID == id {
			found = a
		}
	}
	if found == nil {
		m.mu.Unlock()
		if _, err := m.store.Alert(ctx, id); err != nil {
			return Alert{}, fmt.Errorf("Không có cảnh báo %q / no alert %q: %w", id, id, devices.ErrNotFound)
		}
		return Alert{}, fmt.Errorf("Cảnh báo đã kết thúc / alert %q is already cleared: %w", id, devices.ErrConflict)
	}
	if found.AckedAt == nil {
		found.AckedAt, found.AckedBy, found.State = &now, user, Acknowledged
	}
	cp := *found
	m.mu.Unlock()
	return cp, m.save(ctx, "acknowledged", cp)
}

// Zones returns the zone of alert id, for the zone policy of Ack.
func (m *Manager) Zones(ctx context.Context, id string) ([]string, error) {
	r, err := m.store.Alert(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("Không có cảnh báo %q / no alert %q: %w", id, id, devices.ErrNotFound)
	}
	return []string{r.Zone}, nil
}

// Open returns the open alerts, newest first.
func (m *Manager) Open() []Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Alert, 0, len(m.open))
	for _, a := range m.open {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Alert) int { return b.RaisedAt.Compare(a.RaisedAt) })
	return out
}

func (m *Manager) openKeys() []Key {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]Key, 0, len(m.open))
	for k := range m.open {
		keys = append(keys, k)
	}
	return keys
}

// save stores a and, for a named event, tells the channels and streams.
func (m *Manager) save(ctx context.Context, event string, a Alert) error {
	if err := m.store.SaveAlert(ctx, toRow(a)); err != nil {
		return err
	}
	if event == "" {
		return nil
	}
	e := Event{Type: event, Alert: a}
	m.hub.Publish(e)
	for _, n := range m.notifiers {
		n.Notify(ctx, e)
	}
	return nil
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "al-" + hex.EncodeToString(b)
}
