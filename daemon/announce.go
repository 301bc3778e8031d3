package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/web"
)

// startAnnounce builds the announcements capability over the store, the
// registry and the broker link, and loads what the previous run left open.
func (d *Daemon) startAnnounce(ctx context.Context) error {
	windows := windowsOf(d.cfg.Zones)
	a := d.cfg.Announce
	opts := announce.Options{
		DB:            d.store.AnnounceSQL(),
		Sender:        linkSender{d},
		Devices:       d.registry,
		Audit:         d.store,
		Area:          d.cfg.Area.ID,
		PublicURL:     d.cfg.HTTP.PublicURL,
		Dir:           d.cfg.Storage.Dir,
		Location:      d.cfg.Location(),
		Windows:       windows,
		ValidFor:      a.ValidFor,
		Grace:         a.Grace,
		AnswerTimeout: a.AnswerTimeout,
		Media: announce.MediaOptions{MaxBytes: int64(a.MaxMediaBytes), Format: a.SpeakerFormat,
			Voice: a.TTSVoice, Rate: a.TTSRate, Pitch: a.TTSPitch},
		ClockOK: d.clock.Plausible,
		Logger:  d.log.With("component", "announce"),
	}
	if d.telemetry != nil {
		opts.Points = d.telemetry
	}
	if d.schedules != nil {
		opts.Programmes, opts.Resolve = d.announcementProgrammes, d.resolveSpeakers
	}
	svc, err := announce.New(opts)
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	if d.schedules != nil {
		// The schedule capability's timing check first (its cron messages
		// say where an expression goes wrong), then announce's own.
		loc := d.cfg.Location()
		d.schedules.Register(schedule.KindAnnouncement, func(raw json.RawMessage) error {
			if err := schedule.ValidateAnnouncement(raw, loc); err != nil {
				return err
			}
			return svc.ValidateProgramme(raw)
		})
		d.schedules.RegisterNext(schedule.KindAnnouncement, func(raw json.RawMessage, t time.Time) (schedule.Upcoming, bool) {
			next, ok := svc.ProgrammeNext(raw, t)
			return schedule.Upcoming{Time: next}, ok
		})
	}
	if err := svc.Start(ctx); err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	d.announce = svc
	return nil
}

// announceWeb adds the announcement hooks to the HTTP server's options.
func (d *Daemon) announceWeb(o *web.Options) {
	if d.announce == nil {
		return
	}
	o.Announcer, o.Media = d.announce, d.announce
	o.MaxMediaBytes = int64(d.cfg.Announce.MaxMediaBytes)
}

// runAnnounce runs the announcements service until ctx ends.
func (d *Daemon) runAnnounce(ctx context.Context) error {
	if d.announce == nil {
		return nil
	}
	return d.announce.Run(ctx)
}

// observeSpeaker hands speaker reports (acks, events, state) to announce.
func (d *Daemon) observeSpeaker(dev devices.Device, r devices.Report) {
	if d.announce != nil {
		d.announce.Observe(dev, r)
	}
}

// announcementProgrammes lists the schedule capability's announcement programmes.
func (d *Daemon) announcementProgrammes(ctx context.Context) ([]announce.Programme, error) {
	list, err := d.schedules.List(ctx, schedule.KindAnnouncement)
	if err != nil {
		return nil, err
	}
	out := make([]announce.Programme, 0, len(list))
	for _, sc := range list {
		out = append(out, announce.Programme{ID: sc.ID, Targets: sc.Targets, Program: sc.Program, Enabled: sc.Enabled,
			Created: sc.Created, CreatedBy: sc.CreatedBy})
	}
	return out, nil
}

// resolveSpeakers returns the speakers a target names now.
func (d *Daemon) resolveSpeakers(t devices.Target) []devices.Device {
	var out []devices.Device
	switch {
	case len(t.Devices) > 0:
		for _, id := range t.Devices {
			if st, ok := d.registry.Get(id); ok {
				out = append(out, st.Device)
			}
		}
	default:
		for _, st := range d.registry.List(devices.Filter{Kind: devices.Speaker, Zones: t.Zones}) {
			out = append(out, st.Device)
		}
	}
	return out
}

// linkSender publishes commands: the protocol adapter encodes, the broker
// link publishes.
type linkSender struct{ d *Daemon }

func (s linkSender) Send(ctx context.Context, cmd devices.Command) error {
	msgs, err := s.d.router.Encode(cmd)
	if err != nil {
		return err
	}
	if s.d.link == nil {
		return fmt.Errorf("broker link not started")
	}
	for _, m := range msgs {
		if err := s.d.link.Publish(ctx, m.Topic, m.QoS, false, m.Payload); err != nil {
			return err
		}
	}
	return nil
}
