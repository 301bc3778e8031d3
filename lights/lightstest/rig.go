// Package lightstest is test support for the lights capability: a Rig joins
// a real broker link, the protocol adapters, the registry, the ingest
// pipeline, a store and a lights.Service the way the daemon does, without
// HTTP, so tests and benchmarks can drive commands against simulated lamps.
package lightstest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/ingest"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/mqttlink"
	"github.com/hamlet-vn/hamlet/store"
)

// Options configures a Rig.
type Options struct {
	Broker   string           // the broker URL; required
	Area     string           // default "khu10"
	ClientID string           // default "hamletd-lightstest"
	Dir      string           // the store's directory; required
	Devices  []devices.Device // the declared devices
	// Lights adjusts the service's options before it is built (timeouts, Now, Events).
	Lights func(*lights.Options)
	Logger *slog.Logger
}

// Rig is a running lights pipeline. Close it when done.
type Rig struct {
	Registry *devices.Registry
	Router   *protocols.Router
	Link     *mqttlink.Link
	Store    *store.DB
	Lights   *lights.Service

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// Start builds and starts a Rig and waits until its link is connected.
func Start(ctx context.Context, o Options) (*Rig, error) {
	if o.Area == "" {
		o.Area = "khu10"
	}
	if o.ClientID == "" {
		o.ClientID = "hamletd-lightstest"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	router, err := protocols.New(protocols.Options{Area: o.Area, ShellyReplyPrefix: o.ClientID, HASSEnabled: true,
		Devices: o.Devices})
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, o.Dir, o.Logger)
	if err != nil {
		return nil, err
	}
	r := &Rig{Router: router, Store: db, Registry: devices.NewRegistry(o.Devices, nil, time.Now())}
	found, err := db.Discovered(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, f := range found {
		r.Registry.Discover(f.Device, f.Model, f.Firmware, time.Now())
	}
	r.Link = mqttlink.New(mqttlink.Options{Broker: o.Broker, ClientID: o.ClientID, ConnectTimeout: 5 * time.Second,
		ReconnectInitial: 100 * time.Millisecond, ReconnectMax: time.Second, CloseTimeout: 2 * time.Second, ScanWindow: time.Second,
		StatusTopic: mqttlink.StatusTopic("hamlet", o.Area), Logger: o.Logger.With("component", "mqtt")})
	lo := lights.Options{Area: o.Area, Publisher: r.Link, Encoders: router, Registry: r.Registry,
		Store: lights.DBStore{DB: db}, Settle: 200 * time.Millisecond, Logger: o.Logger.With("component", "lights")}
	if o.Lights != nil {
		o.Lights(&lo)
	}
	r.Lights = lights.New(lo)
	if err := r.Lights.Load(ctx); err != nil {
		db.Close()
		return nil, err
	}
	pipe := ingest.New(ingest.Options{Area: o.Area, Decoder: router, Registry: r.Registry, Store: db,
		Logger: o.Logger.With("component", "ingest"), OnAck: r.Lights.Ack})
	subscribed := map[string]bool{}
	handle := func(m *mqttlink.Message) {
		pipe.Handle(m.Topic, m.Payload, m.Retained, m.AckFunc())
	}
	subscribe := func() error { // as the daemon does (daemon.subscribeRouter)
		return r.Link.SubscribeNew(router.Subscriptions(), router.Scans(), subscribed, 1, handle)
	}
	if err := subscribe(); err != nil {
		db.Close()
		return nil, err
	}
	r.Link.OnConnectionChange(func(up bool) {
		if up {
			r.Registry.Listening(time.Now())
			r.Lights.Reconnected()
		}
	})
	rctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.wg.Add(2)
	go func() { defer r.wg.Done(); _ = r.Lights.Run(rctx) }()
	go func() {
		defer r.wg.Done()
		for {
			select {
			case <-rctx.Done():
				return
			case <-router.Learned():
				_ = subscribe()
			}
		}
	}()
	if err := r.Link.Start(ctx); err != nil {
		r.Close()
		return nil, err
	}
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := r.Link.WaitConnected(wctx); err != nil {
		r.Close()
		return nil, fmt.Errorf("lightstest: link: %w", err)
	}
	return r, nil
}

// Close stops the rig; it is safe to call more than once.
func (r *Rig) Close() {
	r.once.Do(func() {
		_ = r.Link.Close()
		r.cancel()
		r.wg.Wait()
		_ = r.Store.Close()
	})
}

// WaitFor polls cond every 10ms until it holds or timeout passes.
func WaitFor(timeout time.Duration, cond func() bool) bool {
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}
