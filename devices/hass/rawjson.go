package hass

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// rawObject is a JSON object whose values are kept raw.
type rawObject map[string]json.RawMessage

// parseRaw parses payload as one JSON object.
func parseRaw(payload []byte) (rawObject, *devices.DecodeError) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 {
		return nil, devices.Errorf(devices.ReasonEmpty, "empty payload, want a JSON object")
	}
	if trimmed[0] != '{' {
		return nil, devices.Errorf(devices.ReasonMalformed, "want a JSON object, got %s", devices.Quote(string(trimmed)))
	}
	var m rawObject
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return nil, devices.Errorf(devices.ReasonMalformed, "invalid JSON: %v", err)
	}
	return m, nil
}

// rename returns m with every key passed through expand. When a key is
// present both abbreviated and in full, the full form wins, so the result
// does not depend on map order.
func rename(m rawObject, expand func(string) string) rawObject {
	out := make(rawObject, len(m))
	for k, v := range m {
		if expand(k) == k {
			out[k] = v
		}
	}
	for k, v := range m {
		if full := expand(k); full != k {
			if _, dup := out[full]; !dup {
				out[full] = v
			}
		}
	}
	return out
}

// expandConfig expands the abbreviations of one discovery config (an entity
// config, or the root of a device config): the root keys, the device and
// origin blocks, the availability list items and, recursively, the
// components of a device config. The base topic "~" is not substituted here
// (see substituteBase): a device config's components inherit it first.
func expandConfig(m rawObject) (rawObject, *devices.DecodeError) {
	m = rename(m, expandKey)
	nested := []struct {
		key    string
		expand func(string) string
	}{{"device", expandDeviceKey}, {"origin", expandOriginKey}}
	for _, n := range nested {
		raw, ok := m[n.key]
		if !ok || string(raw) == "null" {
			continue
		}
		sub, err := subObject(raw, n.key)
		if err != nil {
			return nil, err
		}
		if m[n.key], err = marshal(rename(sub, n.expand), n.key); err != nil {
			return nil, err
		}
	}
	if raw, ok := m["availability"]; ok && string(raw) != "null" {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil, devices.Errorf(devices.ReasonWrongType, "%q: want a list of {topic, payload_available, ...} objects, got %s", "availability", jsonfield.Got(raw))
		}
		for i, item := range items {
			name := fmt.Sprintf("availability[%d]", i)
			sub, err := subObject(item, name)
			if err != nil {
				return nil, err
			}
			if items[i], err = marshal(rename(sub, expandAvailabilityKey), name); err != nil {
				return nil, err
			}
		}
		var err *devices.DecodeError
		if m["availability"], err = marshal(items, "availability"); err != nil {
			return nil, err
		}
	}
	if raw, ok := m["components"]; ok && string(raw) != "null" {
		comps, err := subObject(raw, "components")
		if err != nil {
			return nil, err
		}
		for id, c := range comps {
			name := "components." + id
			sub, err := subObject(c, name)
			if err != nil {
				return nil, err
			}
			exp, err := expandConfig(sub)
			if err != nil {
				return nil, within(name, err)
			}
			if comps[id], err = marshal(exp, name); err != nil {
				return nil, err
			}
		}
		if m["components"], err = marshal(comps, "components"); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// substituteBase replaces "~" at the start or end of every *topic value
// (including the topic of each availability item) with the base topic given
// under "~", as Home Assistant does, and drops "~".
func substituteBase(m rawObject) *devices.DecodeError {
	raw, ok := m["~"]
	if !ok {
		return nil
	}
	delete(m, "~")
	var base string
	if json.Unmarshal(raw, &base) != nil {
		return devices.Errorf(devices.ReasonWrongType, "%q (base topic): want a string, got %s", "~", jsonfield.Got(raw))
	}
	for k, v := range m {
		if !strings.HasSuffix(k, "topic") {
			continue
		}
		if s, ok := withBase(v, base); ok {
			m[k] = s
		}
	}
	if av, ok := m["availability"]; ok {
		var items []rawObject
		if json.Unmarshal(av, &items) == nil {
			for _, item := range items {
				if s, ok := withBase(item["topic"], base); ok {
					item["topic"] = s
				}
			}
			if b, err := json.Marshal(items); err == nil {
				m["availability"] = b
			}
		}
	}
	return nil
}

// withBase substitutes base for a leading or trailing "~" of the JSON string v.
func withBase(v json.RawMessage, base string) (json.RawMessage, bool) {
	var s string
	if len(v) == 0 || json.Unmarshal(v, &s) != nil || s == "" {
		return nil, false
	}
	if strings.HasPrefix(s, "~") {
		s = base + s[1:]
	}
	if strings.HasSuffix(s, "~") {
		s = s[:len(s)-1] + base
	}
	b, err := json.Marshal(s)
	return b, err == nil
}

func subObject(raw json.RawMessage, name string) (rawObject, *devices.DecodeError) {
	var m rawObject
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return nil, devices.Errorf(devices.ReasonWrongType, "%q: want an object, got %s", name, jsonfield.Got(raw))
	}
	return m, nil
}

func marshal(v any, name string) (json.RawMessage, *devices.DecodeError) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, devices.Errorf(devices.ReasonMalformed, "%q: %v", name, err)
	}
	return b, nil
}

// toObject turns m into a jsonfield.Object for typed reads.
func toObject(m rawObject) (jsonfield.Object, *devices.DecodeError) {
	b, err := marshal(m, "config")
	if err != nil {
		return jsonfield.Object{}, err
	}
	return jsonfield.Parse(b)
}

// within prefixes an error's detail with the place it was found.
func within(place string, err *devices.DecodeError) *devices.DecodeError {
	if err == nil {
		return nil
	}
	return &devices.DecodeError{Reason: err.Reason, Detail: place + ": " + err.Detail}
}

// objects reads raw as a list of JSON objects; errors name "name[i]".
func objects(raw json.RawMessage, name string) ([]jsonfield.Object, *devices.DecodeError) {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, devices.Errorf(devices.ReasonWrongType, "%q: want a list of objects, got %s", name, jsonfield.Got(raw))
	}
	out := make([]jsonfield.Object, 0, len(items))
	for i, item := range items {
		o, err := jsonfield.Parse(item)
		if err != nil {
			return nil, devices.Errorf(devices.ReasonWrongType, "%s[%d]: want an object, got %s", name, i, jsonfield.Got(item))
		}
		out = append(out, o)
	}
	return out, nil
}

// stringPairs reads a device's connections, [[type, id], ...], and returns the ids.
func stringPairs(raw json.RawMessage) ([]string, error) {
	var pairs [][]string
	if err := json.Unmarshal(raw, &pairs); err != nil {
		return nil, err
	}
	var ids []string
	for _, p := range pairs {
		if len(p) != 2 {
			return nil, fmt.Errorf("a connection has %d elements, want 2", len(p))
		}
		if p[1] != "" {
			ids = append(ids, p[1])
		}
	}
	return ids, nil
}
