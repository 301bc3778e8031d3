package daemon

import (
	"context"
	"fmt"

	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/mqttlink"
	"github.com/hamlet-vn/hamlet/schedule"
)

// startLights builds the lights capability over the registry, the protocol
// router and the store, and loads the kept desired states. Its commands go
// out through the broker link once that is up; results decided after a
// response go to the HTTP server's event streams.
func (d *Daemon) startLights(ctx context.Context) error {
	opts := lights.Options{
		Area:           d.cfg.Area.ID,
		Publisher:      lightsPublisher{d},
		Encoders:       d.router,
		Registry:       d.registry,
		Store:          lights.DBStore{DB: d.store},
		Burns:          lights.DBStore{DB: d.store},
		ConfirmTimeout: d.cfg.Lights.ConfirmTimeout,
		FaultAfter:     d.cfg.Lights.FaultAfter,
		Place:          schedule.Place{Lat: d.cfg.Area.Latitude, Lon: d.cfg.Area.Longitude, Loc: d.cfg.Location()},
		Events: func(ev lights.CommandEvent) {
			if d.http != nil {
				d.http.PublishCommand(ev)
			}
		},
		Logger: d.log.With("component", "lights"),
	}
	if d.telemetry != nil {
		opts.Points = d.telemetry
	}
	d.lights = lights.New(opts)
	d.lights.Register(d.reg)
	if err := d.lights.Load(ctx); err != nil {
		return fmt.Errorf("lights: %w", err)
	}
	return nil
}

// lightsPublisher publishes through the broker link, which starts after the
// lights capability is built.
type lightsPublisher struct{ d *Daemon }

func (p lightsPublisher) Publish(ctx context.Context, topic string, qos byte, retained bool, payload []byte) error {
	if p.d.link == nil {
		return mqttlink.ErrNotStarted
	}
	return p.d.link.Publish(ctx, topic, qos, retained, payload)
}

// Lights returns the lights capability once Run has started the daemon.
func (d *Daemon) Lights() *lights.Service { return d.lights }
