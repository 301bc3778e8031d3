package hass

import (
	"encoding/json"
	"strconv"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// reader reads typed fields of a config and keeps the first error, so that a
// config parser can read every field and check once at the end.
type reader struct {
	o   jsonfield.Object
	err *devices.DecodeError
}

func (r *reader) keep(err *devices.DecodeError) {
	if r.err == nil && err != nil {
		r.err = err
	}
}

// str reads key as a string; def is returned when it is absent or null.
func (r *reader) str(key, def string) string {
	v, ok, err := r.o.String(key)
	r.keep(err)
	if !ok {
		return def
	}
	return v
}

// payload reads key as a payload string. Home Assistant coerces numbers and
// booleans given for payloads to strings, so they are accepted too.
func (r *reader) payload(key, def string) string {
	raw, ok := r.o.Raw(key)
	if !ok {
		return def
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if v, ok := jsonfield.ParseNumber(raw, false); ok {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	switch string(raw) {
	case "true":
		return "True"
	case "false":
		return "False"
	}
	r.keep(r.o.WrongType(key, "a string"))
	return def
}

// topic reads key as a topic that hamlet may subscribe or publish to.
func (r *reader) topic(key string) string {
	t := r.str(key, "")
	if t == "" {
		return ""
	}
	if err := devices.CheckTopic(t); err != nil {
		r.keep(devices.Errorf(devices.ReasonWrongType, "%q: %v", r.o.Name(key), err))
		return ""
	}
	return t
}

func (r *reader) boolean(key string, def bool) bool {
	v, ok, err := r.o.Bool(key)
	r.keep(err)
	if !ok {
		return def
	}
	return v
}

func (r *reader) strings(key string) []string {
	v, _, err := r.o.Strings(key)
	r.keep(err)
	return v
}

// scale reads key as a brightness scale: 1 to 1000000.
func (r *reader) scale(key string, def float64) float64 {
	v, ok, err := r.o.NumberIn(key, 1, 1e6)
	r.keep(err)
	if !ok {
		return def
	}
	return v
}

func (r *reader) object(key string) (jsonfield.Object, bool) {
	v, ok, err := r.o.Object(key)
	r.keep(err)
	return v, ok
}
