package announce

import (
	"time"
)

// Receipt notes and reasons for a speaker that went offline after it had
// accepted a play (acked it, or reported playing it). Such a play is never
// sent again: the speaker may have played it while hamlet could not hear it.
const (
	noteLostPlaying  = "Loa mất kết nối khi đang phát; chờ loa báo lại / speaker went offline during the play; waiting for it to report"
	noteLostAccepted = "Loa mất kết nối sau khi nhận lệnh phát; chờ loa báo lại / speaker went offline after accepting the play; waiting for it to report"
	// reasonLostEnd ends a delivery done: the speaker had reported playing
	// it, then came back idle without a played event.
	reasonLostEnd = "Loa mất kết nối khi đang phát nên không báo phát xong; không phát lại / speaker went offline during the play, so its end was not reported; not played again"
	// reasonLostAccepted ends a delivery failed: the speaker had acked the
	// play but never reported playing it, and came back idle.
	reasonLostAccepted = "Loa đã nhận lệnh phát rồi mất kết nối, không báo đã phát; không gửi lại để tránh phát hai lần / the speaker accepted the play, then went offline without reporting it played; not sent again so as not to play twice"
	// reasonLostPreempted ends a lost delivery stopped for an emergency.
	reasonLostPreempted  = "Loa mất kết nối trong khi phát, rồi bị ngắt bởi thông báo khẩn cấp; không phát lại / speaker went offline during the play, then was stopped for an emergency; not played again"
	reasonOfflineExpired = "Loa mất kết nối đến khi hết hạn / speaker offline until the announcement expired"
)

// accepted reports whether the speaker accepted the play in flight: it acked
// the command, or reported playing it.
func (sp *speaker) accepted() bool { return sp.acked || sp.started }

// idle forgets the play in flight on sp.
func (sp *speaker) idle() {
	sp.current, sp.cmd = "", ""
	sp.started, sp.lost, sp.away = false, false, false
}

// goneAway keeps in flight a play the speaker accepted before it went
// offline: no deadline runs while it is away (the announcement's expiry
// does), and its first reports once back decide the delivery (settleLost).
// s.mu is held.
func (s *Service) goneAway(sp *speaker, r *record, now time.Time) {
	sp.lost, sp.away = true, true
	dl := r.delivery(sp.id)
	note := noteLostAccepted
	if sp.started || dl.Status == Playing {
		note = noteLostPlaying
	}
	s.log.Info("speaker went offline after accepting a play: waiting for its report, not sending it again",
		"announcement", r.ID, "device", sp.id, "playing", sp.started)
	s.setDelivery(r, dl, dl.Status, note, now)
}

// back is a lost speaker online again: it has AnswerTimeout (plus the
// play's length when it was playing) to report what it does.
func (s *Service) back(sp *speaker, r *record, now time.Time) {
	sp.away = false
	sp.deadline = now.Add(s.opts.AnswerTimeout)
	if sp.started {
		sp.deadline = sp.deadline.Add(s.playTime(r))
	}
}

// lostPlaying takes a lost speaker's report that it plays r: the delivery
// is playing and waits for the played event (the note stays while the
// speaker is still offline: a retained state may be old). s.mu is held.
func (s *Service) lostPlaying(sp *speaker, r *record, dl *Delivery, now time.Time) {
	sp.started = true
	note := ""
	if sp.away {
		note = noteLostPlaying
	} else {
		sp.deadline = now.Add(s.playTime(r) + s.opts.AnswerTimeout)
	}
	s.setDelivery(r, dl, Playing, note, now)
}

// settleLost ends a lost play the speaker no longer plays (it reports idle
// or another announcement), or whose report never came after it was back:
// if it had reported playing it, the play counts as played (done, with the
// reason; the next repeat is sent when there is one), else the delivery
// fails. It is never sent again. s.mu is held.
func (s *Service) settleLost(sp *speaker, r *record, dl *Delivery, now time.Time) {
	if !sp.started {
		s.finish(sp, r, dl, Failed, reasonLostAccepted, now)
		return
	}
	dl.Plays++
	if dl.Plays < r.Repeat {
		sp.idle()
		s.setDelivery(r, dl, Playing, "", now)
		s.play(sp, r, dl, now)
		return
	}
	s.finish(sp, r, dl, Done, reasonLostEnd, now)
}

// tickLost checks a lost play at now; it reports whether sp was handled.
// Away until the announcement expires: failed. Back without a report
// past the deadline: settled as if idle. s.mu is held.
func (s *Service) tickLost(sp *speaker, r *record, now time.Time) bool {
	if !sp.lost {
		return false
	}
	dl := r.delivery(sp.id)
	switch {
	case sp.away && now.After(r.Expires):
		s.finish(sp, r, dl, Failed, reasonOfflineExpired, now)
	case !sp.away && now.After(sp.deadline):
		s.settleLost(sp, r, dl, now)
	}
	return true
}
