package announce

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// pump starts the next announcement on a free speaker: the first queued one
// whose time has come and whose zone's broadcast window is open (emergency
// ignores windows). An offline speaker's deliveries wait, marked offline.
// It runs with s.mu held.
func (s *Service) pump(sp *speaker, now time.Time) {
	online := s.online(sp.id)
	if sp.current != "" && online && s.emergencyDue(sp, now) {
		s.preempt(sp, now)
	}
	if sp.current != "" || now.Before(sp.retryAt) {
		return
	}
	for _, r := range sp.queue {
		dl := r.delivery(sp.id)
		if dl == nil || terminal(dl.Status) {
			sp.remove(r)
			s.pump(sp, now)
			return
		}
		if r.At.After(now) {
			continue
		}
		if !online {
			if dl.Status != Offline {
				s.setDelivery(r, dl, Offline, "Loa đang mất kết nối / speaker is offline", now)
			}
			continue
		}
		if r.Priority != string(devices.Emergency) && !s.windowOpen(dl.Zone, now) {
			continue
		}
		sp.remove(r)
		s.play(sp, r, dl, now)
		return
	}
}

// emergencyDue reports whether an emergency whose time has come waits
// behind a lower priority in flight on sp.
func (s *Service) emergencyDue(sp *speaker, now time.Time) bool {
	cur, ok := s.open[sp.current]
	if !ok || cur.Priority == string(devices.Emergency) {
		return false
	}
	for _, r := range sp.queue {
		if r.Priority == string(devices.Emergency) && !r.At.After(now) {
			return true
		}
	}
	return false
}

// play sends r to the speaker (the delivery is saved as sent before the
// command is published, so a crash cannot make it play twice).
func (s *Service) play(sp *speaker, r *record, dl *Delivery, now time.Time) {
	sp.idle()
	sp.current, sp.cmd, sp.acked = r.ID, newID("c-"), false
	sp.deadline = now.Add(s.opts.AnswerTimeout)
	dl.Attempts++
	if dl.Status != Playing && dl.Status != Sent {
		s.setDelivery(r, dl, Sent, "", now)
	} else {
		s.persist(r)
	}
	d := s.target(r, sp.id)
	vol := 0
	if r.Volume != nil {
		vol = *r.Volume
	} else if st, ok := s.getStatus(sp.id); ok && st.Reported.Speaker != nil && st.Reported.Speaker.Volume != nil {
		vol = *st.Reported.Speaker.Volume
	} else if d.Protocol != devices.Sonos2MQTT {
		vol = 70
	}
	s.outbox = append(s.outbox, devices.Command{ID: sp.cmd, Device: d, Play: &devices.Play{
		URL: s.mediaURL(r), Announcement: r.ID, Priority: devices.Priority(r.Priority), Volume: vol}})
	s.signal()
}

// stop asks the speaker to stop what it plays.
func (s *Service) stop(sp *speaker, r *record) {
	s.outbox = append(s.outbox, devices.Command{ID: newID("c-"), Device: s.target(r, sp.id), Stop: true})
	sp.idle()
	s.signal()
}

func (s *Service) getStatus(id string) (devices.Status, bool) {
	if s.opts.Devices == nil {
		return devices.Status{}, false
	}
	return s.opts.Devices.Get(id)
}

func (s *Service) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// setDelivery moves a delivery to status, then saves the announcement and
// reports the step: InfluxDB point, audit entry, live event.
func (s *Service) setDelivery(r *record, dl *Delivery, status, reason string, now time.Time) {
	if dl.Status == status && dl.Error == reason {
		return
	}
	dl.Status, dl.Error, dl.Updated = status, reason, now
	switch status {
	case Sent:
		dl.SentAt = now
	case Playing:
		if dl.PlayingAt.IsZero() {
			dl.PlayingAt = now
		}
	case Done:
		dl.DoneAt = now
	}
	s.persist(r)
	d := s.target(r, dl.Device)
	if s.opts.Points != nil {
		s.opts.Points.Add([]*telemetry.Point{telemetry.AnnouncementPoint(s.opts.Area, d, telemetry.AnnouncementDelivery{
			ID: r.ID, Priority: devices.Priority(r.Priority), Status: status, Error: reason}, now)}, func() {})
	}
	if s.opts.Audit != nil {
		res := status
		if _, err := s.opts.Audit.AppendAudit(context.Background(), store.AuditEntry{At: now, User: "hamletd", Source: "local",
			Action: "announcement.delivery", Target: "device:" + dl.Device, Params: `{"announcement":"` + r.ID + `"}`,
			Result: res, Error: reason, Zones: []string{dl.Zone}}); err != nil {
			s.log.Warn("announcement step not audited", "announcement", r.ID, "device", dl.Device, "err", err)
		}
	}
	s.hub.Publish(Event{Announcement: r.ID, Device: dl.Device, Zone: dl.Zone, Status: status, Error: reason, At: now})
}

// persist recomputes the overall status and saves r; a final announcement
// leaves the open set.
func (s *Service) persist(r *record) {
	now := s.opts.Now()
	prev := r.Status
	r.Status = overall(&r.Announcement, now)
	if err := s.db.save(context.Background(), r); err != nil {
		s.log.Error("announcement not saved", "announcement", r.ID, "err", err)
	}
	if r.Status != prev {
		s.hub.Publish(Event{Announcement: r.ID, Zones: r.Zones, Status: r.Status, At: now})
	}
	switch r.Status {
	case Done, Partial, Failed, Cancelled, Missed:
		delete(s.open, r.ID)
	}
}

// sendLoop publishes queued commands until ctx ends. A command that cannot
// be published leaves its delivery offline, to be retried.
func (s *Service) sendLoop(ctx context.Context) {
	for {
		s.mu.Lock()
		batch := s.outbox
		s.outbox = nil
		s.mu.Unlock()
		for _, cmd := range batch {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := s.opts.Sender.Send(cctx, cmd)
			cancel()
			if err != nil {
				s.sendFailed(cmd, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
	}
}

// publishRetry is how long a speaker waits after a failed publish (the
// broker link is down) before its next play is sent.
const publishRetry = 15 * time.Second

// sendFailed handles a command the sender could not publish: the
// announcement goes back to the queue, offline, and is retried while valid.
func (s *Service) sendFailed(cmd devices.Command, err error) {
	s.log.Warn("announcement command not published", "device", cmd.Device.ID, "err", err)
	if cmd.Play == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.speaker(cmd.Device.ID)
	r, ok := s.open[cmd.Play.Announcement]
	if !ok || sp.cmd != cmd.ID {
		return
	}
	sp.idle()
	now := s.opts.Now()
	sp.retryAt = now.Add(publishRetry)
	dl := r.delivery(sp.id)
	s.setDelivery(r, dl, Offline, "Không gửi được lệnh / command not published: "+err.Error(), now)
	sp.enqueue(r)
}
