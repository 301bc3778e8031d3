package jsonfield

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// splitSeeds are objects splitObject must split exactly as encoding/json
// does, or decline.
var splitSeeds = []string{
	`{}`, ` { } `, `{"a":1}`, `{"a" : 1 , "b":"x"}`, `{"a":{"b":[1,{"c":"}"}]},"d":null}`,
	`{"s":"q\"uo}te\\","n":-1.5e+3,"t":true,"f":false}`, `{"a":1,"a":2}`, `{"k\u00e9":1}`,
	`{"é":"ü","arr":[ ],"o":{ }}`, "{\"a\":\n\t[1 ,2]\r}",
	`{"Time":"2025-11-26T18:30:00","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":1.234,"Power":[40,41]}}`,
}

// FuzzSplitObject checks splitObject against json.Unmarshal into a map of
// raw messages, on every valid JSON object.
func FuzzSplitObject(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		var want map[string]json.RawMessage
		if json.Unmarshal(b, &want) != nil {
			return // valid JSON, not an object
		}
		o, ok := splitObject(b)
		if !ok {
			return // declined: the caller falls back to encoding/json
		}
		checkSplit(t, b, o, want)
	})
}

// checkSplit fails t unless o holds exactly the members of want.
func checkSplit(t *testing.T, b []byte, o Object, want map[string]json.RawMessage) {
	t.Helper()
	if o.Len() != len(want) {
		t.Fatalf("%q: %d members, want %d", b, o.Len(), len(want))
	}
	keys := o.Keys()
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			t.Fatalf("%q: keys not sorted and unique: %q", b, keys)
		}
	}
	for k, w := range want {
		if g, ok := o.lookup(k); !ok || !bytes.Equal(g, w) {
			t.Fatalf("%q: member %q = %q, want %q", b, k, g, w)
		}
	}
}

// FuzzSplitValid checks splitValid against json.Valid and json.Unmarshal on
// any input: what it accepts must be a valid JSON object with the same
// members, and the usual objects must be accepted.
func FuzzSplitValid(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{`{"a":1}x`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":tru}`,
		`{"a":[1,]}`, `{"a":{"b":1,}}`, "{\"a\":\"\x01\"}", `{"a":1e}`, `{"a":.5}`, `{"a" :[ ] , "b":[{}] }`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		o, ok := splitValid(b)
		if !ok {
			if json.Valid(b) && len(b) > 0 && b[0] == '{' && !bytes.ContainsAny(b, "\\\x00") && bytes.Count(b, []byte("{")) == 1 &&
				!bytes.Contains(b, []byte("\n")) && utf8.Valid(b) {
				t.Fatalf("%q: a valid flat object was declined", b)
			}
			return
		}
		if !json.Valid(b) {
			t.Fatalf("%q: accepted, but json.Valid refuses it", b)
		}
		var want map[string]json.RawMessage
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%q: accepted, but json.Unmarshal refuses it: %v", b, err)
		}
		checkSplit(t, b, o, want)
	})
}

func TestSplitObjectDeclines(t *testing.T) {
	for _, s := range []string{`{"k\u00e9":1}`, `{"a\"b":1}`, `[1]`, `"x"`, `{"a":1`, `{"a" 1}`} {
		if _, ok := splitObject([]byte(s)); ok {
			t.Errorf("splitObject(%q) split; want it to decline", s)
		}
	}
}
