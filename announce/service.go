package announce

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// Sender publishes a command to a device: the protocol adapter encodes it
// and the broker link publishes it.
type Sender interface {
	Send(ctx context.Context, cmd devices.Command) error
}

// DeviceSource is the device registry: current status and changes.
type DeviceSource interface {
	Get(id string) (devices.Status, bool)
	SubscribeFunc(buffer int, keep func(devices.Change) bool) (<-chan devices.Change, func())
}

// PointAdder takes InfluxDB points (telemetry.Writer).
type PointAdder interface {
	Add(points []*telemetry.Point, ack func())
}

// Auditor stores audit entries (*store.DB).
type Auditor interface {
	AppendAudit(ctx context.Context, e store.AuditEntry) (int64, error)
}

// Options configures a Service. DB and Sender are required.
type Options struct {
	// DB is the store's handle for the capability's tables (store.DB.AnnounceSQL).
	DB *sql.DB
	// Sender publishes play and stop commands.
	Sender Sender
	// Devices is the registry: speaker availability and state. May be nil in tests.
	Devices DeviceSource
	// Points receives "announcement" points. May be nil (export off).
	Points PointAdder
	// Audit records every delivery step. May be nil.
	Audit Auditor
	// Area is the area id (InfluxDB tag).
	Area string
	// PublicURL is the base URL speakers fetch media from (http.public_url).
	PublicURL string
	// Dir is the storage directory; media go under Dir/media.
	Dir string
	// Location is the area's timezone, for broadcast windows and cron. If nil, UTC.
	Location *time.Location
	// Windows are each zone's broadcast windows ("05:30-06:30"); a zone
	// without any is always open.
	Windows map[string][]string
	// ValidFor is how long an announcement may wait for offline speakers. Default 30m.
	ValidFor time.Duration
	// Grace is how late a scheduled occurrence may still play. Default 10m.
	Grace time.Duration
	// AnswerTimeout is how long a speaker may take to answer a play (ack or
	// state) and, after its expected end, to report it. Default 30s.
	AnswerTimeout time.Duration
	// TickEvery is how often Run checks deadlines and schedules. Default 1s.
	TickEvery time.Duration
	// Programmes returns the schedule capability's announcement programmes
	// (/api/v1/schedules, kind "announcement"). May be nil.
	Programmes func(ctx context.Context) ([]Programme, error)
	// Resolve turns a programme's targets into devices at each occurrence. May be nil.
	Resolve func(t devices.Target) []devices.Device
	// Media configures uploads, conversion and text to speech.
	Media MediaOptions
	// Now returns the current time. Default time.Now.
	Now func() time.Time
	// ClockOK reports whether the wall clock can be trusted; while it cannot
	// (a box that booted without NTP), schedules and deadlines hold. Nil: always.
	ClockOK func() bool
	// Logger receives the service's logs. Default: discarded.
	Logger *slog.Logger
}

// Service sends and tracks announcements. Its methods are safe for concurrent use.
type Service struct {
	opts    Options
	log     *slog.Logger
	db      db
	windows atomic.Pointer[map[string][]window] // by zone; replaced whole by SetWindows

	mu       sync.Mutex
	open     map[string]*record  // announcements not yet final, by id
	speakers map[string]*speaker // per speaker queue, by device id
	outbox   []devices.Command   // commands waiting for the sender
	wake     chan struct{}       // signals the sender
	hub      devices.Hub[Event]
	seq      int64 // the last creation sequence number

	copyHook func(dst *os.File, src io.Reader) (int64, error) // tests: a full disk
}

// New returns a Service; it has no side effects. Start loads the open
// announcements; Run sends and watches.
func New(opts Options) (*Service, error) {
	if opts.ValidFor <= 0 {
		opts.ValidFor = 30 * time.Minute
	}
	if opts.Grace <= 0 {
		opts.Grace = 10 * time.Minute
	}
	if opts.AnswerTimeout <= 0 {
		opts.AnswerTimeout = 30 * time.Second
	}
	if opts.TickEvery <= 0 {
		opts.TickEvery = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Media.fill()
	opts.PublicURL = strings.TrimSuffix(opts.PublicURL, "/")
	s := &Service{opts: opts, log: opts.Logger, db: db{opts.DB}, open: map[string]*record{},
		speakers: map[string]*speaker{}, wake: make(chan struct{}, 1)}
	if err := s.SetWindows(opts.Windows); err != nil {
		return nil, err
	}
	return s, nil
}

// Start loads the announcements left open by the previous run. A delivery
// that was sent or playing when the daemon stopped is not sent again (it
// may have played): it waits for the speaker's report, and fails after
// AnswerTimeout without one.
func (s *Service) Start(ctx context.Context) error {
	recs, err := s.db.load(ctx, time.Time{}, time.Time{}, true, 0)
	if err != nil {
		return err
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(recs) - 1; i >= 0; i-- { // oldest first
		r := recs[i]
		s.open[r.ID] = r
		s.seq = max(s.seq, r.Seq)
		for j := range r.Deliveries {
			dl := &r.Deliveries[j]
			sp := s.speaker(dl.Device)
			switch dl.Status {
			case Sent, Playing:
				if now.After(r.Expires) {
					s.setDelivery(r, dl, Failed, "Không có báo cáo từ loa trước khi hamletd khởi động lại / no report from the speaker before the daemon restarted", now)
					continue
				}
				if sp.current == "" {
					// Accepted (acked, or reported playing; or saved before
					// acks were kept): the deadline fails it rather than
					// sending it again, since it may have played. Never
					// accepted (the speaker may not have been subscribed yet):
					// sent again at the deadline, as without the restart; an
					// ack or report that waited in the session arrives first.
					sp.current, sp.cmd, sp.deadline = r.ID, dl.Command, now.Add(s.opts.AnswerTimeout)
					sp.acked = dl.Status == Playing || !dl.AckedAt.IsZero() || dl.Command == ""
					sp.started = dl.Status == Playing
					continue
				}
				s.setDelivery(r, dl, Failed, "hamletd khởi động lại khi đang gửi / daemon restarted while sending", now)
			case Pending, Offline:
				sp.enqueue(r)
			}
		}
	}
	s.missOverdue(now)
	return nil
}

// speakerAvailability keeps a speaker's availability changes.
func speakerAvailability(c devices.Change) bool {
	return c.Type == devices.ChangeAvailability && c.Status.Device.Kind == devices.Speaker
}

// Run sends queued commands, follows the registry's availability changes
// and checks deadlines and schedules every TickEvery, until ctx ends; it
// returns once its sender has stopped too.
func (s *Service) Run(ctx context.Context) error {
	var changes <-chan devices.Change
	if s.opts.Devices != nil {
		// Only speakers' availability: a burst of lamp changes must not
		// fill the buffer in front of a speaker going offline.
		ch, cancel := s.opts.Devices.SubscribeFunc(256, speakerAvailability)
		defer cancel()
		changes = ch
	}
	sent := make(chan struct{})
	go func() { s.sendLoop(ctx); close(sent) }()
	defer func() { <-sent }()
	t := time.NewTicker(s.opts.TickEvery)
	defer t.Stop()
	s.Tick(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case ch, ok := <-changes:
			if !ok {
				changes = nil
				continue
			}
			s.availability(ch.Status)
		case <-t.C:
			if s.opts.ClockOK == nil || s.opts.ClockOK() {
				s.Tick(ctx)
			}
		}
	}
}

// Events returns live announcement events and a cancel function.
func (s *Service) Events(buffer int) (<-chan Event, func()) { return s.hub.Subscribe(buffer) }

// newID returns prefix followed by 16 random hex digits.
func newID(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// newToken returns an unguessable token (128 bits).
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Announcement returns one announcement; unknown ids wrap devices.ErrNotFound.
func (s *Service) Announcement(ctx context.Context, id string) (Announcement, error) {
	s.mu.Lock()
	if r, ok := s.open[id]; ok {
		a := r.snapshot()
		s.mu.Unlock()
		return a, nil
	}
	s.mu.Unlock()
	if strings.HasPrefix(id, schedulePrefix) {
		return s.scheduleView(ctx, id)
	}
	r, err := s.db.get(ctx, id)
	if err != nil {
		return Announcement{}, err
	}
	return r.snapshot(), nil
}

// History returns the announcements created in [from, to), newest first, at most 1000.
func (s *Service) History(ctx context.Context, from, to time.Time) ([]Announcement, error) {
	if !to.IsZero() && !from.IsZero() && !to.After(from) {
		return nil, devices.Invalid("to", "Khoảng thời gian không hợp lệ / to must be after from")
	}
	recs, err := s.db.load(ctx, from, to, false, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]Announcement, 0, len(recs))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		if o, ok := s.open[r.ID]; ok {
			r = o
		}
		out = append(out, r.snapshot())
	}
	return out, nil
}

// snapshot copies the announcement for a caller.
func (r *record) snapshot() Announcement {
	a := r.Announcement
	a.Zones = append([]string(nil), r.Zones...)
	a.Deliveries = append([]Delivery(nil), r.Deliveries...)
	return a
}

// errOffline marks a send that failed because the broker link is down.
var errOffline = errors.New("not connected")
