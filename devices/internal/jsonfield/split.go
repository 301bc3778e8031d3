package jsonfield

import (
	"encoding/json"
	"unicode/utf8"
)

// splitObject splits obj, the text of one JSON object that json.Valid
// accepts, into its members' raw values, as json.Unmarshal into a
// map[string]json.RawMessage does (the last of duplicate keys wins), but
// without reflection: it runs for every device message. It reports false for
// an object it does not handle, a key with an escape sequence or invalid
// UTF-8 (which encoding/json would rewrite), and then the caller unmarshals
// obj with encoding/json. The values alias obj.
func splitObject(obj []byte) (map[string]json.RawMessage, bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return nil, false
	}
	m := make(map[string]json.RawMessage, 8)
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return m, true
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return nil, false
		}
		k := i + 1
		for k < len(obj) && obj[k] != '"' && obj[k] != '\\' {
			k++
		}
		if k >= len(obj) || obj[k] != '"' || !utf8.Valid(obj[i+1:k]) {
			return nil, false
		}
		key := string(obj[i+1 : k])
		i = skipSpace(obj, k+1)
		if i >= len(obj) || obj[i] != ':' {
			return nil, false
		}
		start := skipSpace(obj, i+1)
		end, ok := valueEnd(obj, start)
		if !ok {
			return nil, false
		}
		m[key] = obj[start:end:end]
		i = skipSpace(obj, end)
		if i >= len(obj) {
			return nil, false
		}
		switch obj[i] {
		case '}':
			return m, true
		case ',':
			i = skipSpace(obj, i+1)
		default:
			return nil, false
		}
	}
	return nil, false
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
