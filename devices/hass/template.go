package hass

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// valueTemplate is the subset of Home Assistant's Jinja value templates that
// hamlet evaluates: "{{ value }}" and a path into the JSON payload such as
// "{{ value_json.temperature }}", "{{ value_json['a'].b[0] }}", optionally
// followed by the type filters "| float", "| int" or "| round(n)" (which do
// not change which value is read). Any other template is kept as
// unsupported: its topic is learned, and its messages are ignored with a
// reason naming the template.
type valueTemplate struct {
	raw         string
	whole       bool     // {{ value }}: the payload itself
	path        []string // keys; an index is written "[n]"
	unsupported bool
}

// parseTemplate parses s; an empty s yields nil (no template).
func parseTemplate(s string) *valueTemplate {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	t := &valueTemplate{raw: s, unsupported: true}
	if !strings.HasPrefix(s, "{{") || !strings.HasSuffix(s, "}}") || len(s) < 4 {
		return t
	}
	parts := strings.Split(s[2:len(s)-2], "|")
	for _, f := range parts[1:] {
		f = strings.TrimSpace(f)
		if name, _, _ := strings.Cut(f, "("); name != "float" && name != "int" && name != "round" {
			return t
		}
	}
	expr := strings.TrimSpace(parts[0])
	if expr == "value" {
		t.whole, t.unsupported = true, false
		return t
	}
	rest, ok := strings.CutPrefix(expr, "value_json")
	if !ok {
		return t
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			key := rest[1 : end+1]
			if !isIdent(key) {
				return t
			}
			t.path = append(t.path, key)
			rest = rest[end+1:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return t
			}
			inner := strings.TrimSpace(rest[1:end])
			switch {
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				t.path = append(t.path, inner[1:len(inner)-1])
			case isIndex(inner):
				t.path = append(t.path, "["+inner+"]")
			default:
				return t
			}
			rest = rest[end+1:]
		default:
			return t
		}
	}
	if len(t.path) == 0 {
		return t
	}
	t.unsupported = false
	return t
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isIndex(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n < 1<<16
}

// apply evaluates the template on payload and returns the raw JSON value it
// selects, or for {{ value }} the payload as a JSON string.
func (t *valueTemplate) apply(payload []byte) (json.RawMessage, *devices.DecodeError) {
	if t.unsupported {
		return nil, devices.Errorf(devices.ReasonIgnored, "value_template %s is not supported (hamlet reads {{ value }} and value_json paths only)", devices.Quote(t.raw))
	}
	if t.whole {
		b, _ := json.Marshal(string(payload))
		return b, nil
	}
	cur := json.RawMessage(payload)
	if _, err := jsonfield.Parse(payload); err != nil {
		return nil, within(fmt.Sprintf("value_template %s", devices.Quote(t.raw)), err)
	}
	for _, step := range t.path {
		if strings.HasPrefix(step, "[") {
			var arr []json.RawMessage
			if json.Unmarshal(cur, &arr) != nil {
				return nil, devices.Errorf(devices.ReasonWrongType, "value_template %s: %s wants an array, got %s", devices.Quote(t.raw), step, jsonfield.Got(cur))
			}
			i, _ := strconv.Atoi(step[1 : len(step)-1])
			if i >= len(arr) {
				return nil, devices.Errorf(devices.ReasonMissingField, "value_template %s: index %d is past the array's %d elements", devices.Quote(t.raw), i, len(arr))
			}
			cur = arr[i]
			continue
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(cur, &m) != nil {
			return nil, devices.Errorf(devices.ReasonWrongType, "value_template %s: key %q wants an object, got %s", devices.Quote(t.raw), step, jsonfield.Got(cur))
		}
		v, ok := m[step]
		if !ok {
			return nil, devices.Errorf(devices.ReasonMissingField, "value_template %s: key %q is not in the payload", devices.Quote(t.raw), step)
		}
		cur = v
	}
	return cur, nil
}
