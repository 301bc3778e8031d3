package daemon

import (
	"context"
	"fmt"

	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/web"
)

// startAnnounce builds the announcements capability over the store, the
// registry and the broker link, and loads what the previous run left open.
func (d *Daemon) startAnnounce(ctx context.Context) error {
	windows := map[string][]string{}
	for _, z := range d.cfg.Zones {
		windows[z.ID] = z.BroadcastWindows
	}
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
		Logger: d.log.With("component", "announce"),
	}
	if d.telemetry != nil {
		opts.Points = d.telemetry
	}
	svc, err := announce.New(opts)
	if err != nil {
		return fmt.Errorf("announce: %w", err)
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
	go d.watchAnnouncements(ctx)
	return d.announce.Run(ctx)
}

// observeSpeaker hands speaker reports (acks, events, state) to announce.
func (d *Daemon) observeSpeaker(dev devices.Device, r devices.Report) {
	if d.announce != nil {
		d.announce.Observe(dev, r)
	}
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
