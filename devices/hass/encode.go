package hass

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hamlet-vn/hamlet/devices"
)

// Encode turns a command into messages on the device's learned command
// topics, never retained:
//   - a light command goes to the device's light (or, lacking one, its
//     switch: a relay wired to a lamp). A JSON-schema light gets
//     {"state":"ON","brightness":N} with N scaled to brightness_scale; a
//     default-schema light gets payload_on/payload_off on command_topic and
//     the scaled brightness on brightness_command_topic. When the entity
//     takes no brightness, a brightness alone switches it on (above 0) or off.
//   - Play, Stop and Volume go to the device's siren as its JSON command
//     ({"state":"ON","volume_level":0.8}).
//
// The device is found by cmd.Device.Topic, the key that discovery reported;
// a Channel names the output (the object id of its light or switch) that a
// light command goes to, so that the device's other outputs keep their
// state. Without one it goes to the light (or switch) described above.
// Anything else is an error wrapping errors.ErrUnsupported.
func (a *Adapter) Encode(cmd devices.Command) ([]devices.Message, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	d := a.devs[cmd.Device.Topic]
	if d == nil {
		d = a.devs[slug(cmd.Device.Topic)]
	}
	if d == nil {
		return nil, fmt.Errorf("hass: device %q (topic %q): no discovery config learned for it yet", cmd.Device.ID, cmd.Device.Topic)
	}
	switch {
	case cmd.Light != nil:
		return encodeLight(d, cmd)
	case cmd.Play != nil || cmd.Stop || cmd.Volume != nil:
		return encodeSiren(d, cmd)
	}
	return nil, fmt.Errorf("hass: command %q for %q sets nothing hamlet can send: %w", cmd.ID, d.key, errors.ErrUnsupported)
}

func encodeLight(d *device, cmd devices.Command) ([]devices.Message, error) {
	l := cmd.Light
	e := d.output(cmd.Device.Channel)
	if e == nil && cmd.Device.Channel != "" {
		return nil, fmt.Errorf("hass: device %q has no light or switch %q with a command topic (channel of %s)", d.key, cmd.Device.Channel, cmd.Device.ID)
	}
	if e == nil {
		return nil, fmt.Errorf("hass: device %q has no light or switch with a command topic: %w", d.key, errors.ErrUnsupported)
	}
	if l.On == nil && l.Brightness == nil {
		return nil, fmt.Errorf("hass: light command %q for %q sets neither on nor brightness", cmd.ID, d.key)
	}
	if l.Brightness != nil && (*l.Brightness < 0 || *l.Brightness > 100) {
		return nil, fmt.Errorf("hass: light command %q for %q: brightness %d is outside 0-100", cmd.ID, d.key, *l.Brightness)
	}
	on, bright := l.On, l.Brightness
	if bright != nil && !(e.component == "light" && e.brightness) {
		if on == nil {
			on = devices.Bool(*bright > 0)
		}
		bright = nil
	}
	scale := int(e.scale)
	if e.jsonSchema {
		body := map[string]any{}
		if on != nil {
			body["state"] = onOff(*on)
		}
		if bright != nil {
			body["brightness"] = devices.FromPercent(*bright, scale)
		}
		return message(e.commandTopic, body)
	}
	var out []devices.Message
	if on != nil {
		p := e.payloadOff
		if *on {
			p = e.payloadOn
		}
		out = append(out, devices.Message{Topic: e.commandTopic, Payload: []byte(p), QoS: 1})
	}
	if bright != nil {
		out = append(out, devices.Message{Topic: e.brightnessCommandTopic, Payload: []byte(strconv.Itoa(devices.FromPercent(*bright, scale))), QoS: 1})
	}
	return out, nil
}

func encodeSiren(d *device, cmd devices.Command) ([]devices.Message, error) {
	e := d.first("siren")
	if e == nil || e.commandTopic == "" {
		return nil, fmt.Errorf("hass: device %q has no siren with a command topic; notify entities take text, which commands do not carry: %w", d.key, errors.ErrUnsupported)
	}
	body := map[string]any{}
	switch {
	case cmd.Stop:
		body["state"] = e.payloadOff
	case cmd.Play != nil:
		body["state"] = e.payloadOn
		if e.supportVolume && cmd.Play.Volume > 0 {
			body["volume_level"] = float64(min(cmd.Play.Volume, 100)) / 100
		}
	}
	if cmd.Volume != nil {
		if !e.supportVolume {
			return nil, fmt.Errorf("hass: siren of %q does not support setting the volume: %w", d.key, errors.ErrUnsupported)
		}
		body["volume_level"] = float64(min(max(*cmd.Volume, 0), 100)) / 100
	}
	return message(e.commandTopic, body)
}

func onOff(on bool) string {
	if on {
		return "ON"
	}
	return "OFF"
}

func message(topic string, body map[string]any) ([]devices.Message, error) {
	if err := devices.CheckTopic(topic); err != nil {
		return nil, fmt.Errorf("hass: %w", err)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("hass: encode %s: %w", topic, err)
	}
	return []devices.Message{{Topic: topic, Payload: b, QoS: 1}}, nil
}
