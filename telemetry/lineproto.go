package telemetry

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
)

// The range of timestamps line protocol can carry in int64 nanoseconds.
var (
	minLineTime = time.Unix(0, math.MinInt64+1)
	maxLineTime = time.Unix(0, math.MaxInt64)
)

// appendLine appends p to buf as exactly one line of InfluxDB line protocol,
// ending in '\n', with a nanosecond timestamp (def when p has none), and
// returns the extended buffer and the timestamp written. It is several times
// faster than write.PointToLineProtocol (see BenchmarkEncode) and differs from
// it where that helper produces lines InfluxDB 1.8 misreads:
//
//   - a line never contains a raw newline, so a batch splits into points at
//     '\n' (the spool and the bisection of rejected batches rely on it):
//     newlines and carriage returns in string fields are written as the two
//     characters \n and \r; in names, tag keys, tag values and field keys
//     control characters (U+0000–U+001F, U+007F) become (escaped) spaces and
//     backslashes become '/', and such a value counts as rewritten (see
//     appendName);
//   - empty tag keys or values are left out (1.8 refuses the whole line);
//   - NaN and infinite floats and unsigned values above MaxInt64 are left out
//     (line protocol cannot carry them without changing the field's type);
//     unsigned values are written as integers, which 1.8 understands;
//   - floats use the shortest representation, in exponent form only when
//     very large or very small, and always parse back as floats.
//
// When p has no measurement, no field that can be carried, or a timestamp
// outside int64 nanoseconds, buf is returned unchanged with an error naming
// the problem.
func appendLine(buf []byte, p *write.Point, def time.Time) ([]byte, int64, error) {
	return appendLineCounting(buf, p, def, nil)
}

// appendLineCounting is appendLine that also adds to *rewritten (when not
// nil) the names, keys and tag values it had to rewrite.
func appendLineCounting(buf []byte, p *write.Point, def time.Time, rewritten *int) ([]byte, int64, error) {
	if p == nil {
		return buf, 0, errors.New("nil point")
	}
	name := p.Name()
	if name == "" {
		return buf, 0, errors.New("point has no measurement")
	}
	ts := p.Time()
	if ts.IsZero() {
		ts = def
	}
	if ts.Before(minLineTime) || ts.After(maxLineTime) {
		return buf, 0, fmt.Errorf("point %q: timestamp %s is outside the range of line protocol", name, ts.Format(time.RFC3339))
	}
	start := len(buf)
	buf = appendName(buf, name, false, rewritten)
	for _, t := range p.TagList() {
		if t.Key == "" || t.Value == "" {
			continue
		}
		buf = append(buf, ',')
		buf = appendName(buf, t.Key, true, rewritten)
		buf = append(buf, '=')
		buf = appendName(buf, t.Value, true, rewritten)
	}
	sep, fields := byte(' '), 0
	for _, f := range p.FieldList() {
		if f.Key == "" {
			continue
		}
		mark := len(buf)
		buf = append(buf, sep)
		buf = appendName(buf, f.Key, true, rewritten)
		buf = append(buf, '=')
		var ok bool
		if buf, ok = appendValue(buf, f.Value); !ok {
			buf = buf[:mark]
			continue
		}
		sep = ','
		fields++
	}
	if fields == 0 {
		return buf[:start], 0, fmt.Errorf("point %q has no field that line protocol can carry", name)
	}
	ns := ts.UnixNano()
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, ns, 10)
	buf = append(buf, '\n')
	return buf, ns, nil
}

// appendName appends a measurement name (equals=false) or a tag key, tag value
// or field key (equals=true), escaped. Line protocol cannot carry a control
// character there, and InfluxDB 1.8 reads a backslash before another
// character as an escape, so both are rewritten: a control character
// (U+0000–U+001F, U+007F) becomes an escaped space and a backslash '/'. When
// s needed either, *rewritten (if not nil) grows by one: the schema's rule in
// docs/influx-schema.md, counted by hamlet_telemetry_values_rewritten_total.
func appendName(buf []byte, s string, equals bool, rewritten *int) []byte {
	changed := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ',' || c == ' ':
			buf = append(buf, '\\', c)
		case c == '=':
			if equals {
				buf = append(buf, '\\')
			}
			buf = append(buf, c)
		case c < 0x20 || c == 0x7f:
			buf = append(buf, '\\', ' ')
			changed = true
		case c == '\\':
			buf = append(buf, '/')
			changed = true
		default:
			buf = append(buf, c)
		}
	}
	if changed && rewritten != nil {
		*rewritten++
	}
	return buf
}

// appendValue appends a field value; ok is false when v cannot be carried.
func appendValue(buf []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return buf, false
		}
		return appendFloat(buf, v), true
	case int64:
		return append(strconv.AppendInt(buf, v, 10), 'i'), true
	case uint64:
		if v > math.MaxInt64 {
			return buf, false
		}
		return append(strconv.AppendUint(buf, v, 10), 'i'), true
	case bool:
		return strconv.AppendBool(buf, v), true
	case string:
		buf = append(buf, '"')
		for i := 0; i < len(v); i++ {
			switch c := v[i]; c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			default:
				buf = append(buf, c)
			}
		}
		return append(buf, '"'), true
	default:
		return buf, false
	}
}

// appendFloat appends f in its shortest form, using an exponent only outside
// [1e-4, 1e21) like fmt's %v, so that ordinary values read naturally.
func appendFloat(buf []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 && (f != 0 || !math.Signbit(f)) {
		return strconv.AppendInt(buf, int64(f), 10) // the same digits, several times faster
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-4 && a < 1e21) {
		return strconv.AppendFloat(buf, f, 'f', -1, 64)
	}
	return strconv.AppendFloat(buf, f, 'e', -1, 64)
}
