package speakers

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hamlet-vn/hamlet/devices"
)

// NotifyTimeout is the timeout in seconds hamlet gives sonos2mqtt's notify:
// the longest an announcement may play before the speaker's previous state is
// restored anyway.
const NotifyTimeout = 600

type control struct {
	Command string `json:"command"`
	Input   any    `json:"input,omitempty"`
}

type notify struct {
	TrackURI        string `json:"trackUri"`
	Volume          int    `json:"volume,omitempty"`
	OnlyWhenPlaying bool   `json:"onlyWhenPlaying"`
	Timeout         int    `json:"timeout"`
}

// Encode turns a speaker command into messages on sonos/<uuid>/control, QoS 1,
// in this order: {"command":"stop"}; {"command":"volume","input":v};
// {"command":"notify","input":{"trackUri":url,"volume":v,"onlyWhenPlaying":false,"timeout":600}}
// (notify plays the URL, then restores what the speaker did before; a play
// volume of 0 keeps the speaker's volume). The speaker is cmd.Device.Topic:
// its UUID or cleaned name.
func (s *Sonos) Encode(cmd devices.Command) ([]devices.Message, error) {
	if cmd.Device.Topic == "" {
		return nil, fmt.Errorf("sonos2mqtt: device %s has no topic (the speaker's UUID)", devices.Quote(cmd.Device.ID))
	}
	topic := s.ControlTopic(cmd.Device.Topic)
	if err := devices.CheckTopic(topic); err != nil {
		return nil, fmt.Errorf("sonos2mqtt: %w", err)
	}
	if cmd.Stop && cmd.Play != nil {
		return nil, errors.New("sonos2mqtt: a command cannot both play and stop")
	}
	var controls []control
	if cmd.Stop {
		controls = append(controls, control{Command: "stop"})
	}
	if v := cmd.Volume; v != nil {
		if *v < 0 || *v > 100 {
			return nil, fmt.Errorf("sonos2mqtt: volume %d is outside 0-100", *v)
		}
		controls = append(controls, control{Command: "volume", Input: *v})
	}
	if p := cmd.Play; p != nil {
		if p.URL == "" {
			return nil, errors.New("sonos2mqtt: play command has no url")
		}
		if p.Volume < 0 || p.Volume > 100 {
			return nil, fmt.Errorf("sonos2mqtt: play volume %d is outside 0-100", p.Volume)
		}
		controls = append(controls, control{Command: "notify", Input: notify{TrackURI: p.URL, Volume: p.Volume, Timeout: NotifyTimeout}})
	}
	if len(controls) == 0 {
		return nil, errors.New("sonos2mqtt: only play, stop and volume commands are supported")
	}
	msgs := make([]devices.Message, 0, len(controls))
	for _, c := range controls {
		body, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("sonos2mqtt: %w", err)
		}
		msgs = append(msgs, devices.Message{Topic: topic, Payload: body, QoS: 1})
	}
	return msgs, nil
}
