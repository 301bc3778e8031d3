package native

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hamlet-vn/hamlet/devices"
)

// command is the JSON published on …/cmd.
type command struct {
	ID         string `json:"id"`
	On         *bool  `json:"on,omitempty"`
	Brightness *int   `json:"brightness,omitempty"`
	Play       *play  `json:"play,omitempty"`
	Stop       bool   `json:"stop,omitempty"`
	Volume     *int   `json:"volume,omitempty"`
}

type play struct {
	URL          string           `json:"url"`
	Announcement string           `json:"announcement"`
	Priority     devices.Priority `json:"priority"`
	Volume       int              `json:"volume"`
}

// Encode turns cmd into one message on <prefix>/<area>/<device>/cmd, QoS 1,
// carrying every part of the command under one id (the device acks it on
// …/ack). The device level is cmd.Device.Topic, or its ID when Topic is empty.
func (a *Adapter) Encode(cmd devices.Command) ([]devices.Message, error) {
	if cmd.ID == "" {
		return nil, errors.New("native: command has no id (the device's ack refers to it)")
	}
	device := cmd.Device.Topic
	if device == "" {
		device = cmd.Device.ID
	}
	if device == "" || device == DaemonLevel {
		return nil, fmt.Errorf("native: device %s has no usable topic level", devices.Quote(cmd.Device.ID))
	}
	topic := a.CommandTopic(device)
	if err := devices.CheckTopic(topic); err != nil {
		return nil, fmt.Errorf("native: %w", err)
	}
	c := command{ID: cmd.ID, Stop: cmd.Stop}
	if l := cmd.Light; l != nil {
		if l.Brightness != nil && (*l.Brightness < 0 || *l.Brightness > 100) {
			return nil, fmt.Errorf("native: brightness %d is outside 0-100", *l.Brightness)
		}
		c.On, c.Brightness = l.On, l.Brightness
	}
	if p := cmd.Play; p != nil {
		if p.URL == "" {
			return nil, errors.New("native: play command has no url")
		}
		if p.Volume < 0 || p.Volume > 100 {
			return nil, fmt.Errorf("native: play volume %d is outside 0-100", p.Volume)
		}
		prio := p.Priority
		if prio == "" {
			prio = devices.Normal
		}
		c.Play = &play{URL: p.URL, Announcement: p.Announcement, Priority: prio, Volume: p.Volume}
	}
	if v := cmd.Volume; v != nil {
		if *v < 0 || *v > 100 {
			return nil, fmt.Errorf("native: volume %d is outside 0-100", *v)
		}
		c.Volume = v
	}
	if c.On == nil && c.Brightness == nil && c.Play == nil && !c.Stop && c.Volume == nil {
		return nil, errors.New("native: empty command (no light, play, stop or volume)")
	}
	body, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("native: %w", err)
	}
	return []devices.Message{{Topic: topic, Payload: body, QoS: 1}}, nil
}
