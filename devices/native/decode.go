package native

import (
	"regexp"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// Decode turns one native message into reports. See docs/mqtt.md for the
// payload of each topic. A field hamlet reads with the wrong type rejects
// the whole message with ReasonWrongType naming the field; unknown fields are
// ignored so that devices may send more than hamlet reads.
func (a *Adapter) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	device, message, ok := a.split(topic)
	if !ok {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "topic %s is not %s<device>/<message>", devices.Quote(topic), a.base())
	}
	if device == DaemonLevel {
		return nil, devices.Errorf(devices.ReasonIgnored, "the daemon's own %s topic", message)
	}
	if message == "cmd" {
		return nil, devices.Errorf(devices.ReasonIgnored, "command topic (hamlet's own commands to %s)", device)
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	r := devices.Report{Protocol: devices.Native, Key: device}
	var err *devices.DecodeError
	switch message {
	case "status":
		err = decodeStatus(&r, payload)
	case "info":
		err = decodeInfo(&r, device, payload)
	case "state":
		err = decodeState(&r, payload)
	case "telemetry":
		err = decodeTelemetry(&r, payload)
	case "event":
		err = decodeEvent(&r, payload)
	case "ack":
		err = decodeAck(&r, payload)
	default:
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "unknown message %s (want status, info, state, telemetry, event or ack)", devices.Quote(message))
	}
	if err != nil {
		return nil, err
	}
	return []devices.Report{r}, nil
}

func decodeStatus(r *devices.Report, payload []byte) *devices.DecodeError {
	switch s := string(payload); s {
	case "online":
		r.Availability = devices.Online
	case "offline":
		r.Availability = devices.Offline
	case "":
		return devices.Errorf(devices.ReasonIgnored, "empty status (a retained status was cleared)")
	default:
		return devices.Errorf(devices.ReasonWrongType, `status: want "online" or "offline", got %s`, devices.Quote(s))
	}
	return nil
}

func decodeInfo(r *devices.Report, device string, payload []byte) *devices.DecodeError {
	if len(payload) == 0 {
		r.Discovery = &devices.Discovery{Remove: true, ID: device, Topic: device}
		return nil
	}
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	kind, ok, err := o.String("kind")
	if err != nil {
		return err
	}
	if !ok {
		return devices.Errorf(devices.ReasonMissingField, `info: "kind" is required (light, camera or speaker)`)
	}
	k, perr := devices.ParseKind(kind)
	if perr != nil {
		return o.WrongType("kind", `"light", "camera" or "speaker"`)
	}
	d := &devices.Discovery{ID: device, Topic: device}
	for _, f := range []struct {
		key string
		dst *string
	}{{"name", &d.Name}, {"model", &d.Model}, {"fw", &d.Firmware}, {"zone", &d.Zone}} {
		if *f.dst, _, err = o.String(f.key); err != nil {
			return err
		}
	}
	r.Kind, r.Discovery = k, d
	return nil
}

func decodeState(r *devices.Report, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	var light devices.LightState
	if light.On, err = optBool(o, "on"); err != nil {
		return err
	}
	if v, ok, err := o.NumberIn("brightness", 0, 100); err != nil {
		return err
	} else if ok {
		light.Brightness = devices.Int(int(v + 0.5))
	}
	var sp devices.SpeakerState
	if s, ok, err := o.String("playing"); err != nil {
		return err
	} else if ok {
		sp.Playing = &s
	}
	if v, ok, err := o.NumberIn("volume", 0, 100); err != nil {
		return err
	} else if ok {
		sp.Volume = devices.Int(int(v + 0.5))
	}
	var cam devices.CameraState
	for _, f := range []struct {
		key string
		dst **bool
	}{{"recording", &cam.Recording}, {"detecting", &cam.Detecting}, {"streaming", &cam.Streaming}, {"motion", &cam.Motion}} {
		if *f.dst, err = optBool(o, f.key); err != nil {
			return err
		}
	}
	if light != (devices.LightState{}) {
		r.Light = &light
	}
	if sp != (devices.SpeakerState{}) {
		r.Speaker = &sp
	}
	if cam != (devices.CameraState{}) {
		r.Camera = &cam
	}
	if r.Light == nil && r.Speaker == nil && r.Camera == nil {
		return devices.Errorf(devices.ReasonMissingField, "state has none of on, brightness, playing, volume, recording, detecting, streaming, motion (keys: %s)", strings.Join(o.Keys(), ", "))
	}
	return nil
}

func optBool(o jsonfield.Object, key string) (*bool, *devices.DecodeError) {
	v, ok, err := o.Bool(key)
	if err != nil || !ok {
		return nil, err
	}
	return &v, nil
}

// metricKey is the shape of a telemetry key: snake_case, starting with a letter.
var metricKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func decodeTelemetry(r *devices.Report, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	if r.Time, err = timestamp(o); err != nil {
		return err
	}
	metrics := make(map[string]float64, o.Len())
	for _, k := range o.Keys() {
		if k == "ts" {
			continue
		}
		if !metricKey.MatchString(k) {
			return devices.Errorf(devices.ReasonWrongType, "telemetry key %s is not snake_case (want e.g. power_w)", devices.Quote(k))
		}
		v, ok, err := o.Number(k)
		if err != nil {
			return err
		}
		if !ok {
			return o.WrongType(k, "a number")
		}
		metrics[k] = v
	}
	if len(metrics) == 0 {
		return devices.Errorf(devices.ReasonMissingField, "telemetry has no metrics")
	}
	r.Metrics = metrics
	return nil
}

// isEventType reports whether t is an event type of the native contract.
func isEventType(t string) bool {
	switch t {
	case "motion", "played", "play_failed", "fault", "button":
		return true
	}
	return false
}

func decodeEvent(r *devices.Report, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	typ, ok, err := o.String("type")
	if err != nil {
		return err
	}
	if !ok {
		return devices.Errorf(devices.ReasonMissingField, `event: "type" is required`)
	}
	if !isEventType(typ) {
		return o.WrongType("type", "motion, played, play_failed, fault or button")
	}
	ref, _, err := o.String("ref")
	if err != nil {
		return err
	}
	ts, err := timestamp(o)
	if err != nil {
		return err
	}
	r.Events = []devices.Event{{Type: typ, Ref: ref, Time: ts}}
	return nil
}

func decodeAck(r *devices.Report, payload []byte) *devices.DecodeError {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return err
	}
	id, ok, err := o.String("id")
	if err != nil {
		return err
	}
	if !ok || id == "" {
		return devices.Errorf(devices.ReasonMissingField, `ack: "id" is required`)
	}
	okv, has, err := o.Bool("ok")
	if err != nil {
		return err
	}
	if !has {
		return devices.Errorf(devices.ReasonMissingField, `ack: "ok" is required`)
	}
	msg, _, err := o.String("error")
	if err != nil {
		return err
	}
	r.Ack = &devices.Ack{ID: id, OK: okv, Error: msg}
	return nil
}

// timestamp reads the optional RFC 3339 "ts" field.
func timestamp(o jsonfield.Object) (time.Time, *devices.DecodeError) {
	s, ok, err := o.String("ts")
	if err != nil || !ok {
		return time.Time{}, err
	}
	t, perr := time.Parse(time.RFC3339Nano, s)
	if perr != nil {
		return time.Time{}, o.WrongType("ts", "an RFC 3339 time such as 2025-01-02T15:04:05+07:00")
	}
	return t, nil
}
