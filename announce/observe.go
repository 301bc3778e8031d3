package announce

import (
	"context"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// Observe takes what a speaker reported (from the ingest pipeline): the ack
// of a play command, its state (playing which announcement) and played /
// play_failed events. sonos2mqtt speakers send no ack and no played event:
// playing is their state turning to playing, done its turning back to idle.
func (s *Service) Observe(d devices.Device, r devices.Report) {
	if d.Kind != devices.Speaker || r.Ack == nil && r.Speaker == nil && len(r.Events) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp, ok := s.speakers[d.ID]
	if !ok {
		return
	}
	now := s.opts.Now()
	rec, ok := s.open[sp.current]
	if !ok {
		if rec, ok = s.adopt(sp, d, r, now); !ok {
			return
		}
	}
	dl := rec.delivery(d.ID)
	sonos := d.Protocol == devices.Sonos2MQTT
	if a := r.Ack; a != nil && a.ID == sp.cmd {
		if !a.OK {
			s.finish(sp, rec, dl, Failed, "Loa từ chối / speaker refused: "+a.Error, now)
			return
		}
		sp.acked = true
	}
	for _, ev := range r.Events {
		if !sonos && ev.Ref != rec.ID {
			continue
		}
		switch ev.Type {
		case "played":
			s.played(sp, rec, dl, now)
			return
		case "play_failed":
			s.finish(sp, rec, dl, Failed, "Loa báo phát lỗi / speaker reported play_failed", now)
			return
		}
	}
	if st := r.Speaker; st != nil && st.Playing != nil {
		p := *st.Playing
		// A native speaker reports the announcement id; sonos2mqtt the
		// track URI (ours, or "?" when it has none).
		ours := p == rec.ID || sonos && (p == s.mediaURL(rec) || p == devices.PlayingUnknown)
		switch {
		case sp.lost && ours:
			s.lostPlaying(sp, rec, dl, now)
		case sp.lost:
			// Back idle (or on to something else) without a played event.
			s.settleLost(sp, rec, dl, now)
		case ours:
			sp.started = true
			if dl.Status == Sent {
				s.setDelivery(rec, dl, Playing, "", now)
				sp.deadline = now.Add(s.playTime(rec) + s.opts.AnswerTimeout)
			}
		case sonos && dl.Status == Playing:
			// Idle again, or back to what it played before the notify.
			s.played(sp, rec, dl, now)
		}
	}
}

// playTime is how long one play of r lasts, or AnswerTimeout when unknown.
func (s *Service) playTime(r *record) time.Duration {
	if r.DurationS > 0 {
		return time.Duration(r.DurationS * float64(time.Second))
	}
	return s.opts.AnswerTimeout
}

// played counts one play to the end: the next repeat is sent, or the delivery is done.
func (s *Service) played(sp *speaker, r *record, dl *Delivery, now time.Time) {
	dl.Plays++
	if dl.Plays < r.Repeat {
		if dl.Status != Playing {
			s.setDelivery(r, dl, Playing, "", now)
		}
		sp.idle()
		s.play(sp, r, dl, now)
		return
	}
	s.finish(sp, r, dl, Done, "", now)
}

// finish ends the delivery in flight on sp and starts the next one.
func (s *Service) finish(sp *speaker, r *record, dl *Delivery, status, reason string, now time.Time) {
	sp.idle()
	s.setDelivery(r, dl, status, reason, now)
	s.pump(sp, now)
}

// availability follows a speaker's availability. Offline: a play the
// speaker has not accepted yet goes back in the queue (marked offline), to be
// sent again once it is back; one it accepted (acked, or reported playing)
// stays in flight and is never sent again (goneAway). Online: a lost play
// waits for the speaker's report; the queue starts again.
func (s *Service) availability(st devices.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp, ok := s.speakers[st.Device.ID]
	if !ok {
		return
	}
	now := s.opts.Now()
	r, inFlight := s.open[sp.current]
	if st.Availability == devices.Offline {
		switch {
		case inFlight && sp.accepted():
			if !sp.away {
				s.goneAway(sp, r, now)
			}
		case inFlight:
			sp.idle()
			s.setDelivery(r, r.delivery(sp.id), Offline, "Loa mất kết nối / speaker went offline", now)
			sp.enqueue(r)
		}
		for _, r := range sp.queue {
			if dl := r.delivery(sp.id); dl != nil && dl.Status == Pending && !r.At.After(now) {
				s.setDelivery(r, dl, Offline, "Loa mất kết nối / speaker is offline", now)
			}
		}
		return
	}
	if inFlight && sp.away && st.Availability == devices.Online {
		s.back(sp, r, now)
	}
	s.pump(sp, now)
}

// MaxAttempts is how many times a play is sent to a speaker that does not answer.
const MaxAttempts = 3

// Tick checks deadlines at the current time: a speaker that did not answer
// or report the end in time fails with the reason; announcements past
// their validity fail where undelivered; due schedule occurrences are
// claimed; free speakers start their next announcement. Run calls it every
// TickEvery; tests call it with an injected clock.
func (s *Service) Tick(ctx context.Context) {
	s.runSchedules(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for _, sp := range s.speakers {
		r, ok := s.open[sp.current]
		if sp.current != "" && !ok {
			sp.idle()
		}
		if ok && s.tickLost(sp, r, now) {
			continue
		}
		if ok && now.After(sp.deadline) {
			dl := r.delivery(sp.id)
			if dl.Status == Sent && !sp.acked && dl.Attempts < MaxAttempts && !now.After(r.Expires) {
				// The command may have been lost (a speaker that had just
				// reconnected and not yet subscribed): send it again.
				sp.idle()
				s.play(sp, r, dl, now)
				continue
			}
			reason := fmt.Sprintf("Loa không trả lời sau %d lần gửi / no answer from the speaker after %d attempts, %s each",
				dl.Attempts, dl.Attempts, s.opts.AnswerTimeout)
			if dl.Status == Playing {
				reason = "Loa không báo phát xong / the speaker did not report the end of the play"
			}
			s.finish(sp, r, dl, Failed, reason, now)
		}
	}
	for _, r := range s.open {
		if !now.After(r.Expires) {
			continue
		}
		for i := range r.Deliveries {
			dl := &r.Deliveries[i]
			if dl.Status != Pending && dl.Status != Offline {
				continue
			}
			reason := "Hết hạn khi chưa phát / expired before it played"
			if dl.Status == Offline {
				reason = reasonOfflineExpired
			}
			s.speaker(dl.Device).remove(r)
			s.setDelivery(r, dl, Failed, reason, now)
		}
	}
	for _, sp := range s.speakers {
		s.pump(sp, now)
	}
}

// Cancel cancels an announcement (or a recurring schedule): deliveries not
// yet final end cancelled, and speakers playing it are told to stop.
func (s *Service) Cancel(ctx context.Context, id string, u accounts.User) error {
	if isScheduleID(id) {
		return s.deleteSchedule(ctx, id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.open[id]
	if !ok {
		if _, err := s.db.get(ctx, id); err != nil {
			return err
		}
		return errFinal(id)
	}
	now := s.opts.Now()
	r.Status = Cancelled
	for i := range r.Deliveries {
		dl := &r.Deliveries[i]
		if terminal(dl.Status) {
			continue
		}
		sp := s.speaker(dl.Device)
		sp.remove(r)
		if sp.current == r.ID {
			s.stop(sp, r)
		}
		s.setDelivery(r, dl, Cancelled, "Đã hủy bởi "+u.Name+" / cancelled by "+u.Name, now)
		s.pump(sp, now)
	}
	s.persist(r)
	return nil
}
