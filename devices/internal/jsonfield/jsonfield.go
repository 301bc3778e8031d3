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
	"strconv"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// Object is a parsed JSON object whose values are kept raw until read.
// The zero value is an empty object.
type Object struct {
	// members in document order, where a later duplicate key wins; or,
	// when sorted, sorted by key with unique keys.
	members []member
	sorted  bool
	path    string
	// Lax accepts numeric strings ("50") where a number is wanted, for
	// firmware that legitimately sends them (Zigbee2MQTT). Nested objects
	// inherit it.
	Lax bool
}

// member is one key of an Object and its raw value.
type member struct {
	key string
	raw json.RawMessage
}

// Parse parses payload as one JSON object. An empty payload is ReasonEmpty,
// anything that is not a JSON object is ReasonMalformed. The Object keeps a
// copy of payload: what it returns stays valid whatever happens to payload.
func Parse(payload []byte) (Object, *devices.DecodeError) {
	return parse(payload, true)
}

// ParseTransient is Parse without the copy: the raw values that Raw returns
// alias payload. Use it when nothing raw outlives payload, as when a decoder
// only reads numbers and strings (which are always copies).
func ParseTransient(payload []byte) (Object, *devices.DecodeError) {
	return parse(payload, false)
}

func parse(payload []byte, clone bool) (Object, *devices.DecodeError) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 {
		return Object{}, devices.Errorf(devices.ReasonEmpty, "empty payload, want a JSON object")
	}
	if trimmed[0] != '{' {
		return Object{}, devices.Errorf(devices.ReasonMalformed, "want a JSON object, got %s", devices.Quote(string(trimmed)))
	}
	if clone {
		trimmed = bytes.Clone(trimmed)
	}
	if o, ok := splitValid(trimmed); ok {
		return o, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return Object{}, devices.Errorf(devices.ReasonMalformed, "invalid JSON: %s", describe(err))
	}
	return fromMap(m), nil
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
func (o Object) Len() int {
	if o.sorted {
		return len(o.members)
	}
	n := 0
	for i := range o.members {
		if !o.overridden(i) {
			n++
		}
	}
	return n
}

// overridden reports whether member i of an unsorted object has a later
// duplicate, which wins.
func (o Object) overridden(i int) bool {
	for _, m := range o.members[i+1:] {
		if m.key == o.members[i].key {
			return true
		}
	}
	return false
}

// Keys returns the object's keys in sorted order.
func (o Object) Keys() []string {
	keys := make([]string, 0, len(o.members))
	o.Each(func(k string, _ json.RawMessage) { keys = append(keys, k) })
	return keys
}

// Each calls f with every key in sorted order and its raw value, null
// values included (as "null"). It does not allocate.
func (o Object) Each(f func(key string, raw json.RawMessage)) {
	if o.sorted {
		for _, m := range o.members {
			f(m.key, m.raw)
		}
		return
	}
	var order [maxUnsorted]uint8 // an unsorted object has at most maxUnsorted members
	n := 0
	for i := range o.members {
		if o.overridden(i) {
			continue
		}
		j := n
		for ; j > 0 && o.members[order[j-1]].key > o.members[i].key; j-- {
			order[j] = order[j-1]
		}
		order[j] = uint8(i)
		n++
	}
	for _, i := range order[:n] {
		f(o.members[i].key, o.members[i].raw)
	}
}

// lookup returns key's raw value, null included.
func (o Object) lookup(key string) (json.RawMessage, bool) {
	ms := o.members
	if !o.sorted {
		for i := len(ms) - 1; i >= 0; i-- { // the last duplicate wins
			if ms[i].key == key {
				return ms[i].raw, true
			}
		}
		return nil, false
	}
	lo, hi := 0, len(ms)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if ms[h].key < key {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(ms) && ms[lo].key == key {
		return ms[lo].raw, true
	}
	return nil, false
}

// Has reports whether key is present with a value other than null.
func (o Object) Has(key string) bool {
	_, ok := o.Raw(key)
	return ok
}

// Raw returns key's raw JSON value; ok is false when it is absent or null.
func (o Object) Raw(key string) (json.RawMessage, bool) {
	raw, ok := o.lookup(key)
	if !ok || string(raw) == "null" {
		return nil, false
	}
	return raw, true
}

// WrongType returns a ReasonWrongType error for key: `"key": want <want>, got <value>`.
func (o Object) WrongType(key, want string) *devices.DecodeError {
	raw, _ := o.lookup(key)
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
	if v, ok := exactDecimal(text); ok {
		return v, true
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// exactDecimal parses the plain decimals devices send (-?digits[.digits],
// at most 15 significant digits) without strconv: their digits make an
// integer below 2^53 and the power of ten is exact, so one IEEE division or
// multiplication gives the correctly rounded value, the very value
// strconv.ParseFloat returns. Anything else reports false.
func exactDecimal(text []byte) (float64, bool) {
	i, neg := 0, false
	if i < len(text) && text[i] == '-' {
		neg, i = true, i+1
	}
	var mant uint64
	digits, exp, sawDigit, sawDot := 0, 0, false, false
	for ; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if mant == 0 && c == '0' {
				if sawDot {
					exp--
				}
				continue // a leading zero
			}
			if digits++; digits > 15 {
				return 0, false
			}
			mant = mant*10 + uint64(c-'0')
			if sawDot {
				exp--
			}
		case c == '.' && !sawDot:
			sawDot = true
		default:
			return 0, false // an exponent, or not a number
		}
	}
	if !sawDigit || -exp >= len(pow10) {
		return 0, false
	}
	v := float64(mant) / pow10[-exp]
	if neg {
		v = -v
	}
	return v, true
}

// String returns key as a string.
func (o Object) String(key string) (string, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return "", false, nil
	}
	if s, ok := plainString(raw); ok {
		return s, true, nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false, o.WrongType(key, "a string")
	}
	return s, true, nil
}

// plainString returns the JSON string raw when it has no escape sequence and
// is valid UTF-8, as json.Unmarshal would, without reflection.
func plainString(raw json.RawMessage) (string, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return "", false
	}
	body := raw[1 : n-1]
	for _, c := range body {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(body) {
		return "", false
	}
	return string(body), true
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
	inner, split := splitObject(raw)
	if !split {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return Object{}, false, o.WrongType(key, "an object")
		}
		inner = fromMap(m)
	}
	inner.path, inner.Lax = o.Name(key)+".", o.Lax
	return inner, true, nil
}

// Numbers returns key as one number or an array of numbers (Tasmota's
// multi-channel energy values). Null array elements are wrong.
func (o Object) Numbers(key string) ([]float64, bool, *devices.DecodeError) {
	return o.AppendNumbers(nil, key)
}

// AppendNumbers is Numbers appending to dst, so that a caller with a buffer
// of its own reads a number without allocating.
func (o Object) AppendNumbers(dst []float64, key string) ([]float64, bool, *devices.DecodeError) {
	raw, ok := o.Raw(key)
	if !ok {
		return dst, false, nil
	}
	if raw[0] != '[' {
		v, ok := ParseNumber(raw, o.Lax)
		if !ok {
			return dst, false, o.WrongType(key, "a number or an array of numbers")
		}
		return append(dst, v), true, nil
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil || len(elems) == 0 {
		return dst, false, o.WrongType(key, "a number or an array of numbers")
	}
	start := len(dst)
	for i, e := range elems {
		v, ok := ParseNumber(e, o.Lax)
		if !ok {
			return dst[:start], false, devices.Errorf(devices.ReasonWrongType, "%q[%d]: want a number, got %s", o.Name(key), i, Got(e))
		}
		dst = append(dst, v)
	}
	return dst, true, nil
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
