package sim

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// fixed is a number that marshals with a fixed count of decimals, the way
// firmware formats its readings with printf ("%.3f" for kWh in Tasmota).
type fixed struct {
	v    float64
	prec int
}

// f0, f1, f2 and f3 format v with 0, 1, 2 and 3 decimals.
func f0(v float64) fixed { return fixed{v, 0} }
func f1(v float64) fixed { return fixed{v, 1} }
func f2(v float64) fixed { return fixed{v, 2} }
func f3(v float64) fixed { return fixed{v, 3} }

// MarshalJSON renders the number; NaN and infinities become 0.
func (f fixed) MarshalJSON() ([]byte, error) {
	v := f.v
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.AppendFloat(nil, v, 'f', f.prec, 64), nil
}

// pyFloat is a float that marshals the way Python's json.dumps does: the
// shortest representation, always with a decimal point ("5.0", not "5").
type pyFloat float64

// MarshalJSON renders the number like Python's float repr.
func (p pyFloat) MarshalJSON() ([]byte, error) {
	v := float64(p)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return []byte(s), nil
}

// kv is one member of an ordered JSON object.
type kv struct {
	k string
	v any
}

// object is a JSON object whose members keep their order, for payloads whose
// keys are dynamic (camera names, Shelly component keys) or whose order the
// firmware fixes.
type object []kv

// MarshalJSON renders the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping, as firmware does not escape
// '<', '>' and '&'.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// mustJSON marshals v, whose types are all the simulator's own and cannot fail.
func mustJSON(v any) []byte {
	b, err := marshal(v)
	if err != nil {
		panic("sim: marshal: " + err.Error()) // a programming error: every payload type is marshalable
	}
	return b
}

// pythonJSON rewrites compact JSON with the separators of Python's
// json.dumps defaults: ", " between members and ": " after keys.
func pythonJSON(compact []byte) []byte {
	out := make([]byte, 0, len(compact)+len(compact)/4)
	inString, escaped := false, false
	for _, c := range compact {
		out = append(out, c)
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out = append(out, ' ')
		}
	}
	return out
}
