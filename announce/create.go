package announce

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// WindowError refuses a normal or priority announcement outside its zone's
// broadcast window; it wraps devices.ErrConflict (409).
type WindowError struct {
	Zone       string
	NextWindow time.Time
}

func (e *WindowError) Error() string {
	return fmt.Sprintf("Ngoài khung giờ phát của khu %s; khung tiếp theo lúc %s / outside the broadcast window of zone %s; next window at %s",
		e.Zone, e.NextWindow.Format("15:04 02/01/2006"), e.Zone, e.NextWindow.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, devices.ErrConflict) true.
func (e *WindowError) Unwrap() error { return devices.ErrConflict }

func errFinal(id string) error {
	return fmt.Errorf("Thông báo %s đã kết thúc / announcement %s has already ended: %w", id, id, devices.ErrConflict)
}

// pastSlack is how far in the past an "at" may be (clock skew of the phone).
const pastSlack = time.Minute

// Announce creates an announcement for the speakers in req.Devices (already
// resolved and zone-checked): now, at req.AtTime, or on req.Cron. Text is
// rendered to speech first. A normal or priority announcement for now is
// refused outside a target zone's broadcast window (*WindowError); a
// scheduled one is deferred to the window.
func (s *Service) Announce(ctx context.Context, req Request, u accounts.User) (Announcement, error) {
	if fe := req.Check(); fe != nil {
		return Announcement{}, fe
	}
	now := s.opts.Now()
	var speakers []devices.Device
	for _, d := range req.Devices {
		if d.Kind == devices.Speaker {
			speakers = append(speakers, d)
		}
	}
	if len(speakers) == 0 {
		return Announcement{}, devices.Invalid("targets", "Không có loa nào trong đích / targets name no speaker")
	}
	if !req.AtTime.IsZero() && req.AtTime.Before(now.Add(-pastSlack)) {
		return Announcement{}, devices.Invalid("at", "Thời điểm đã qua / at %s is in the past", req.At)
	}
	if req.MediaID != "" {
		if _, _, err := s.mediaFile(ctx, req.MediaID); err != nil {
			if errors.Is(err, devices.ErrNotFound) {
				return Announcement{}, devices.Invalid("media_id", "Không tìm thấy tệp âm thanh / unknown media_id %q", req.MediaID)
			}
			return Announcement{}, err
		}
	}
	if req.Cron != "" {
		return s.createSchedule(ctx, req, u)
	}
	at := req.AtTime
	if at.IsZero() || at.Before(now) {
		at = now
	}
	if req.Priority != string(devices.Emergency) {
		if req.AtTime.IsZero() {
			if err := s.checkWindows(speakers, now); err != nil {
				return Announcement{}, err
			}
		} else {
			at = s.deferToWindows(speakers, at)
		}
	}
	r, err := s.build(ctx, req, speakers, u.Name, now, at, "")
	if err != nil {
		return Announcement{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.launch(r, now), nil
}

// build renders the audio and makes the record (not yet saved).
func (s *Service) build(ctx context.Context, req Request, speakers []devices.Device, by string, now, at time.Time, schedule string) (*record, error) {
	audio, err := s.audioFor(ctx, req, by)
	if err != nil {
		return nil, err
	}
	r := &record{Announcement: Announcement{ID: newID("ann-"), Title: req.Title, Priority: req.Priority, Text: req.Text,
		MediaID: req.MediaID, Repeat: req.Repeat, Volume: req.Volume, By: by, Created: now, At: at,
		Expires: at.Add(s.opts.ValidFor), Schedule: schedule, DurationS: audio.DurationS},
		Audio: audio.path, Token: newToken(), Targets: speakers, Seq: s.nextSeq(now)}
	for _, d := range speakers {
		if !slices.Contains(r.Zones, d.Zone) {
			r.Zones = append(r.Zones, d.Zone)
		}
		r.Deliveries = append(r.Deliveries, Delivery{Device: d.ID, Zone: d.Zone, Status: Pending, Updated: now})
	}
	slices.Sort(r.Zones)
	if err := s.db.addToken(ctx, r.Token, audio.path, audio.ContentType, r.Expires.Add(time.Hour)); err != nil {
		return nil, err
	}
	return r, nil
}

// launch saves r, queues it on its speakers and starts those that are free
// (an emergency preempts a lower priority in flight: see pump). s.mu is held.
func (s *Service) launch(r *record, now time.Time) Announcement {
	s.open[r.ID] = r
	s.persist(r)
	for i := range r.Deliveries {
		sp := s.speaker(r.Deliveries[i].Device)
		sp.enqueue(r)
		s.pump(sp, now)
	}
	return r.snapshot()
}

// preempt stops a lower-priority announcement in flight on sp: it is sent
// a stop and goes back to the queue (pending), to play again from the
// start after what now goes first. A play lost while its speaker was
// offline (see goneAway) ends instead, done if the speaker had reported
// playing it, else failed: it may have played already.
func (s *Service) preempt(sp *speaker, now time.Time) {
	cur, ok := s.open[sp.current]
	if !ok || rank(cur.Priority) >= rank(string(devices.Emergency)) {
		return
	}
	dl := cur.delivery(sp.id)
	if sp.lost {
		// It may have played while the speaker was offline: never again.
		status := Failed
		if sp.started {
			status = Done
		}
		s.stop(sp, cur)
		s.setDelivery(cur, dl, status, reasonLostPreempted, now)
		return
	}
	s.stop(sp, cur)
	s.setDelivery(cur, dl, Pending, "Bị ngắt bởi thông báo khẩn cấp, sẽ phát lại / preempted by an emergency, will play again", now)
	sp.enqueue(cur)
}

// nextSeq returns an increasing creation sequence number.
func (s *Service) nextSeq(now time.Time) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq = max(s.seq+1, now.UnixNano())
	return s.seq
}
