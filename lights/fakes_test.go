package lights

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// lamps is a fake broker with native lamps behind it: every command
// published to …/cmd is recorded and, unless the lamp is dead, applied to
// the registry as the lamp's reported state.
type lamps struct {
	mu   sync.Mutex
	reg  *devices.Registry
	sent []string // "<device> <payload>"
	dead map[string]bool
	// unacked lamps' commands are never acknowledged by the broker: their
	// waits end with the context.
	unacked map[string]bool
	// failing, when set, is what every Send returns: the broker link is down.
	failing error
	now     func() time.Time
}

// errLinkDown is a broker link that is down.
var errLinkDown = errors.New("mqttlink: not connected")

// pointCounter counts the points it is given.
type pointCounter struct{ n *int }

func (p pointCounter) Add(points []*telemetry.Point, ack func()) { *p.n += len(points); ack() }

func (l *lamps) Send(topic string, qos byte, retained bool, payload []byte) (func(context.Context) error, error) {
	if l.failing != nil {
		return nil, l.failing
	}
	l.publish(topic, qos, retained, payload)
	l.mu.Lock()
	unacked := l.unacked[lampOf(topic)]
	l.mu.Unlock()
	if unacked {
		return func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, nil
	}
	return func(context.Context) error { return nil }, nil
}

// lampOf is the lamp id in a native command topic hamlet/<area>/<id>/cmd.
func lampOf(topic string) string {
	parts := strings.Split(topic, "/")
	return parts[len(parts)-2]
}

func (l *lamps) publish(topic string, qos byte, retained bool, payload []byte) {
	if qos != 1 || retained {
		panic("commands go QoS 1, never retained")
	}
	id := lampOf(topic)
	l.mu.Lock()
	l.sent = append(l.sent, id+" "+string(payload))
	dead := l.dead[id]
	l.mu.Unlock()
	if dead {
		return
	}
	var c struct {
		On         *bool `json:"on"`
		Brightness *int  `json:"brightness"`
	}
	_ = json.Unmarshal(payload, &c)
	l.reg.Observe(devices.Address{Protocol: devices.Native, Key: id},
		devices.Report{Light: &devices.LightState{On: c.On, Brightness: c.Brightness}}, false, l.now())
}

func (l *lamps) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sent
	l.sent = nil
	return out
}

// memStore is an in-memory Store.
type memStore struct {
	mu sync.Mutex
	m  map[string]Desired
}

func (s *memStore) SaveDesired(_ context.Context, ds []Desired) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Desired{}
	}
	for _, d := range ds {
		s.m[d.Light] = d
	}
	return nil
}

func (s *memStore) LoadDesired(context.Context) ([]Desired, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Desired
	for _, d := range s.m {
		out = append(out, d)
	}
	return out, nil
}

// fixedProgrammes is a Programmes of a fixed list.
type fixedProgrammes []LightProgramme

func (f fixedProgrammes) LightProgrammes(context.Context) ([]LightProgramme, error) { return f, nil }

// clock is the tests' injected clock.
type clock = testutil.Clock

var hanoi = func() schedule.Place {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return schedule.Place{Lat: 21.0285, Lon: 105.8542, Loc: loc}
}()

// unit is a Service over a real registry and native adapter, fake lamps,
// an in-memory store and an injected clock.
type unit struct {
	t     *testing.T
	clock *clock
	reg   *devices.Registry
	lamps *lamps
	store *memStore
	progs fixedProgrammes
	svc   *Service
}

func newUnit(t *testing.T, ids ...string) *unit {
	t.Helper()
	var ds []devices.Device
	for _, id := range ids {
		ds = append(ds, devices.Device{ID: id, Kind: devices.Light, Zone: "ngo-1", Protocol: devices.Native})
	}
	c := testutil.NewClock(time.Date(2026, 12, 4, 12, 0, 0, 0, hanoi.Loc))
	u := &unit{t: t, clock: c, reg: devices.NewRegistry(ds, nil, c.Now()), store: &memStore{}}
	u.lamps = &lamps{reg: u.reg, dead: map[string]bool{}, now: c.Now}
	for _, id := range ids { // every lamp online and off
		u.reg.Observe(devices.Address{Protocol: devices.Native, Key: id},
			devices.Report{Availability: devices.Online, Light: &devices.LightState{On: devices.Bool(false)}}, false, c.Now())
	}
	u.restart()
	return u
}

// restart builds a new Service over the same store, registry and lamps, as
// after a daemon restart.
func (u *unit) restart() {
	u.t.Helper()
	router, err := protocols.New(protocols.Options{Area: "khu10"})
	if err != nil {
		u.t.Fatal(err)
	}
	u.svc = New(Options{Area: "khu10", Publisher: u.lamps, Encoders: router, Registry: u.reg, Store: u.store,
		Programmes: &u.progs, Place: hanoi, Now: u.clock.Now, ConfirmTimeout: 20 * time.Millisecond})
	if err := u.svc.Load(context.Background()); err != nil {
		u.t.Fatal(err)
	}
}

// at sets the clock to hh:mm on day (0 is 4 Dec 2026) in Hà Nội and ticks.
func (u *unit) at(day, hh, mm int) {
	u.t.Helper()
	u.clock.Set(time.Date(2026, 12, 4+day, hh, mm, 0, 0, hanoi.Loc))
	u.svc.Tick(context.Background(), u.clock.Now())
}

// desired returns light id's desired state as "on 50", "off" or "none".
func (u *unit) desired(id string) string {
	d, ok := u.svc.DesiredOf(id)
	switch {
	case !ok:
		return "none"
	case !d.On:
		return "off"
	case d.Brightness == nil:
		return "on"
	default:
		return "on " + itoa(*d.Brightness)
	}
}

func (u *unit) want(id, state string) {
	u.t.Helper()
	if got := u.desired(id); got != state {
		u.t.Fatalf("%s at %s: desired %q, want %q", id, u.clock.Now().Format("Jan 2 15:04"), got, state)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (l *lamps) sentSnapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.sent...)
}
