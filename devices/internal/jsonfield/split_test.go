package jsonfield

import (
	"bytes"
	"encoding/json"
	"testing"
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
		got, ok := splitObject(b)
		if !ok {
			return // declined: the caller falls back to encoding/json
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d members, want %d", b, len(got), len(want))
		}
		for k, w := range want {
			if g, ok := got[k]; !ok || !bytes.Equal(g, w) {
				t.Fatalf("%q: member %q = %q, want %q", b, k, g, w)
			}
		}
	})
}

func TestSplitObjectDeclines(t *testing.T) {
	for _, s := range []string{`{"k\u00e9":1}`, `{"a\"b":1}`, `[1]`, `"x"`, `{"a":1`, `{"a" 1}`} {
		if _, ok := splitObject([]byte(s)); ok {
			t.Errorf("splitObject(%q) split; want it to decline", s)
		}
	}
}
