package announce

import (
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// adopt takes back, on the idle speaker sp, an announcement the speaker
// reports it plays or played although no play of it is in flight: a play
// command whose publish failed (the broker went away while the command
// waited for its acknowledgement) stays in the MQTT session and reaches the
// speaker once the broker is back, after the delivery went back to the
// queue to be sent again. Believing the speaker keeps it from playing twice.
// Only deliveries already sent at least once are adopted; sonos2mqtt
// speakers, which report a track rather than an announcement, never are.
// s.mu is held.
func (s *Service) adopt(sp *speaker, d devices.Device, r devices.Report, now time.Time) (*record, bool) {
	if sp.current != "" || d.Protocol == devices.Sonos2MQTT {
		return nil, false
	}
	var refs []string
	if st := r.Speaker; st != nil && st.Playing != nil && *st.Playing != "" {
		refs = append(refs, *st.Playing)
	}
	for _, ev := range r.Events {
		if ev.Type == "played" || ev.Type == "play_failed" {
			refs = append(refs, ev.Ref)
		}
	}
	for _, id := range refs {
		rec, ok := s.open[id]
		if !ok {
			continue
		}
		dl := rec.delivery(d.ID)
		if dl == nil || terminal(dl.Status) || dl.Attempts == 0 {
			continue
		}
		s.log.Info("announcement reported by the speaker after its command failed: not sent again",
			"announcement", rec.ID, "device", d.ID)
		sp.remove(rec)
		sp.current, sp.cmd, sp.acked = rec.ID, "", true
		sp.deadline = now.Add(s.playTime(rec) + s.opts.AnswerTimeout)
		if dl.Status != Sent && dl.Status != Playing {
			s.setDelivery(rec, dl, Sent, "", now)
		}
		return rec, true
	}
	return nil, false
}

// Reconnected sends at once the plays held back after a failed publish
// (publishRetry): call it when the broker link is up, including the first
// time. A daemon restarted after a crash sends the announcements that fell
// due meanwhile before its link is up; they would otherwise wait 15 s more.
func (s *Service) Reconnected() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for _, sp := range s.speakers {
		sp.retryAt = time.Time{}
		s.pump(sp, now)
	}
}
