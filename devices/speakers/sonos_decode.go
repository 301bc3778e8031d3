package speakers

import (
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// Decode turns one sonos2mqtt message into reports:
//   - connected: the bridge's status for all its speakers (AvailabilityAll):
//     2 online; 1 (connected to MQTT but to no speaker) and 0 (Last Will) offline;
//   - <uuid>: the speaker's state JSON: transportState and volume.Master;
//   - status/<id>/state and status/<id>/volume (--distinct): the same, keyed by
//     the topic's id (the UUID, or the cleaned name with --friendlynames name);
//   - <uuid>/error: a failed command, as an event play_failed (notify, speak,
//     setavtransporturi) or fault.
//
// Commands (<id>/control, cmd/…, set/…) and the other status topics are
// ReasonIgnored with the reason.
func (s *Sonos) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	lv := s.levels(topic)
	if lv == nil {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "topic %s is not under %s/", devices.Quote(topic), s.prefix)
	}
	switch {
	case lv[0] == "cmd" || lv[0] == "set" || len(lv) == 2 && lv[1] == "control":
		return nil, devices.Errorf(devices.ReasonIgnored, "command topic (commands to sonos2mqtt)")
	case len(lv) == 1 && lv[0] == "alarms":
		return nil, devices.Errorf(devices.ReasonIgnored, "alarm list is not read")
	case len(lv) > 3 || lv[0] == "status" && len(lv) != 3:
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "topic %s is not a sonos2mqtt topic hamlet knows", devices.Quote(topic))
	case len(lv) == 3 && lv[0] != "status":
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "topic %s is not a sonos2mqtt topic hamlet knows", devices.Quote(topic))
	case len(lv) == 2 && lv[1] != "error":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s is not read (a command reply)", lv[1])
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	var (
		r   = devices.Report{Protocol: devices.Sonos2MQTT}
		err *devices.DecodeError
	)
	switch {
	case len(lv) == 1 && lv[0] == "connected":
		r.AvailabilityAll = true
		err = decodeConnected(&r, payload)
	case len(lv) == 1:
		r.Key = lv[0]
		err = decodeSpeaker(&r, payload)
	case len(lv) == 2:
		r.Key = lv[0]
		err = decodeError(&r, payload)
	default:
		r.Key = lv[1]
		err = decodeDistinct(&r, lv[2], payload)
	}
	if err != nil {
		return nil, err
	}
	return []devices.Report{r}, nil
}

func decodeConnected(r *devices.Report, payload []byte) *devices.DecodeError {
	switch s := strings.TrimSpace(string(payload)); s {
	case "2":
		r.Availability = devices.Online
	case "0", "1":
		r.Availability = devices.Offline
	case "":
		return devices.Errorf(devices.ReasonIgnored, "empty connected status (a retained status was cleared)")
	default:
		return devices.Errorf(devices.ReasonWrongType, `connected: want "0", "1" or "2", got %s`, devices.Quote(s))
	}
	return nil
}

// playing maps a Sonos transport state to whether it plays.
func playing(state string) (bool, bool) {
	switch strings.ToUpper(state) {
	case "PLAYING", "TRANSITIONING":
		return true, true
	case "STOPPED", "PAUSED_PLAYBACK", "PAUSED", "NO_MEDIA_PRESENT":
		return false, true
	}
	return false, false
}

// decodeSpeaker reads the retained state JSON. Playing is the current track
// URI (for an announcement, the media URL hamlet sent) while playing, "" when
// stopped or paused.
func decodeSpeaker(r *devices.Report, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	var sp devices.SpeakerState
	if state, ok, err := o.String("transportState"); err != nil {
		return err
	} else if ok {
		on, known := playing(state)
		if !known {
			return o.WrongType("transportState", "PLAYING, TRANSITIONING, PAUSED_PLAYBACK or STOPPED")
		}
		uri := ""
		if on {
			uri = devices.PlayingUnknown
			if track, ok, err := o.Object("currentTrack"); err != nil {
				return err
			} else if ok {
				if u, ok, err := track.String("TrackUri"); err != nil {
					return err
				} else if ok && u != "" {
					uri = u
				}
			}
		}
		sp.Playing = &uri
	}
	if vol, ok, err := o.Object("volume"); err != nil {
		return err
	} else if ok {
		if v, ok, err := vol.NumberIn("Master", 0, 100); err != nil {
			return err
		} else if ok {
			sp.Volume = devices.Int(int(v + 0.5))
		}
	}
	if ts, ok, err := o.NumberIn("ts", 0, 1<<50); err != nil {
		return err
	} else if ok {
		r.Time = time.UnixMilli(int64(ts)).UTC()
	}
	if sp == (devices.SpeakerState{}) {
		return devices.Errorf(devices.ReasonIgnored, "speaker state carries neither transportState nor volume (keys: %s)", strings.Join(o.Keys(), ", "))
	}
	r.Speaker = &sp
	return nil
}

func decodeDistinct(r *devices.Report, what string, payload []byte) *devices.DecodeError {
	s := strings.TrimSpace(string(payload))
	switch what {
	case "state":
		on, ok := playing(s)
		if !ok {
			return devices.Errorf(devices.ReasonWrongType, "state: want PLAYING, PAUSED_PLAYBACK or STOPPED, got %s", devices.Quote(s))
		}
		p := ""
		if on {
			p = devices.PlayingUnknown
		}
		r.Speaker = &devices.SpeakerState{Playing: &p}
	case "volume":
		v, ok := jsonfield.ParseNumber([]byte(s), false)
		if !ok && strings.HasPrefix(s, "{") {
			o, err := jsonfield.Parse(payload)
			if err != nil {
				return err
			}
			var has bool
			var derr *devices.DecodeError
			if v, has, derr = o.NumberIn("Master", 0, 100); derr != nil {
				return derr
			}
			ok = has
		}
		if !ok || v < 0 || v > 100 {
			return devices.Errorf(devices.ReasonWrongType, "volume: want a number 0-100, got %s", devices.Quote(s))
		}
		r.Speaker = &devices.SpeakerState{Volume: devices.Int(int(v + 0.5))}
	default:
		return devices.Errorf(devices.ReasonIgnored, "status %s is not read (state and volume are)", devices.Quote(what))
	}
	return nil
}

// decodeError reads <uuid>/error {"command":…,"error":…}.
func decodeError(r *devices.Report, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	cmd, _, err := o.String("command")
	if err != nil {
		return err
	}
	typ := "fault"
	switch strings.ToLower(cmd) {
	case "notify", "speak", "setavtransporturi", "play":
		typ = "play_failed"
	}
	r.Events = []devices.Event{{Type: typ, Ref: cmd}}
	return nil
}
