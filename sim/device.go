package sim

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/backoff"
)

// ErrNotConnected is returned by a fault that needs a connected device (a
// drop, a flap, garbage) when the device is not connected.
var ErrNotConnected = errors.New("sim: device is not connected")

// firmware is one protocol's behaviour. Its methods run on the device's own
// goroutine only, so they need no locks.
type firmware interface {
	// will is the Last Will set on every connection, or nil.
	will() *message
	// subscriptions are the command filters, subscribed after online.
	subscriptions() []string
	// online publishes what the firmware sends after each connection.
	online(d *device)
	// handle answers one message on a subscribed topic.
	handle(d *device, topic string, payload []byte)
	// tick publishes the periodic telemetry.
	tick(d *device)
	// shutdown publishes what the firmware sends before a clean disconnect.
	shutdown(d *device)
	// garbage returns malformed messages on the target's topics.
	garbage(d *device, target string) []message
	// status fills in the target's state.
	status(target string, st *Status)
}

// subTargets is a firmware holding several fault targets behind one
// connection: Frigate and its cameras.
type subTargets interface {
	fault(d *device, target string, a FaultAction) error
}

// minRealPeriod bounds how often anything repeats in real time, whatever the Speed.
const minRealPeriod = 10 * time.Millisecond

// shared is what every device of a fleet reads and nobody writes.
type shared struct {
	plan
	dial       dialer
	log        *slog.Logger
	now        func() time.Time
	pubTimeout time.Duration
	stop       <-chan struct{} // closed by Fleet.Close
}

// real converts a simulated duration to real time.
func (s *shared) real(d time.Duration) time.Duration {
	return time.Duration(float64(d) / s.spec.Speed)
}

// qos returns the QoS for a publication that the firmware sends with fw.
func (s *shared) qos(fw byte) byte {
	if s.spec.FirmwareQoS {
		return fw
	}
	return max(fw, 1)
}

type inbound struct {
	s       *session
	topic   string
	payload []byte
}

type lostEvent struct {
	s   *session
	err error
}

// request asks a device's goroutine to inject a fault or report its status.
type request struct {
	target   string
	action   FaultAction // empty: status
	count    int
	interval time.Duration
	status   *Status
	byHand   *bool // SwitchByHand: the state to switch to
	reply    chan error
}

// device is one simulated MQTT client and its firmware. Everything it does
// happens on its own goroutine (run); paho callbacks and timers hand their
// work over through channels.
type device struct {
	m     member
	fw    firmware
	env   *shared
	log   *slog.Logger
	rnd   *rand.Rand
	inbox chan inbound
	ctl   chan *request
	later chan func()
	lost  chan lostEvent
	done  chan struct{}
	ctx   context.Context // the fleet's; set before run starts

	sess     *session
	up       bool // the device wants to be connected
	boot     time.Time
	connects int
	retries  int
	retry    *time.Timer
	flapGen  int
}

// newDevice returns the device for m; the caller sets its firmware.
func newDevice(m member, env *shared, seed int64, index int) *device {
	return &device{
		m: m, env: env,
		log:   env.log.With("device", m.ID, "protocol", string(m.Protocol)),
		rnd:   rand.New(rand.NewPCG(uint64(seed), uint64(index)+1)),
		inbox: make(chan inbound, 256),
		ctl:   make(chan *request),
		later: make(chan func(), 16),
		lost:  make(chan lostEvent, 4),
		done:  make(chan struct{}),
		up:    true,
	}
}

// run is the device's loop until ctx is done; then it disconnects cleanly.
func (d *device) run(ctx context.Context) {
	defer close(d.done)
	period := max(d.env.real(d.env.spec.Period), minRealPeriod)
	tick := time.NewTimer(time.Duration(d.rnd.Float64() * float64(period)))
	defer tick.Stop()
	for {
		var retryC <-chan time.Time
		if d.retry != nil {
			retryC = d.retry.C
		}
		select {
		case <-ctx.Done():
			d.stopRetry()
			if d.sess != nil {
				d.fw.shutdown(d)
				d.sess.disconnect()
				d.sess = nil
			}
			return
		case in := <-d.inbox:
			if in.s == d.sess {
				d.log.Debug("message received", "topic", in.topic, "payload", excerpt(in.payload))
				d.fw.handle(d, in.topic, in.payload)
			}
		case l := <-d.lost:
			if l.s == d.sess {
				d.sess = nil
				d.log.Warn("connection lost", "err", l.err)
				if d.up {
					d.scheduleRetry()
				}
			}
		case <-retryC:
			d.retry = nil
			if d.up && d.sess == nil {
				if err := d.connect(ctx); err != nil {
					d.log.Warn("reconnect failed", "err", err)
					d.scheduleRetry()
				}
			}
		case <-tick.C:
			tick.Reset(period)
			if d.sess != nil {
				d.fw.tick(d)
			}
		case r := <-d.ctl:
			r.reply <- d.serve(r)
		case f := <-d.later:
			f()
		}
	}
}

// connect opens a session with the firmware's will, publishes the birth
// messages and subscribes to the command topics.
func (d *device) connect(ctx context.Context) error {
	d.stopRetry()
	s, err := openSession(ctx, d.env.dial, sessionConfig{
		clientID: d.m.clientID,
		will:     d.fw.will(),
		onLost:   d.onLost,
	})
	if err != nil {
		return err
	}
	d.sess = s
	d.connects++
	d.retries = 0
	d.log.Info("device connected", "client_id", d.m.clientID, "connects", d.connects)
	d.fw.online(d)
	handler := func(topic string, payload []byte) { d.enqueue(s, topic, payload) }
	if err := s.subscribe(ctx, d.fw.subscriptions(), d.env.pubTimeout, handler); err != nil {
		d.sess = nil
		s.disconnect()
		return err
	}
	return nil
}

// enqueue hands a received message to the device's goroutine.
func (d *device) enqueue(s *session, topic string, payload []byte) {
	select {
	case d.inbox <- inbound{s: s, topic: topic, payload: payload}:
	case <-d.env.stop:
	}
}

func (d *device) onLost(s *session, err error) {
	select {
	case d.lost <- lostEvent{s: s, err: err}:
	case <-d.env.stop:
	}
}

// after runs f on the device's goroutine after the real duration dur.
func (d *device) after(dur time.Duration, f func()) {
	time.AfterFunc(dur, func() {
		select {
		case d.later <- f:
		case <-d.env.stop:
		}
	})
}

// scheduleRetry arms the reconnect timer: 1 s doubling to 30 s, jittered
// (with the device's seeded random source, so runs repeat).
func (d *device) scheduleRetry() {
	d.stopRetry()
	delay := backoff.Policy{Initial: time.Second, Max: 30 * time.Second, Rand: d.rnd.Float64}.Delay(d.retries)
	d.retries++
	d.retry = time.NewTimer(delay)
}

func (d *device) stopRetry() {
	if d.retry != nil {
		d.retry.Stop()
		d.retry = nil
	}
}

// publish sends m when connected; a failure is logged, as firmware would
// drop the message.
func (d *device) publish(m message) {
	if d.sess == nil {
		return
	}
	if err := d.sess.publish(m, d.env.pubTimeout); err != nil {
		d.log.Warn("publish failed", "topic", m.topic, "err", err)
		return
	}
	d.log.Debug("published", "topic", m.topic, "retained", m.retained, "payload", excerpt(m.payload))
}

// send publishes payload on topic.
func (d *device) send(topic string, qos byte, retained bool, payload []byte) {
	d.publish(message{topic: topic, qos: qos, retained: retained, payload: payload})
}

// sendJSON publishes v as JSON on topic.
func (d *device) sendJSON(topic string, qos byte, retained bool, v any) {
	d.send(topic, qos, retained, mustJSON(v))
}

// now is the device's clock.
func (d *device) now() time.Time { return d.env.now() }

// uptime is the time since the device booted (the fleet started).
func (d *device) uptime() time.Duration { return d.now().Sub(d.boot) }

// Status is a snapshot of one simulated device, for tests and the demo.
type Status struct {
	ID        string
	Protocol  devices.Protocol
	Kind      devices.Kind
	Connected bool // connected to the broker (for a camera: and its stream up)
	Light     *devices.LightState
	Speaker   *devices.SpeakerState
	// Plays is a speaker's play log: every play it accepted, in order,
	// whether or not it finished.
	Plays []Play
}

// excerpt cuts a payload for a log line.
func excerpt(p []byte) string {
	const limit = 120
	if len(p) > limit {
		return string(p[:limit]) + "…"
	}
	return string(p)
}
