package config

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
)

// hookError is a decode hook's own message, used as the Problem message.
type hookError struct{ msg string }

func (e *hookError) Error() string { return e.msg }

// decodeHook turns YAML and environment strings into durations, sizes and
// (space-separated) string lists,
// and refuses the conversions of mapstructure's weak typing that would hide
// a mistake: true as a number, 1.5 as a whole number, a mapping as a list.
func decodeHook(from, to reflect.Type, data any) (any, error) {
	switch to {
	case durationType:
		return toDuration(data)
	case byteSizeType:
		return toByteSize(data)
	}
	want := &hookError{"want " + describe(to)}
	switch to.Kind() {
	case reflect.Int, reflect.Int64:
		switch v := data.(type) {
		case bool:
			return nil, want
		case float64:
			if v != math.Trunc(v) || !(v >= math.MinInt64 && v < math.MaxInt64) {
				return nil, want
			}
		case uint64:
			if v > math.MaxInt64 {
				return nil, &hookError{"too large for a whole number"}
			}
		}
	case reflect.Float64:
		if _, ok := data.(bool); ok {
			return nil, want
		}
	case reflect.String:
		if b, ok := data.(bool); ok {
			return strconv.FormatBool(b), nil
		}
	case reflect.Slice:
		if from.Kind() == reflect.Map {
			return nil, want
		}
		if s, ok := data.(string); ok && to.Elem().Kind() == reflect.String {
			// A list from the environment: space-separated words.
			return strings.Fields(s), nil
		}
	case reflect.Map, reflect.Struct:
		if from.Kind() == reflect.Slice {
			return nil, want
		}
	}
	return data, nil
}

// toDuration accepts "10m", "1h30m" and a bare 0; a bare number other than
// 0 is refused because its unit would be a guess.
func toDuration(data any) (any, error) {
	switch v := data.(type) {
	case time.Duration:
		return v, nil
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return nil, &hookError{"invalid duration (want e.g. 30s, 10m or 1h30m)"}
		}
		return d, nil
	case int, int64, uint64, float64:
		if fmt.Sprint(v) == "0" {
			return time.Duration(0), nil
		}
		return nil, &hookError{"duration needs a unit (want e.g. 30s, 10m or 1h30m)"}
	}
	return nil, &hookError{"want a duration such as 30s, 10m or 1h30m"}
}

// toByteSize accepts "1GiB", "500MB" and plain non-negative whole numbers of bytes.
func toByteSize(data any) (any, error) {
	const msg = "invalid size (want e.g. 1GiB, 500MB or a number of bytes)"
	switch v := data.(type) {
	case ByteSize:
		return v, nil
	case string:
		b, err := ParseByteSize(v)
		if err != nil {
			return nil, &hookError{msg}
		}
		return b, nil
	case int:
		if v >= 0 {
			return ByteSize(v), nil
		}
	case int64:
		if v >= 0 {
			return ByteSize(v), nil
		}
	case uint64:
		if v <= math.MaxInt64 {
			return ByteSize(v), nil
		}
	case float64:
		if v >= 0 && v < math.MaxInt64 && v == math.Trunc(v) {
			return ByteSize(v), nil
		}
	}
	return nil, &hookError{msg}
}

// decoderOptions configures mapstructure as viper calls it: weakly typed so
// that environment strings decode into numbers and bools, with our hooks.
func decoderOptions(dc *mapstructure.DecoderConfig) {
	dc.DecodeHook = decodeHook
	dc.WeaklyTypedInput = true
	dc.ErrorUnused = false // unknown keys are reported by unknownKeys, with suggestions
}

// decodeProblems turns mapstructure's joined errors into problems, reading
// the offending values from settings.
func decodeProblems(err error, settings map[string]any, ps *problems) {
	var leaves []*mapstructure.DecodeError
	collectDecodeErrors(err, &leaves)
	if len(leaves) == 0 && err != nil {
		ps.add("(config)", nil, "%s", err.Error())
		return
	}
	for _, de := range leaves {
		key := normalizeKey(de.Name())
		var he *hookError
		msg := "want " + describe(typeAt(key))
		if errors.As(de, &he) {
			msg = he.msg
		}
		raw := rawAt(settings, key)
		if sh, ok := raw.(shape); ok {
			// "cần một số, nhận được một danh sách / want a number, got a list"
			vi, _, _ := strings.Cut(say("%s", msg), " / ")
			*ps = append(*ps, Problem{Key: key, Message: vi + ", nhận được " + shapesVi[sh] + " / " + msg + ", got " + string(sh)})
			continue
		}
		ps.add(key, raw, "%s", msg)
	}
}

// collectDecodeErrors finds every *mapstructure.DecodeError in err's tree.
func collectDecodeErrors(err error, out *[]*mapstructure.DecodeError) {
	switch e := err.(type) {
	case *mapstructure.DecodeError:
		*out = append(*out, e)
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			collectDecodeErrors(inner, out)
		}
	case interface{ Unwrap() error }:
		collectDecodeErrors(e.Unwrap(), out)
	}
}

// describe names what a key of type t expects, for "want ..." messages.
func describe(t reflect.Type) string {
	switch {
	case t == nil:
		return "a different type"
	case t == durationType:
		return "a duration such as 30s, 10m or 1h30m"
	case t == byteSizeType:
		return "a size such as 1GiB or 500MB"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping of keys to values"
	}
	return t.String()
}

// shape stands for a mapping or list value in a problem message.
type shape string

// rawAt returns the value at key in a nested settings map, a shape for a
// mapping or list, or nil.
func rawAt(settings map[string]any, key string) any {
	var cur any = settings
	for _, s := range splitKey(key) {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[strings.ToLower(s.name)]
		case []any:
			if s.index < 0 || s.index >= len(v) {
				return nil
			}
			cur = v[s.index]
		default:
			return nil
		}
	}
	switch cur.(type) {
	case map[string]any:
		return shape("a mapping")
	case []any:
		return shape("a list")
	}
	return cur
}

// unknownKeys reports every key in raw that the struct type t does not
// declare, recursing into sections, zones and devices.
func unknownKeys(raw any, t reflect.Type, prefix string, ps *problems) {
	switch t.Kind() {
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			return // a wrong type, reported by decoding
		}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			i := fieldIndex(t, k)
			if i < 0 {
				shown := k
				if strings.TrimSpace(k) == "" || strings.ContainsAny(k, ".[]") {
					shown = strconv.Quote(k)
				}
				ps.add(joinKey(prefix, shown), nil, "unknown key%s", suggest(k, "known keys", fieldKeys(t)))
				continue
			}
			unknownKeys(m[k], t.Field(i).Type, joinKey(prefix, tagName(t.Field(i))), ps)
		}
	case reflect.Slice:
		list, ok := raw.([]any)
		if !ok {
			return
		}
		for i, item := range list {
			unknownKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i), ps)
		}
	}
}
