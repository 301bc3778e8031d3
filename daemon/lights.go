package daemon

import (
	"context"
	"fmt"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/mqttlink"
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
		Place:          d.place(),
		Events: func(ev lights.CommandEvent) {
			if d.http != nil {
				d.http.PublishCommand(ev)
			}
		},
		Faults:  d.lampFault,
		ClockOK: d.clock.Plausible,
		// Programmes are the enabled light schedules (daemon/schedule.go).
		Programmes: lightProgrammes{d},
		Logger:     d.log.With("component", "lights"),
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

// faultMessages are the alert messages of lamp faults (Vietnamese, then English).
var faultMessages = map[string]string{
	lights.FaultDark:       "Đèn tắt khi lẽ ra phải sáng / the lamp is dark when it should be on",
	lights.FaultDayBurning: "Đèn sáng ban ngày / the lamp burns in daylight",
	lights.FaultNoPower:    "Đèn bật nhưng không tiêu thụ điện / the lamp is on but draws no power",
}

// lampFault raises or clears the alert of a lamp fault (lamp_dark,
// lamp_day_burning, lamp_no_power).
func (d *Daemon) lampFault(ev lights.FaultEvent) {
	if d.alerts == nil {
		return
	}
	ctx := context.Background()
	key := alerts.Key{Device: ev.Device, Condition: alerts.Condition("lamp_" + ev.Fault)}
	var err error
	if ev.Active {
		_, err = d.alerts.Raise(ctx, alerts.Problem{Key: key, Zone: ev.Zone, Kind: "light", Severity: alerts.Warning,
			Message: faultMessages[ev.Fault]})
	} else {
		err = d.alerts.Resolve(ctx, key)
	}
	if err != nil {
		d.log.Error("lamp fault alert not recorded", "light", ev.Device, "fault", ev.Fault, "err", err)
	}
}

// lightsPublisher publishes through the broker link, which starts after the
// lights capability is built.
type lightsPublisher struct{ d *Daemon }

func (p lightsPublisher) Send(topic string, qos byte, retained bool, payload []byte) (func(context.Context) error, error) {
	if p.d.link == nil {
		return nil, mqttlink.ErrNotStarted
	}
	return p.d.link.Send(topic, qos, retained, payload)
}

// Lights returns the lights capability once Run has started the daemon.
func (d *Daemon) Lights() *lights.Service { return d.lights }
