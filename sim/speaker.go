package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// priorityRank orders the announcement priorities (empty is normal): a play
// preempts one of the same or a lower rank and is refused while a higher one
// plays. ok is false for an unknown priority.
func priorityRank(p string) (rank int, ok bool) {
	switch p {
	case "", string(devices.Normal):
		return 0, true
	case string(devices.Urgent):
		return 1, true
	case string(devices.Emergency):
		return 2, true
	}
	return 0, false
}

// speaker is a native loudspeaker.
type speaker struct {
	native
	volume  int    // the speaker's own volume, 0–100
	playing string // the announcement playing, or ""
	playVol int    // the volume of the play in progress
	rank    int    // the priority rank of the play in progress
	gen     int    // bumped by every play and stop, so a stale end is ignored
	plays   []Play // every play accepted, for Status
}

// Play is one play a simulated speaker accepted: it started the audio.
type Play struct {
	// Announcement is the play's announcement id (or the command id when
	// the play named none).
	Announcement string
	// Command is the id of the play command.
	Command string
	// At is when the audio started, on the fleet's clock.
	At time.Time
	// Finished is true once the audio ended and "played" was reported;
	// false while it plays, or when a stop or another play cut it short.
	Finished bool
}

func newSpeaker(d *device) *speaker {
	return &speaker{native: newNative(d, "sim-loa"), volume: 70}
}

func (s *speaker) state() object {
	vol := s.volume
	if s.playing != "" {
		vol = s.playVol
	}
	return object{{"playing", s.playing}, {"volume", vol}}
}

func (s *speaker) publishState(d *device) { d.sendJSON(s.topic("state"), 1, true, s.state()) }

func (s *speaker) online(d *device) { s.birth(d, s.state()) }

// handle answers play, stop and volume commands with an ack.
func (s *speaker) handle(d *device, _ string, payload []byte) {
	c, err := parseCmd(payload)
	d.log.Info("command received", "id", c.ID, "payload", excerpt(payload))
	switch {
	case err != nil:
	case c.Play != nil:
		err = s.play(d, c)
	case c.Stop:
		s.ack(d, c.ID, nil)
		if s.playing != "" {
			s.gen++
			s.playing, s.rank = "", 0
			s.publishState(d)
		}
		return
	case c.Volume != nil:
		if *c.Volume < 0 || *c.Volume > 100 {
			err = fmt.Errorf("volume %d is outside 0–100", *c.Volume)
			break
		}
		s.volume = *c.Volume
		s.ack(d, c.ID, nil)
		s.publishState(d)
		return
	case c.On != nil || c.Brightness != nil:
		err = errors.New("a speaker has no on or brightness; send play, stop or volume")
	default:
		err = errors.New("command has none of play, stop or volume")
	}
	if err != nil && c.ID != "" {
		s.ack(d, c.ID, err)
	}
}

// play starts an announcement: ack, state playing, and after its duration
// the played event and state idle. A play of a lower priority than the one
// in progress is refused; otherwise it preempts it (play_failed for the old one).
func (s *speaker) play(d *device, c nativeCmd) error {
	p := c.Play
	rank, ok := priorityRank(p.Priority)
	switch {
	case p.URL == "":
		return errors.New("play.url is empty")
	case !ok:
		return fmt.Errorf("play.priority %q is not normal, priority or emergency", p.Priority)
	case p.Volume != nil && (*p.Volume < 0 || *p.Volume > 100):
		return fmt.Errorf("play.volume %d is outside 0–100", *p.Volume)
	case p.DurationS != nil && !validDuration(*p.DurationS):
		return fmt.Errorf("play.duration_s %v is not a positive number of seconds below a day", *p.DurationS)
	case s.playing != "" && rank < s.rank:
		return fmt.Errorf("busy: playing %q at a higher priority", s.playing)
	}
	if s.playing != "" {
		s.event(d, "play_failed", s.playing, "preempted by "+c.ID)
	}
	ref := p.Announcement
	if ref == "" {
		ref = c.ID
	}
	vol := s.volume
	if p.Volume != nil {
		vol = *p.Volume
	}
	dur := d.env.spec.AudioDuration
	if p.DurationS != nil {
		dur = time.Duration(*p.DurationS * float64(time.Second))
	}
	s.ack(d, c.ID, nil)
	s.gen++
	gen := s.gen
	s.playing, s.playVol, s.rank = ref, vol, rank
	s.plays = append(s.plays, Play{Announcement: ref, Command: c.ID, At: d.now()})
	n := len(s.plays) - 1
	s.publishState(d)
	d.after(d.env.real(dur), func() {
		if s.gen != gen {
			return
		}
		s.plays[n].Finished = true
		s.playing, s.rank = "", 0
		s.event(d, "played", ref, "")
		s.publishState(d)
	})
	return nil
}

func (s *speaker) tick(d *device) {
	d.sendJSON(s.topic("telemetry"), 1, false, s.telemetry(d))
}

func (s *speaker) garbage(*device, string) []message {
	return s.native.garbage(`{"playing":5,"volume":"loud"}`)
}

func (s *speaker) status(_ string, st *Status) {
	vol := s.volume
	if s.playing != "" {
		vol = s.playVol
	}
	st.Speaker = &devices.SpeakerState{Playing: devices.String(s.playing), Volume: devices.Int(vol)}
	st.Plays = append([]Play(nil), s.plays...)
}
