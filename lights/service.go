package lights

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// Publisher publishes MQTT messages; the daemon's mqttlink.Link satisfies
// it. Send starts publishing one message and returns at once, without
// waiting for the broker; messages sent one after the other reach the
// broker in that order. wait waits for the broker's acknowledgement or ctx.
type Publisher interface {
	Send(topic string, qos byte, retained bool, payload []byte) (wait func(ctx context.Context) error, err error)
}

// Encoders hands out the adapter that encodes commands for a protocol; the
// daemon's protocols.Router satisfies it.
type Encoders interface {
	Adapter(p devices.Protocol) devices.Adapter
}

// Registry is the part of devices.Registry the service uses.
type Registry interface {
	Get(id string) (devices.Status, bool)
	List(f devices.Filter) []devices.Status
	SetDesired(id string, desired devices.State) bool
	SubscribeLatestFunc(keep func(devices.Change) bool) (*devices.Latest[devices.Change], func())
}

// Store keeps each light's desired state across restarts (store.DB).
type Store interface {
	// SaveDesired inserts or replaces the desired states ds (one transaction).
	SaveDesired(ctx context.Context, ds []Desired) error
	LoadDesired(ctx context.Context) ([]Desired, error)
}

// PointAdder takes InfluxDB points (telemetry.Writer).
type PointAdder interface {
	Add(points []*telemetry.Point, ack func())
}

// Options configures a Service. Publisher, Encoders and Registry are required.
type Options struct {
	Area      string
	Publisher Publisher
	Encoders  Encoders
	Registry  Registry
	// Store keeps desired states; nil keeps them in memory only.
	Store Store
	// Points receives a "command" point for every result decided after the
	// response (web audits the others) and for every reconciling send. Nil: none.
	Points PointAdder
	// Events receives every result as it is decided after sending, during
	// the wait too, so that the phone shows them one by one (web's
	// PublishCommand). Nil: none.
	Events func(CommandEvent)
	// ConfirmTimeout bounds how long Command waits. Default 3s.
	ConfirmTimeout time.Duration
	// LateTimeout is how long a command stays pending before it times out.
	// Default ten times ConfirmTimeout, at least 30s.
	LateTimeout time.Duration
	// PublishTimeout bounds one command's publication, from its sending to
	// the broker's acknowledgement. Default 5s.
	PublishTimeout time.Duration
	// ReconcileRate is how many reconciling commands are sent per second at
	// most. Default 100.
	ReconcileRate float64
	// Settle is how long after a (re)connect the service waits for retained
	// states before reconciling. Default 2s.
	Settle time.Duration
	// Programmes are the light programmes in force; nil: none.
	Programmes Programmes
	// Place is where sun-relative steps are read (latitude, longitude, timezone).
	Place schedule.Place
	// Burns keeps burning hours and energy per light and day; nil: not kept.
	Burns BurnStore
	// FaultAfter is how long a lamp fault lasts before it is raised. Default 2m.
	FaultAfter time.Duration
	// Faults receives every fault raised or cleared (the daemon raises and
	// clears lamp_* alerts). Nil: none.
	Faults func(FaultEvent)
	// Now returns the current time. Default time.Now.
	Now func() time.Time
	// ClockOK reports whether the wall clock can be trusted; while it cannot
	// (a box that booted without NTP), programmes hold. Nil: always.
	ClockOK func() bool
	Logger  *slog.Logger
}

// Service runs light commands and keeps lights in their desired state.
// Build it with New, call Load, then Run; Command is safe for concurrent use.
type Service struct {
	opts Options
	log  *slog.Logger
	m    *metrics

	mu      sync.Mutex
	waiting map[string][]*waiter // device id → commands waiting for its state
	recent  map[string]*command  // client-supplied command ids, for idempotent retries
	desired map[string]Desired   // light id → desired state and override
	dirty   map[string]bool      // desired states not saved yet
	saveMu  sync.Mutex           // serialises saveDesired

	faultCond   map[faultKey]time.Time // fault conditions holding, since when
	faultActive map[faultKey]time.Time // faults raised, since when their condition began
	progs       []LightProgramme       // the programmes as of the last Tick
	meters      map[string]meter       // per light, what was last accounted
	burn        map[burnKey]BurnDay    // totals gathered since the last flush
	today       localDay               // the local day of the last accounting

	queried map[string]time.Time // lights asked for their state, when (the reconciler's alone)

	kick    chan string   // light ids to reconcile ("" for all)
	changed chan struct{} // programmes changed
}

// New returns a Service; it has no side effects.
func New(opts Options) *Service {
	if opts.ConfirmTimeout <= 0 {
		opts.ConfirmTimeout = 3 * time.Second
	}
	if opts.PublishTimeout <= 0 {
		opts.PublishTimeout = 5 * time.Second
	}
	if opts.LateTimeout <= 0 {
		opts.LateTimeout = max(10*opts.ConfirmTimeout, 30*time.Second)
	}
	if opts.ReconcileRate <= 0 {
		opts.ReconcileRate = 100
	}
	if opts.Settle <= 0 {
		opts.Settle = 2 * time.Second
	}
	if opts.FaultAfter <= 0 {
		opts.FaultAfter = 2 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{opts: opts, log: opts.Logger, m: newMetrics(),
		waiting: map[string][]*waiter{}, recent: map[string]*command{}, desired: map[string]Desired{}, dirty: map[string]bool{}, queried: map[string]time.Time{},
		meters: map[string]meter{}, burn: map[burnKey]BurnDay{},
		faultCond: map[faultKey]time.Time{}, faultActive: map[faultKey]time.Time{},
		kick: make(chan string, 4096), changed: make(chan struct{}, 1)}
}

// programmes returns the programmes as of the last Tick.
func (s *Service) programmes() []LightProgramme {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.progs
}
