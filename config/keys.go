package config

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// EnvPrefix is the prefix of every environment variable that overrides a key.
const EnvPrefix = "HAMLET_"

var (
	durationType = reflect.TypeFor[time.Duration]()
	byteSizeType = reflect.TypeFor[ByteSize]()
	configType   = reflect.TypeFor[Config]()
)

// EnvName returns the environment variable that overrides key, such as
// HAMLET_MQTT_TLS_CA_FILE for "mqtt.tls.ca_file".
func EnvName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// ScalarKeys lists, in file order, every key that holds a single value and can
// therefore be overridden from the environment: "area.id", "mqtt.tls.ca_file",
// "availability.timeout.light", ... Zones and devices are lists and come only
// from the file, so they are not included.
func ScalarKeys() []string {
	var keys []string
	walkKeys(configType, "", func(key string, t reflect.Type) {
		if !strings.Contains(key, "[]") {
			keys = append(keys, key)
		}
	})
	return keys
}

// allKeys lists every leaf key including list items written as "zones[].id".
func allKeys() []string {
	var keys []string
	walkKeys(configType, "", func(key string, _ reflect.Type) { keys = append(keys, key) })
	return keys
}

// walkKeys calls leaf for every leaf key under t. Lists of structs recurse
// with "[]" appended; the availability timeout map yields one key per kind.
func walkKeys(t reflect.Type, prefix string, leaf func(key string, t reflect.Type)) {
	for i := range t.NumField() {
		f := t.Field(i)
		key := joinKey(prefix, tagName(f))
		switch {
		case f.Type.Kind() == reflect.Struct:
			walkKeys(f.Type, key, leaf)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			walkKeys(f.Type.Elem(), key+"[]", leaf)
		case f.Type.Kind() == reflect.Map:
			for _, k := range devices.Kinds {
				leaf(key+"."+string(k), f.Type.Elem())
			}
		default:
			leaf(key, f.Type)
		}
	}
}

// tagName is the key a struct field is written as in the file.
func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

// fieldKeys lists the keys a struct type accepts, in field order.
func fieldKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		keys = append(keys, tagName(t.Field(i)))
	}
	return keys
}

// fieldIndex returns the index of the field written as key, or -1.
func fieldIndex(t reflect.Type, key string) int {
	for i := range t.NumField() {
		if strings.EqualFold(tagName(t.Field(i)), key) {
			return i
		}
	}
	return -1
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// segment is one step of a key path: a name, or a list index when index >= 0.
type segment struct {
	name  string
	index int
}

// splitKey splits "devices[2].zone" into devices, [2], zone.
func splitKey(key string) []segment {
	var segs []segment
	for part := range strings.SplitSeq(key, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			segs = append(segs, segment{name: name, index: -1})
		}
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			if n, err := strconv.Atoi(idx); err == nil {
				segs = append(segs, segment{index: n})
			} else {
				segs = append(segs, segment{name: idx, index: -1})
			}
		}
	}
	return segs
}

// normalizeKey rewrites mapstructure's "availability.timeout[light]" as
// "availability.timeout.light", keeping numeric list indexes in brackets.
func normalizeKey(key string) string {
	var b strings.Builder
	for i, s := range splitKey(key) {
		switch {
		case s.index >= 0:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case i > 0:
			b.WriteString("." + s.name)
		default:
			b.WriteString(s.name)
		}
	}
	return b.String()
}

// typeAt returns the Go type of the value at key in Config, or nil.
func typeAt(key string) reflect.Type {
	t := configType
	for _, s := range splitKey(key) {
		switch {
		case s.index >= 0 && (t.Kind() == reflect.Slice):
			t = t.Elem()
		case s.index < 0 && t.Kind() == reflect.Struct:
			i := fieldIndex(t, s.name)
			if i < 0 {
				return nil
			}
			t = t.Field(i).Type
		case s.index < 0 && t.Kind() == reflect.Map:
			t = t.Elem()
		default:
			return nil
		}
	}
	return t
}

// orderOf maps a key to numbers that sort it in file order: struct fields by
// declaration, list items by index, kinds in display order; unknown names last.
func orderOf(key string) []int {
	var order []int
	t := configType
	for _, s := range splitKey(key) {
		switch {
		case s.index >= 0:
			order = append(order, s.index)
			if t != nil && t.Kind() == reflect.Slice {
				t = t.Elem()
			}
		case t != nil && t.Kind() == reflect.Struct:
			i := fieldIndex(t, s.name)
			if i < 0 {
				order, t = append(order, 1<<20), nil
				continue
			}
			order, t = append(order, i), t.Field(i).Type
		case t != nil && t.Kind() == reflect.Map:
			i := slices.Index(devices.Kinds, devices.Kind(s.name))
			if i < 0 {
				i = 1 << 20
			}
			order, t = append(order, i), t.Elem()
		default:
			order = append(order, 1<<20)
		}
	}
	return order
}
