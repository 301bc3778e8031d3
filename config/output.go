package config

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hamlet-vn/hamlet/devices"
)

// RedactedText is the text that replaces secrets in Config.Redacted.
const RedactedText = "REDACTED"

// Redacted returns a copy of c with secrets replaced by "REDACTED" where they
// are set: mqtt.password, influx.token, and the user:password part of the
// URLs in mqtt.broker, influx.url and http.public_url. c is not changed.
func (c Config) Redacted() Config {
	r := c.clone()
	r.MQTT.Password = redactValue(r.MQTT.Password)
	r.Influx.Token = redactValue(r.Influx.Token)
	r.MQTT.Broker = redactURL(r.MQTT.Broker)
	r.Influx.URL = redactURL(r.Influx.URL)
	r.HTTP.PublicURL = redactURL(r.HTTP.PublicURL)
	r.Alerts.Webhooks = slices.Clone(r.Alerts.Webhooks)
	for i := range r.Alerts.Webhooks {
		r.Alerts.Webhooks[i].Secret = redactValue(r.Alerts.Webhooks[i].Secret)
		r.Alerts.Webhooks[i].URL = redactURL(r.Alerts.Webhooks[i].URL)
	}
	return r
}

func redactValue(s string) string {
	if s == "" {
		return ""
	}
	return RedactedText
}

// redactURL replaces the userinfo of scheme://userinfo@host/... It works on
// the text, so a URL that does not parse is redacted too.
func redactURL(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return s
	}
	start := len(s) - len(rest)
	return s[:start] + RedactedText + s[start+at:]
}

// clone returns a deep copy of c: its maps and lists are not shared.
func (c Config) clone() Config {
	c.Availability.Timeout = maps.Clone(c.Availability.Timeout)
	c.Zones = slices.Clone(c.Zones)
	for i := range c.Zones {
		c.Zones[i].BroadcastWindows = slices.Clone(c.Zones[i].BroadcastWindows)
	}
	c.Devices = slices.Clone(c.Devices)
	return c
}

// YAML returns the effective configuration as YAML with the file's key names,
// sections in file order, durations as "10m" and sizes as "1GiB", so that the
// output can be loaded again. It prints secrets as they are: print
// c.Redacted().YAML() to show a configuration to a person.
func (c Config) YAML() ([]byte, error) {
	node, err := toNode(reflect.ValueOf(c))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// toNode converts a config value to a YAML node, keeping field order.
func toNode(v reflect.Value) (*yaml.Node, error) {
	switch {
	case v.Type() == durationType:
		return scalar(formatDuration(time.Duration(v.Int())))
	case v.Type() == byteSizeType:
		return scalar(ByteSize(v.Int()).String())
	}
	switch v.Kind() {
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for i := range v.NumField() {
			val, err := toNode(v.Field(i))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: tagName(v.Type().Field(i))}, val)
		}
		return n, nil
	case reflect.Map:
		n := &yaml.Node{Kind: yaml.MappingNode}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		sortKinds(keys)
		for _, k := range keys {
			val, err := toNode(v.MapIndex(reflect.ValueOf(k)))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, val)
		}
		return n, nil
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		if v.Len() == 0 {
			n.Style = yaml.FlowStyle
		}
		for i := range v.Len() {
			val, err := toNode(v.Index(i))
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, val)
		}
		return n, nil
	}
	return scalar(v.Interface())
}

// sortKinds orders availability kinds as devices.Kinds, then others by name.
func sortKinds(keys []string) {
	rank := func(k string) int {
		if i := slices.Index(devices.Kinds, devices.Kind(k)); i >= 0 {
			return i
		}
		return len(devices.Kinds)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
}

// scalar encodes one value, quoting strings that would read back as another type.
func scalar(v any) (*yaml.Node, error) {
	n := &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, err
	}
	return n, nil
}

// formatDuration prints 10m rather than 10m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
