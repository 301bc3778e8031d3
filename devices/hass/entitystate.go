package hass

import (
	"math"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// motionClass reports whether a binary_sensor device class means motion.
func motionClass(c string) bool {
	return c == "motion" || c == "occupancy" || c == "presence" || c == "moving"
}

// entityState decodes a state (or brightness state, or image) message of e
// into rep.
func (a *Adapter) entityState(e *entity, d *device, r role, payload []byte, retained bool, rep *devices.Report) *devices.DecodeError {
	switch {
	case r == roleImage:
		return devices.Errorf(devices.ReasonIgnored, "camera image of %d bytes (text or base64); images are not decoded", len(payload))
	case r == roleBrightness:
		return e.brightnessState(payload, rep)
	}
	switch e.component {
	case "light":
		if e.jsonSchema {
			return e.jsonLight(payload, rep)
		}
		if e.templateSchema {
			return devices.Errorf(devices.ReasonIgnored, "light schema template is not decoded by hamlet")
		}
		on, err := e.onOff(payload)
		if err != nil {
			return err
		}
		rep.Light = &devices.LightState{On: devices.Bool(on)}
	case "switch":
		on, err := e.onOff(payload)
		if err != nil {
			return err
		}
		if d.first("light") != nil {
			return devices.Errorf(devices.ReasonIgnored, "switch state of a device that has a light: the light's state is used")
		}
		rep.Light = &devices.LightState{On: devices.Bool(on)}
	case "binary_sensor":
		on, err := e.onOff(payload)
		if err != nil {
			return err
		}
		if motionClass(e.deviceClass) {
			rep.Camera = &devices.CameraState{Motion: devices.Bool(on)}
			if on && !retained {
				rep.Events = []devices.Event{{Type: "motion", Ref: e.objectID}}
			}
			return nil
		}
		rep.Metrics = map[string]float64{e.metric: 0}
		suffix := "_off"
		if on {
			rep.Metrics[e.metric] = 1
			suffix = "_on"
		}
		if !retained {
			rep.Events = []devices.Event{{Type: e.metric + suffix, Ref: e.objectID}}
		}
	case "sensor":
		text, err := e.valueText(e.value, payload)
		if err != nil {
			return err
		}
		v, err := number(text)
		if err != nil {
			return err
		}
		m := e.convert(v)
		if math.IsInf(m, 0) || math.IsNaN(m) {
			return devices.Errorf(devices.ReasonWrongType, "state %s in %s overflows as %s", devices.Quote(text), devices.Quote(e.unit), e.metric)
		}
		rep.Metrics = map[string]float64{e.metric: m}
	case "siren":
		return e.siren(payload, rep)
	default:
		return devices.Errorf(devices.ReasonIgnored, "%s has no state hamlet reads", e.component)
	}
	return nil
}

// onOff reads an ON/OFF state through the value template, comparing with
// state_on/state_off (by default payload_on/payload_off, by default ON/OFF).
func (e *entity) onOff(payload []byte) (bool, *devices.DecodeError) {
	text, err := e.valueText(e.value, payload)
	if err != nil {
		return false, err
	}
	switch text {
	case e.stateOn:
		return true, nil
	case e.stateOff:
		return false, nil
	case "":
		return false, devices.Errorf(devices.ReasonEmpty, "empty state, want %q or %q", e.stateOn, e.stateOff)
	}
	return false, devices.Errorf(devices.ReasonWrongType, "state %s is neither %q nor %q", devices.Quote(text), e.stateOn, e.stateOff)
}

// jsonLight reads a JSON-schema light state: "state" ON/OFF and
// "brightness" 0–brightness_scale (255 by default), scaled to 0–100.
func (e *entity) jsonLight(payload []byte, rep *devices.Report) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	ls := &devices.LightState{}
	state, ok, err := o.String("state")
	if err != nil {
		return err
	}
	if ok {
		switch strings.ToUpper(state) {
		case "ON":
			ls.On = devices.Bool(true)
		case "OFF":
			ls.On = devices.Bool(false)
		default:
			return o.WrongType("state", `"ON" or "OFF"`)
		}
	}
	b, ok, err := o.NumberIn("brightness", 0, e.scale)
	if err != nil {
		return err
	}
	if ok {
		p, _ := devices.Percent(b, e.scale)
		ls.Brightness = devices.Int(p)
	}
	if ls.On != nil || ls.Brightness != nil {
		rep.Light = ls
	}
	return nil
}

// brightnessState reads a default-schema brightness state topic.
func (e *entity) brightnessState(payload []byte, rep *devices.Report) *devices.DecodeError {
	text, err := e.valueText(e.brightnessTpl, payload)
	if err != nil {
		return err
	}
	v, err := number(text)
	if err != nil {
		return within("brightness", err)
	}
	p, ok := devices.Percent(v, e.scale)
	if !ok {
		return devices.Errorf(devices.ReasonWrongType, "brightness %s is outside 0-%g", devices.Quote(text), e.scale)
	}
	rep.Light = &devices.LightState{Brightness: devices.Int(p)}
	return nil
}

// siren reads a siren state: ON/OFF, or a JSON object with state and
// volume_level (0–1). A sounding siren plays no announcement, so Playing is
// "siren" while it sounds and "" when it is off.
func (e *entity) siren(payload []byte, rep *devices.Report) *devices.DecodeError {
	trimmed := strings.TrimSpace(string(payload))
	if !strings.HasPrefix(trimmed, "{") {
		on, err := e.onOff(payload)
		if err != nil {
			return err
		}
		rep.Speaker = &devices.SpeakerState{Playing: devices.String(playing(on))}
		return nil
	}
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	sp := &devices.SpeakerState{}
	if state, ok, err := o.String("state"); err != nil {
		return err
	} else if ok {
		switch state {
		case e.stateOn:
			sp.Playing = devices.String(playing(true))
		case e.stateOff:
			sp.Playing = devices.String(playing(false))
		default:
			return o.WrongType("state", "\""+e.stateOn+"\" or \""+e.stateOff+"\"")
		}
	}
	if v, ok, err := o.NumberIn("volume_level", 0, 1); err != nil {
		return err
	} else if ok {
		p, _ := devices.Percent(v, 1)
		sp.Volume = devices.Int(p)
	}
	rep.Speaker = sp
	return nil
}

func playing(on bool) string {
	if on {
		return "siren"
	}
	return ""
}
