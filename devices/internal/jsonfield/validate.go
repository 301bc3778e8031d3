package jsonfield

// maxDepth is the deepest nesting validValue checks; deeper documents are
// left to encoding/json.
const maxDepth = 1000

// validValue checks the JSON value starting at obj[i] as encoding/json's
// scanner would and returns the index just past it. Like json.Valid it does
// not check that strings are valid UTF-8.
func validValue(obj []byte, i, depth int) (int, bool) {
	if i >= len(obj) || depth > maxDepth {
		return 0, false
	}
	switch c := obj[i]; {
	case c == '"':
		return validString(obj, i)
	case c == '{':
		i = skipSpace(obj, i+1)
		if i < len(obj) && obj[i] == '}' {
			return i + 1, true
		}
		for i < len(obj) {
			end, ok := validString(obj, i)
			if !ok {
				return 0, false
			}
			i = skipSpace(obj, end)
			if i >= len(obj) || obj[i] != ':' {
				return 0, false
			}
			if i, ok = validValue(obj, skipSpace(obj, i+1), depth+1); !ok {
				return 0, false
			}
			i = skipSpace(obj, i)
			if i >= len(obj) {
				return 0, false
			}
			switch obj[i] {
			case '}':
				return i + 1, true
			case ',':
				i = skipSpace(obj, i+1)
			default:
				return 0, false
			}
		}
		return 0, false
	case c == '[':
		i = skipSpace(obj, i+1)
		if i < len(obj) && obj[i] == ']' {
			return i + 1, true
		}
		for i < len(obj) {
			var ok bool
			if i, ok = validValue(obj, i, depth+1); !ok {
				return 0, false
			}
			i = skipSpace(obj, i)
			if i >= len(obj) {
				return 0, false
			}
			switch obj[i] {
			case ']':
				return i + 1, true
			case ',':
				i = skipSpace(obj, i+1)
			default:
				return 0, false
			}
		}
		return 0, false
	case c == 't':
		return literal(obj, i, "true")
	case c == 'f':
		return literal(obj, i, "false")
	case c == 'n':
		return literal(obj, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return validNumber(obj, i)
	}
	return 0, false
}

// validString checks the JSON string starting at obj[i] and returns the
// index just past its closing quote.
func validString(obj []byte, i int) (int, bool) {
	if i >= len(obj) || obj[i] != '"' {
		return 0, false
	}
	for i++; i < len(obj); i++ {
		switch c := obj[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return 0, false
		case c == '\\':
			i++
			if i >= len(obj) {
				return 0, false
			}
			switch obj[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(obj) {
					return 0, false
				}
				for _, h := range obj[i+1 : i+5] {
					if !isHex(h) {
						return 0, false
					}
				}
				i += 4
			default:
				return 0, false
			}
		}
	}
	return 0, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// literal checks that obj[i:] starts with word.
func literal(obj []byte, i int, word string) (int, bool) {
	if len(obj)-i < len(word) || string(obj[i:i+len(word)]) != word {
		return 0, false
	}
	return i + len(word), true
}

// validNumber checks the JSON number starting at obj[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and returns its end.
func validNumber(obj []byte, i int) (int, bool) {
	if obj[i] == '-' {
		i++
	}
	switch {
	case i < len(obj) && obj[i] == '0':
		i++
	case i < len(obj) && obj[i] >= '1' && obj[i] <= '9':
		i = digits(obj, i)
	default:
		return 0, false
	}
	if i < len(obj) && obj[i] == '.' {
		j := digits(obj, i+1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(obj) && (obj[i] == 'e' || obj[i] == 'E') {
		i++
		if i < len(obj) && (obj[i] == '+' || obj[i] == '-') {
			i++
		}
		j := digits(obj, i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}

// digits returns the index of the first byte at or after i that is not a digit.
func digits(obj []byte, i int) int {
	for i < len(obj) && obj[i] >= '0' && obj[i] <= '9' {
		i++
	}
	return i
}
