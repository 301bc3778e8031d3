package jsonfield

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxUnsorted is the most members an Object keeps in document order; a
// larger one is sorted by key for binary search.
const maxUnsorted = 16

// splitObject splits obj, the text of one JSON object that json.Valid
// accepts, into its members' raw values, as json.Unmarshal into a
// map[string]json.RawMessage does (the last of duplicate keys wins), but
// without reflection or a map: it runs for every device message. It
// reports false for an object it does not handle, a key with an escape
// sequence or invalid UTF-8 (which encoding/json would rewrite), and then
// the caller unmarshals obj with encoding/json. The values alias obj.
func splitObject(obj []byte) (Object, bool) {
	return split(obj, false)
}

// splitValid is splitObject for any text: it also checks that obj is
// valid JSON (one object and nothing else but spaces), as json.Valid does,
// while splitting it. It reports false for invalid JSON and for whatever
// splitObject declines, and the caller then takes encoding/json's path.
func splitValid(obj []byte) (Object, bool) {
	return split(obj, true)
}

func split(obj []byte, validate bool) (Object, bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return Object{}, false
	}
	var buf [32]member // collected here, then copied once at their exact number
	m := buf[:0]
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return Object{members: []member{}}, !validate || skipSpace(obj, i+1) == len(obj)
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return Object{}, false
		}
		k := i + 1
		for k < len(obj) && obj[k] != '"' && obj[k] != '\\' && obj[k] >= 0x20 {
			k++
		}
		if k >= len(obj) || obj[k] != '"' || !utf8.Valid(obj[i+1:k]) {
			return Object{}, false
		}
		key := string(obj[i+1 : k])
		i = skipSpace(obj, k+1)
		if i >= len(obj) || obj[i] != ':' {
			return Object{}, false
		}
		start := skipSpace(obj, i+1)
		var end int
		var ok bool
		if validate {
			end, ok = validValue(obj, start, 1)
		} else {
			end, ok = valueEnd(obj, start)
		}
		if !ok {
			return Object{}, false
		}
		m = append(m, member{key: key, raw: obj[start:end:end]})
		i = skipSpace(obj, end)
		if i >= len(obj) {
			return Object{}, false
		}
		switch obj[i] {
		case '}':
			if validate && skipSpace(obj, i+1) != len(obj) {
				return Object{}, false
			}
			if len(m) > maxUnsorted {
				return Object{members: slices.Clone(sortMembers(m)), sorted: true}, true
			}
			return Object{members: slices.Clone(m)}, true
		case ',':
			i = skipSpace(obj, i+1)
		default:
			return Object{}, false
		}
	}
	return Object{}, false
}

// sortMembers sorts m by key, stably, and keeps the last of each run of
// equal keys, as decoding into a map would.
func sortMembers(m []member) []member {
	slices.SortStableFunc(m, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out := m[:0]
	for i := range m {
		if i+1 < len(m) && m[i+1].key == m[i].key {
			continue // a later duplicate wins
		}
		out = append(out, m[i])
	}
	return out
}

// fromMap returns the members of m as a sorted Object.
func fromMap(m map[string]json.RawMessage) Object {
	out := make([]member, 0, len(m))
	for k, v := range m {
		out = append(out, member{key: k, raw: v})
	}
	slices.SortFunc(out, func(a, b member) int { return strings.Compare(a.key, b.key) })
	return Object{members: out, sorted: true}
}

// valueEnd returns the index just past the JSON value starting at obj[i].
func valueEnd(obj []byte, i int) (int, bool) {
	if i >= len(obj) {
		return 0, false
	}
	switch obj[i] {
	case '"':
		return stringEnd(obj, i)
	case '{', '[':
		depth := 0
		for i < len(obj) {
			switch obj[i] {
			case '"':
				end, ok := stringEnd(obj, i)
				if !ok {
					return 0, false
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return 0, false
	}
	// A number, true, false or null: up to the next delimiter.
	start := i
	for i < len(obj) {
		switch obj[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i, i > start
		}
		i++
	}
	return 0, false
}

// stringEnd returns the index just past the JSON string starting at obj[i].
func stringEnd(obj []byte, i int) (int, bool) {
	for i++; i < len(obj); i++ {
		switch obj[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return 0, false
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
