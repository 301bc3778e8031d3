// Package jsonfield reads the fields of a JSON object payload for the protocol
// adapters. Every failure is a *devices.DecodeError whose Detail names the
// field (with its path, e.g. "ENERGY.Power") and the offending value, so that
// a bad payload is logged precisely. Missing fields and JSON null are "absent":
// the accessors return ok=false and no error.
package jsonfield

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/hamlet-vn/hamlet/devices"
)

// Object is a parsed JSON object whose values are kept raw until read.
// The zero value is an empty object.
type Object struct {
	m    map[string]json.RawMessage
	path string
	// Lax accepts numeric strings ("50") where a number is wanted, for
	// firmware that legitimately sends them (Zigbee2MQTT). Nested objects
	// inherit it.
	Lax bool
}

// Parse parses payload as one JSON object. An empty payload is ReasonEmpty,
// anything that is not a JSON object is ReasonMalformed.
func Parse(payload []byte) (Object, *devices.DecodeError) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 {
		return Object{}, devices.Errorf(devices.ReasonEmpty, "empty payload, want a JSON object")
	}
	if trimmed[0] != '{' {
		return Object{}, devices.Errorf(devices.ReasonMalformed, "want a JSON object, got %s", devices.Quote(string(trimmed)))
	}
	if json.Valid(trimmed) {
		if m, ok := splitObject(bytes.Clone(trimmed)); ok {
			return Object{m: m}, nil
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return Object{}, devices.Errorf(devices.ReasonMalformed, "invalid JSON: %s", describe(err))
	}
	return Object{m: m}, nil
}

func describe(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	return err.Error()
}

// Name returns the full path of key in this object, e.g. "Wifi.Signal".
func (o Object) Name(key string) string { return o.path + key }

// Len returns the number of keys, null values included.
func (o Object) Len() int { return len(o.m) }

// Keys returns the object's keys in sorted order.
func (o Object) Keys() []string {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether key is present with a value other than null.
func (o Object) Has(key string) bool {
	_, ok := o.Raw(key)
	return ok
}

// Raw returns key's raw JSON value; ok is false when it is absent or null.
func (o Object) Raw(key string) (json.RawMessage, bool) {
	raw, ok := o.m[key]
	if !ok || string(raw) == "null" {
		return nil, false
	}
	return raw, true
}

// WrongType returns a ReasonWrongType error for key: `"key": want <want>, got <value>`.
func (o Object) WrongType(key, want string) *devices.DecodeError {
	raw := o.m[key]
	return devices.Errorf(devices.ReasonWrongType, "%q: want %s, got %s", o.Name(key), want, Got(raw))
}

// Got renders a raw JSON value for an error Detail, cut to 40 characters.
func Got(raw json.RawMessage) string {
	s := string(raw)
	if len(s) > 40 {
		r := []rune(s)
		if len(r) > 40 {
			s = string(r[:40]) + "…"
		}
	}
	return s
}

// Number returns key as a finite number. A string is accepted only when
// o.Lax is set and it holds a JSON number.
func (o Object) Number(key string) (float64, bool, *devices.DecodeError) {
	return o.number(key, "a number")
}

// NumberIn returns key as a number in lo–hi; anything else is ReasonWrongType
// with the detail `"key": want a number lo-hi, got <value>`.
func (o Object) NumberIn(key string, lo, hi float64) (float64, bool, *devices.DecodeError) {
	want := fmt.Sprintf("a number %g-%g", lo, hi)
	v, ok, err := o.number(key, want)
	if err != nil || !ok {
		return v, ok, err
	}
	if v < lo || v > hi {
		return 0, false, o.WrongType(key, want)
	}
	return v, true, nil
}

func (o Object) number(key, want string) (float64, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return 0, false, nil
	}
	v, ok := ParseNumber(raw, o.Lax)
	if !ok {
		return 0, false, o.WrongType(key, want)
	}
	return v, true, nil
}

// ParseNumber parses raw as a finite JSON number, or (when lax) a JSON
// string holding one, such as "50" or " 12.5".
func ParseNumber(raw json.RawMessage, lax bool) (float64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	text := raw
	if raw[0] == '"' {
		if !lax {
			return 0, false
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		text = bytes.TrimSpace([]byte(s))
		if len(text) == 0 || !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9')) || !json.Valid(text) {
			return 0, false
		}
	}
	if text[0] != '-' && (text[0] < '0' || text[0] > '9') {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// String returns key as a string.
func (o Object) String(key string) (string, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return "", false, nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false, o.WrongType(key, "a string")
	}
	return s, true, nil
}

// Bool returns key as a boolean.
func (o Object) Bool(key string) (bool, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return false, false, nil
	}
	switch string(raw) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, false, o.WrongType(key, "true or false")
}

// Object returns key as a nested object, whose errors name "key.<field>".
func (o Object) Object(key string) (Object, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return Object{}, false, nil
	}
	if raw[0] != '{' {
		return Object{}, false, o.WrongType(key, "an object")
	}
	// raw is a value of an object Parse accepted, hence valid JSON.
	m, split := splitObject(raw)
	if !split && json.Unmarshal(raw, &m) != nil {
		return Object{}, false, o.WrongType(key, "an object")
	}
	return Object{m: m, path: o.Name(key) + ".", Lax: o.Lax}, true, nil
}

// Numbers returns key as one number or an array of numbers (Tasmota's
// multi-channel energy values). Null array elements are wrong.
func (o Object) Numbers(key string) ([]float64, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return nil, false, nil
	}
	if raw[0] != '[' {
		v, ok := ParseNumber(raw, o.Lax)
		if !ok {
			return nil, false, o.WrongType(key, "a number or an array of numbers")
		}
		return []float64{v}, true, nil
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil || len(elems) == 0 {
		return nil, false, o.WrongType(key, "a number or an array of numbers")
	}
	out := make([]float64, len(elems))
	for i, e := range elems {
		v, ok := ParseNumber(e, o.Lax)
		if !ok {
			return nil, false, devices.Errorf(devices.ReasonWrongType, "%q[%d]: want a number, got %s", o.Name(key), i, Got(e))
		}
		out[i] = v
	}
	return out, true, nil
}

// Strings returns key as an array of strings; null elements become "".
func (o Object) Strings(key string) ([]string, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return nil, false, nil
	}
	var out []*string
	if raw[0] != '[' || json.Unmarshal(raw, &out) != nil {
		return nil, false, o.WrongType(key, "an array of strings")
	}
	s := make([]string, len(out))
	for i, p := range out {
		if p != nil {
			s[i] = *p
		}
	}
	return s, true, nil
}
