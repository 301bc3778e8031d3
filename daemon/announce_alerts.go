package daemon

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
)

// alertSpeaker is the alerts channel that speaks raised alerts on the
// speakers of alerts.announce.zone, or nil when none is configured.
func (d *Daemon) alertSpeaker() alerts.Notifier {
	zone := d.cfg.Alerts.Announce.Zone
	if zone == "" || d.announce == nil {
		return nil
	}
	return &alerts.AnnounceChannel{Zone: zone, MinSeverity: alerts.Severity(d.cfg.Alerts.Announce.MinSeverity),
		Speak: d.speakAlert, Log: d.log.With("component", "alerts")}
}

// speakAlert announces text on a zone's speakers at priority, within the
// zone's broadcast windows (deferred to the next one): an alert does not
// wake the street at night.
func (d *Daemon) speakAlert(ctx context.Context, zone, text string) error {
	var speakers []devices.Device
	for _, s := range d.registry.List(devices.Filter{Kind: devices.Speaker, Zone: zone}) {
		speakers = append(speakers, s.Device)
	}
	_, err := d.announce.Announce(ctx, announce.Request{Title: "Cảnh báo", Text: text, Priority: string(devices.Urgent),
		At: time.Now().Format(time.RFC3339), Targets: devices.Target{Zones: []string{zone}}, Devices: speakers},
		accounts.User{Name: "hamletd", Role: accounts.RoleAdmin})
	return err
}

// watchAnnouncements raises an announcement_failed alert for a speaker whose
// delivery failed, and resolves it when the speaker next plays one to the
// end, until ctx ends.
func (d *Daemon) watchAnnouncements(ctx context.Context) error {
	if d.announce == nil || d.alerts == nil {
		return nil
	}
	events, cancel := d.announce.Events(256)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			if ev.Device == "" {
				if ev.Status == announce.Missed {
					d.announcementMissed(ctx, ev)
				}
				continue
			}
			key := alerts.Key{Device: ev.Device, Condition: alerts.AnnouncementFailed}
			var err error
			switch ev.Status {
			case announce.Failed:
				_, err = d.alerts.Raise(ctx, alerts.Problem{Key: key, Zone: ev.Zone, Kind: string(devices.Speaker), Severity: alerts.Warning,
					Message: "Loa " + ev.Device + " không phát được thông báo " + ev.Announcement + " / speaker " + ev.Device +
						" did not play announcement " + ev.Announcement + ": " + ev.Error})
			case announce.Done:
				err = d.alerts.Resolve(ctx, key)
			}
			if err != nil {
				d.log.Warn("announcement alert not recorded", "device", ev.Device, "err", err)
			}
		}
	}
}

// announcementMissed raises (and at once resolves, so it stays in the
// history) an alert that a scheduled announcement was missed because
// hamletd was not running at its time.
func (d *Daemon) announcementMissed(ctx context.Context, ev announce.Event) {
	zone := ""
	if len(ev.Zones) > 0 {
		zone = ev.Zones[0]
	}
	key := alerts.Key{Condition: alerts.AnnouncementMissed}
	_, err := d.alerts.Raise(ctx, alerts.Problem{Key: key, Zone: zone, Kind: string(devices.Speaker), Severity: alerts.Warning,
		Message: "Thông báo hẹn giờ " + ev.Announcement + " bị lỡ vì hamletd không chạy đúng lúc / scheduled announcement " +
			ev.Announcement + " was missed: hamletd was not running at its time"})
	if err == nil {
		err = d.alerts.Resolve(ctx, key)
	}
	if err != nil {
		d.log.Warn("missed announcement alert not recorded", "announcement", ev.Announcement, "err", err)
	}
}
