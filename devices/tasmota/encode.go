package tasmota

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// Encode turns a light command into plain Tasmota commands on the device's
// command topic (its FullTopic with the cmnd prefix), QoS 1, never retained:
//   - On false: POWER OFF only (a Dimmer would switch the light back on);
//   - On true with a brightness: Dimmer <n>, then POWER ON;
//   - On true alone: POWER ON;
//   - a brightness alone: Dimmer <n> (Tasmota switches a dimmed light on).
//
// A device with a Channel (relay n) is sent POWERn and Dimmern instead
// (Dimmern needs SetOption37 ≥ 128 on the device), so that the other relays
// keep their state; channel "" and "1" use POWER and Dimmer.
//
// Two plain messages are used rather than one Backlog: each is answered by
// its own stat/RESULT that Decode reads, there is no Backlog delay, and a
// relay-only device that rejects Dimmer still obeys POWER. The FullTopic is
// the command's Device.FullTopic, else the one discovery taught, else
// DefaultFullTopic.
func (a *Adapter) Encode(cmd devices.Command) ([]devices.Message, error) {
	l := cmd.Light
	if l == nil || (l.On == nil && l.Brightness == nil) {
		return nil, errors.New("tasmota: only light commands (on/off, brightness) are supported")
	}
	if l.Brightness != nil && (*l.Brightness < 0 || *l.Brightness > 100) {
		return nil, fmt.Errorf("tasmota: brightness %d is outside 0-100", *l.Brightness)
	}
	base, err := a.commandBase(cmd.Device)
	if err != nil {
		return nil, err
	}
	suffix := ""
	switch ch := cmd.Device.Channel; ch {
	case "", "1":
	default:
		if err := devices.CheckChannel(devices.Tasmota, ch); err != nil {
			return nil, fmt.Errorf("tasmota: device %s: %w", devices.Quote(cmd.Device.ID), err)
		}
		suffix = ch
	}
	var msgs []devices.Message
	add := func(command, arg string) {
		msgs = append(msgs, devices.Message{Topic: base + command + suffix, Payload: []byte(arg), QoS: 1})
	}
	if l.Brightness != nil && (l.On == nil || *l.On) {
		add("Dimmer", strconv.Itoa(*l.Brightness))
	}
	if l.On != nil {
		add("POWER", map[bool]string{true: "ON", false: "OFF"}[*l.On])
	}
	return msgs, nil
}

// QueryState implements devices.StateQuerier: an empty STATE command, which
// Tasmota answers on stat/RESULT with its state (every relay's POWERn, and
// Dimmer), as Decode reads it. A channel's light asks its controller.
func (a *Adapter) QueryState(d devices.Device) ([]devices.Message, error) {
	base, err := a.commandBase(d)
	if err != nil {
		return nil, err
	}
	return []devices.Message{{Topic: base + "STATE", Payload: []byte{}, QoS: 1}}, nil
}

// commandBase returns the device's command topic up to the command, e.g.
// "cmnd/den_ngo3_01/".
func (a *Adapter) commandBase(dev devices.Device) (string, error) {
	if dev.Topic == "" {
		return "", fmt.Errorf("tasmota: device %s has no topic", devices.Quote(dev.ID))
	}
	d, known := a.lookup(dev.Topic)
	full := dev.FullTopic
	if full == "" {
		full = d.fullTopic
	}
	if full == "" {
		full = DefaultFullTopic
	}
	prefix := defaultPrefixes[cmnd]
	if known && d.prefixes[cmnd] != "" {
		prefix = d.prefixes[cmnd]
	}
	id := d.mac
	if len(id) > 6 {
		id = id[len(id)-6:] // hatasmota substitutes the last 6 hex digits
	}
	out := full
	for _, tv := range [][2]string{{"%prefix%", prefix}, {"%topic%", dev.Topic}, {"%hostname%", d.hostname}, {"%id%", id}} {
		token, v := tv[0], tv[1]
		if strings.Contains(out, token) {
			if v == "" {
				return "", fmt.Errorf("tasmota: FullTopic %s of %s needs %s, which discovery has not told", devices.Quote(full), devices.Quote(dev.Topic), token)
			}
			out = strings.ReplaceAll(out, token, v)
		}
	}
	if !strings.HasSuffix(out, "/") {
		out += "/"
	}
	if err := devices.CheckTopic(out); err != nil {
		return "", fmt.Errorf("tasmota: %w", err)
	}
	return out, nil
}
