// Package sim simulates an area's devices on a real MQTT broker, speaking
// the protocols exactly as their firmware does: Tasmota street lights with
// energy meters, Shelly Gen2 relays, ESPHome lights announced by Home
// Assistant discovery, Frigate cameras and hamlet's native speakers and
// lights. Each device has its own MQTT connection and Last Will, answers
// commands like its firmware, reports telemetry every period, and takes
// faults on demand (dropped connections with and without the will,
// flapping, garbage payloads). Blast publishes bulk Tasmota telemetry for
// tests and benchmarks.
//
// The simulator is for the demo, tests and benchmarks; it is not part of the
// daemon. All randomness comes from Spec.Seed, so runs are reproducible.
package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/hamlet-vn/hamlet/devices"
)

// Fleet is a running simulated area. Build it with New, then Start and
// Close it, or Run it.
type Fleet struct {
	env     *shared
	devs    []*device
	targets map[string]*device // fault target id → the device that owns it
	list    []devices.Device
	ctx     context.Context // cancelled by Close; the devices' lifetime
	cancel  context.CancelFunc

	mu      sync.Mutex
	started bool
	running bool
	closed  bool
	startAt time.Time
	wg      sync.WaitGroup
}

// New checks spec and opts and builds the fleet without connecting anything.
// The error names every bad field.
func New(spec Spec, opts Options) (*Fleet, error) {
	p, err := resolve(spec)
	if err != nil {
		return nil, err
	}
	dial, err := newDialer(opts)
	if err != nil {
		return nil, err
	}
	env := &shared{plan: p, dial: dial, log: opts.Logger, now: opts.Now, pubTimeout: opts.PublishTimeout}
	if env.log == nil {
		env.log = slog.New(slog.DiscardHandler)
	}
	env.log = env.log.With("component", "sim", "area", p.spec.Area)
	if env.now == nil {
		env.now = time.Now
	}
	if env.pubTimeout <= 0 {
		env.pubTimeout = DefaultPublishTimeout
	}
	ctx, cancel := context.WithCancel(context.Background())
	env.stop = ctx.Done()
	f := &Fleet{env: env, targets: map[string]*device{}, ctx: ctx, cancel: cancel}
	var cams []member
	for i, m := range p.members {
		if chs := m.channels(); chs != nil {
			for _, ch := range chs {
				f.list = append(f.list, devices.Device{ID: m.ID + "-" + ch, Name: m.Name + " / " + ch, Kind: m.Kind, Zone: m.Zone,
					Protocol: m.Protocol, Topic: m.Topic, FullTopic: m.FullTopic, Channel: ch})
			}
		} else {
			f.list = append(f.list, devices.Device{ID: m.ID, Name: m.Name, Kind: m.Kind, Zone: m.Zone,
				Protocol: m.Protocol, Topic: m.Topic, FullTopic: m.FullTopic})
		}
		if m.Protocol == devices.Frigate {
			cams = append(cams, m)
			continue
		}
		d := newDevice(m, env, p.spec.Seed, i)
		switch {
		case m.Protocol == devices.Tasmota:
			d.fw = newTasmota(d)
		case m.Protocol == devices.Shelly:
			d.fw = newShelly(d)
		case m.Protocol == devices.ESPHome:
			d.fw = newESPHome(d)
		case m.Kind == devices.Speaker:
			d.fw = newSpeaker(d)
		default:
			d.fw = newNativeLight(d)
		}
		f.add(d, m.ID)
		for _, ch := range m.channels() {
			f.targets[m.ID+"-"+ch] = d
		}
	}
	if len(cams) > 0 {
		m := member{DeviceSpec: DeviceSpec{ID: p.spec.FrigateID, Name: "Frigate", Protocol: devices.Frigate,
			Kind: devices.Camera}, clientID: "frigate"}
		d := newDevice(m, env, p.spec.Seed, len(p.members))
		d.fw = newFrigate(d, cams)
		f.add(d, m.ID)
		for _, c := range cams {
			f.targets[c.ID] = d
		}
	}
	return f, nil
}

func (f *Fleet) add(d *device, id string) {
	f.devs = append(f.devs, d)
	f.targets[id] = d
}

// Devices returns the simulated devices as the daemon's config would declare
// them (the Frigate instance is not a device; its cameras are).
func (f *Fleet) Devices() []devices.Device { return append([]devices.Device(nil), f.list...) }

// Zones returns the zone ids the devices are spread over.
func (f *Fleet) Zones() []string { return append([]string(nil), f.env.spec.Zones...) }

// Start connects every device (each publishes its birth messages and
// subscribes to its commands), then runs them until Close. It fails, leaving
// nothing connected, when a device cannot connect before ctx is done or the
// connect timeout passes.
func (f *Fleet) Start(ctx context.Context) error {
	f.mu.Lock()
	switch {
	case f.closed:
		f.mu.Unlock()
		return errors.New("sim: start: the fleet is closed")
	case f.started:
		f.mu.Unlock()
		return errors.New("sim: start: the fleet was already started")
	}
	f.started = true
	f.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(f.ctx, cancel)()
	boot := f.env.now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for _, d := range f.devs {
		d.boot = boot
		d.ctx = f.ctx
		g.Go(func() error {
			if err := d.connect(gctx); err != nil {
				return fmt.Errorf("device %s: %w", d.m.ID, err)
			}
			return nil
		})
	}
	err := g.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil && f.closed {
		err = errors.New("the fleet was closed while starting")
	}
	if err != nil {
		for _, d := range f.devs {
			if d.sess != nil {
				d.sess.disconnect()
				d.sess = nil
			}
		}
		return fmt.Errorf("sim: start: %w", err)
	}
	for _, d := range f.devs {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			d.run(f.ctx)
		}()
	}
	f.running = true
	f.startAt = boot
	f.env.log.Info("fleet started", "devices", len(f.list), "connections", len(f.devs), "broker", f.env.dial.broker)
	return nil
}

// Run starts the fleet if it is not started yet, injects the Spec's fault
// schedule and chaos, and returns when ctx is done, after Close.
func (f *Fleet) Run(ctx context.Context) error {
	f.mu.Lock()
	started := f.started
	f.mu.Unlock()
	if !started {
		if err := f.Start(ctx); err != nil {
			if ctx.Err() != nil {
				return nil // interrupted while connecting
			}
			return err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return f.runSchedule(gctx) })
	if f.env.spec.Chaos > 0 {
		g.Go(func() error { return f.runChaos(gctx, max(f.env.real(f.env.spec.Chaos), minRealPeriod)) })
	}
	<-ctx.Done()
	err := g.Wait()
	return errors.Join(err, f.Close())
}

// Close disconnects every device cleanly: firmware that announces its own
// shutdown (ESPHome, Frigate, native) publishes offline first; the others
// just disconnect, so the broker discards their wills. It is safe to call
// twice and after a failed Start.
func (f *Fleet) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	running := f.running
	f.mu.Unlock()
	f.cancel()
	f.wg.Wait()
	if running {
		f.env.log.Info("fleet closed")
	}
	return nil
}

// Status returns a snapshot of the device (or camera) id.
func (f *Fleet) Status(id string) (Status, error) {
	var st Status
	err := f.do(&request{target: id, status: &st})
	return st, err
}

// do hands r to the goroutine of the device that owns r.target and waits
// for the answer.
func (f *Fleet) do(r *request) error {
	d, ok := f.targets[r.target]
	if !ok {
		return fmt.Errorf("sim: no device %q", r.target)
	}
	f.mu.Lock()
	running := f.running && !f.closed
	f.mu.Unlock()
	if !running {
		return fmt.Errorf("sim: device %q: the fleet is not running", r.target)
	}
	r.reply = make(chan error, 1)
	select {
	case d.ctl <- r:
	case <-d.done:
		return fmt.Errorf("sim: device %q: the fleet is closed", r.target)
	}
	if err := <-r.reply; err != nil {
		if r.action == "" {
			return fmt.Errorf("sim: status of %s: %w", r.target, err)
		}
		return fmt.Errorf("sim: %s %s: %w", r.action, r.target, err)
	}
	return nil
}
