package frigate

import (
	"math"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// wallTime converts Frigate's Unix seconds (fractional) to a time; values
// outside 2001–5138 yield the zero time.
func wallTime(ts float64) time.Time {
	if ts < 1e9 || ts >= 1e11 {
		return time.Time{}
	}
	sec := math.Floor(ts)
	return time.Unix(int64(sec), int64(math.Round((ts-sec)*1e6))*int64(time.Microsecond)).UTC()
}

// change reads the before/after/type envelope of frigate/events and
// frigate/reviews ("type" may come last: keys are read by name). It returns
// the after object and the type.
func change(payload []byte) (jsonfield.Object, string, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return jsonfield.Object{}, "", err
	}
	typ, ok, err := o.String("type")
	if err != nil {
		return jsonfield.Object{}, "", err
	}
	if !ok {
		return jsonfield.Object{}, "", devices.Errorf(devices.ReasonMissingField, "%q missing: want new, update or end", "type")
	}
	after, ok, err := o.Object("after")
	if err != nil {
		return jsonfield.Object{}, "", err
	}
	if !ok {
		return jsonfield.Object{}, "", devices.Errorf(devices.ReasonMissingField, "%q missing", "after")
	}
	return after, typ, nil
}

// required reads a non-empty string field of after.
func required(after jsonfield.Object, key string) (string, *devices.DecodeError) {
	v, ok, err := after.String(key)
	if err != nil {
		return "", err
	}
	if !ok || v == "" {
		return "", devices.Errorf(devices.ReasonMissingField, "%q missing or empty", after.Name(key))
	}
	return v, nil
}

// event builds the report of a new or ended object or review: an Event of
// type typ (with "_end" appended when it ended) on the camera, its Frigate id
// as Ref and its start (or end) time.
func event(after jsonfield.Object, kind, typ string) ([]devices.Report, *devices.DecodeError) {
	cam, err := required(after, "camera")
	if err != nil {
		return nil, err
	}
	if !cameraName(cam) {
		return nil, after.WrongType("camera", "a camera name (one topic level)")
	}
	id, err := required(after, "id")
	if err != nil {
		return nil, err
	}
	field := "start_time"
	if kind == "end" {
		field, typ = "end_time", typ+"_end"
	}
	ev := devices.Event{Type: typ, Ref: id}
	if ts, ok, err := after.Number(field); err != nil {
		return nil, err
	} else if ok {
		ev.Time = wallTime(ts)
	}
	return []devices.Report{{Protocol: devices.Frigate, Key: cam, Events: []devices.Event{ev}}}, nil
}

// objectEvent decodes frigate/events: a tracked object appeared (new) or
// left (end); the Event type is the object's label (person, car, ...), with
// "_end" for end. Updates are ignored: they repeat the same object.
func objectEvent(payload []byte) ([]devices.Report, *devices.DecodeError) {
	after, typ, err := change(payload)
	if err != nil {
		return nil, err
	}
	if typ != "new" && typ != "end" {
		return nil, devices.Errorf(devices.ReasonIgnored, "event type %s: only new and end are used", devices.Quote(typ))
	}
	label, err := required(after, "label")
	if err != nil {
		return nil, err
	}
	return event(after, typ, label)
}

// review decodes frigate/reviews: a review item began (new) or ended (end);
// the Event type is "review_<severity>" (review_alert, review_detection).
func review(payload []byte) ([]devices.Report, *devices.DecodeError) {
	after, typ, err := change(payload)
	if err != nil {
		return nil, err
	}
	if typ != "new" && typ != "end" {
		return nil, devices.Errorf(devices.ReasonIgnored, "review type %s: only new and end are used", devices.Quote(typ))
	}
	sev, err := required(after, "severity")
	if err != nil {
		return nil, err
	}
	return event(after, typ, "review_"+sev)
}
