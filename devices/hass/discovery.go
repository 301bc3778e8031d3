package hass

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// learnedPlatform reports whether hamlet learns the topics of component c.
func learnedPlatform(c string) bool {
	switch c {
	case "light", "switch", "sensor", "binary_sensor", "camera", "siren", "notify":
		return true
	}
	return false
}

// knownPlatform reports whether c is a Home Assistant MQTT platform.
func knownPlatform(c string) bool {
	switch c {
	case "alarm_control_panel", "binary_sensor", "button", "camera", "climate", "cover", "device_automation",
		"device_tracker", "event", "fan", "humidifier", "image", "lawn_mower", "light", "lock", "notify", "number",
		"scene", "select", "sensor", "siren", "switch", "tag", "text", "update", "vacuum", "valve", "water_heater":
		return true
	}
	return false
}

// decodeConfig handles <prefix>/<component>/[<node_id>/]<object_id>/config;
// rest is the topic without "<prefix>/".
func (a *Adapter) decodeConfig(topic, rest string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	parts := strings.Split(rest, "/")
	if len(parts) != 3 && len(parts) != 4 {
		return nil, devices.Errorf(devices.ReasonMalformed, "discovery topic %s: want <prefix>/<component>/[<node_id>/]<object_id>/config", topic)
	}
	ref := entityRef{key: topic, configTopic: topic, component: parts[0], objectID: parts[len(parts)-2]}
	if len(parts) == 4 {
		ref.nodeID = parts[1]
	}
	for i, id := range parts[:len(parts)-1] {
		if !validID(id) || (i == 0 && strings.Contains(id, "-")) {
			return nil, devices.Errorf(devices.ReasonMalformed, "discovery topic %s: %s has characters outside [a-zA-Z0-9_-]", topic, devices.Quote(id))
		}
	}
	if len(payload) == 0 {
		return a.removeConfig(topic)
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	m, err := parseRaw(payload)
	if err != nil {
		return nil, err
	}
	if m, err = expandConfig(m); err != nil {
		return nil, err
	}
	if raw, ok := m["migrate_discovery"]; ok {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: migrate_discovery %s marks a migration between discovery schemes; the new config follows on its own topic", topic, jsonfield.Got(raw))
	}
	if ref.component == "device" {
		return a.decodeDeviceConfig(ref, m)
	}
	if !learnedPlatform(ref.component) {
		return nil, unusedPlatform(topic, ref.component)
	}
	e, info, err := a.parseConfig(ref, m)
	if err != nil {
		return nil, within(topic, err)
	}
	if err := a.foreign(topic, info); err != nil {
		return nil, err
	}
	if _, known := a.entities[ref.key]; !known && len(a.entities) >= maxEntities {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: already %d entities learned, the most hamlet keeps", topic, maxEntities)
	}
	return a.addEntity(e, ref, info), nil
}

func unusedPlatform(topic, component string) *devices.DecodeError {
	if knownPlatform(component) {
		return devices.Errorf(devices.ReasonIgnored, "%s: component %s has no meaning for hamlet's lights, cameras and speakers", topic, devices.Quote(component))
	}
	return devices.Errorf(devices.ReasonIgnored, "%s: component %s is not a Home Assistant MQTT platform (tolerated, not used)", topic, devices.Quote(component))
}

// foreign refuses configs published by bridges that hamlet reads through
// their own adapter (Zigbee2MQTT publishes Home Assistant discovery for
// every device it bridges), so that a device is not counted twice.
func (a *Adapter) foreign(topic string, info deviceInfo) *devices.DecodeError {
	if strings.EqualFold(info.origin, "zigbee2mqtt") {
		return devices.Errorf(devices.ReasonIgnored, "%s: published by Zigbee2MQTT, whose devices the zigbee2mqtt adapter reads", topic)
	}
	for _, id := range info.ids {
		if strings.HasPrefix(id, "zigbee2mqtt_") {
			return devices.Errorf(devices.ReasonIgnored, "%s: device %s is bridged by Zigbee2MQTT, whose devices the zigbee2mqtt adapter reads", topic, devices.Quote(id))
		}
	}
	return nil
}

func validID(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// parseConfig substitutes the base topic and parses one entity config.
func (a *Adapter) parseConfig(ref entityRef, m rawObject) (*entity, deviceInfo, *devices.DecodeError) {
	if err := substituteBase(m); err != nil {
		return nil, deviceInfo{}, err
	}
	o, err := toObject(m)
	if err != nil {
		return nil, deviceInfo{}, err
	}
	return parseEntity(o, ref)
}

// decodeDeviceConfig handles device discovery: one config with a device
// block and "components", whose root options (availability, state_topic,
// command_topic, "~", ...) are shared by every component. Components that
// were learned from this topic before and are now absent, or reduced to
// {"platform": ...}, are removed.
func (a *Adapter) decodeDeviceConfig(ref entityRef, m rawObject) ([]devices.Report, *devices.DecodeError) {
	raw, ok := m["components"]
	if !ok {
		return nil, devices.Errorf(devices.ReasonMissingField, "%s: device discovery without %q (cmps)", ref.configTopic, "components")
	}
	comps, err := subObject(raw, "components")
	if err != nil {
		return nil, within(ref.configTopic, err)
	}
	shared := rawObject{}
	for k, v := range m {
		if k != "components" {
			shared[k] = v
		}
	}
	ids := make([]string, 0, len(comps))
	for id := range comps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []devices.Report
	var firstErr *devices.DecodeError
	keep := map[string]bool{}
	for _, id := range ids {
		r, key, err := a.deviceComponent(ref, id, comps[id], shared)
		if key != "" {
			keep[key] = true
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		out = append(out, r...)
	}
	for _, e := range a.entitiesOf(ref.configTopic) {
		if !keep[e.key] {
			out = append(out, a.removeEntity(e)...)
		}
	}
	if len(out) == 0 {
		if firstErr == nil {
			firstErr = devices.Errorf(devices.ReasonIgnored, "%s: no component hamlet uses", ref.configTopic)
		}
		return nil, firstErr
	}
	return dedupe(out), nil
}

// deviceComponent learns one component of a device config; key is the
// entity key when the component stays learned.
func (a *Adapter) deviceComponent(ref entityRef, id string, raw json.RawMessage, shared rawObject) ([]devices.Report, string, *devices.DecodeError) {
	place := ref.configTopic + " components." + id
	c, err := subObject(raw, "components."+id)
	if err != nil {
		return nil, "", within(ref.configTopic, err)
	}
	var platform string
	if json.Unmarshal(c["platform"], &platform) != nil || platform == "" {
		return nil, "", devices.Errorf(devices.ReasonMissingField, "%s: %q (p) missing or not a string", place, "platform")
	}
	if len(c) == 1 || !learnedPlatform(platform) || !validID(id) {
		return nil, "", nil // removed, or not used: dropped below if it was learned
	}
	merged := rawObject{}
	for k, v := range shared {
		merged[k] = v
	}
	for k, v := range c {
		merged[k] = v
	}
	cref := entityRef{key: ref.configTopic + "#" + id, configTopic: ref.configTopic, component: platform, nodeID: ref.objectID, objectID: id}
	e, info, err := a.parseConfig(cref, merged)
	if err != nil {
		return nil, "", within(place, err)
	}
	if err := a.foreign(place, info); err != nil {
		return nil, "", err
	}
	if _, known := a.entities[cref.key]; !known && len(a.entities) >= maxEntities {
		return nil, "", devices.Errorf(devices.ReasonIgnored, "%s: already %d entities learned, the most hamlet keeps", place, maxEntities)
	}
	return a.addEntity(e, cref, info), cref.key, nil
}

// entitiesOf returns the entities learned from configTopic, in key order.
func (a *Adapter) entitiesOf(configTopic string) []*entity {
	var out []*entity
	for _, e := range a.entities {
		if e.configTopic == configTopic {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// removeConfig handles an empty (cleared) config: the entities learned from
// it are forgotten, and their device is removed when nothing else is left.
func (a *Adapter) removeConfig(topic string) ([]devices.Report, *devices.DecodeError) {
	ents := a.entitiesOf(topic)
	if len(ents) == 0 {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: empty config clears an entity hamlet never learned; nothing to remove", topic)
	}
	var out []devices.Report
	for _, e := range ents {
		out = append(out, a.removeEntity(e)...)
	}
	return dedupe(out), nil
}

// dedupe keeps the last report per device key and channel, in order of
// last appearance.
func dedupe(rs []devices.Report) []devices.Report {
	type at struct{ key, channel string }
	last := map[at]int{}
	for i, r := range rs {
		last[at{r.Key, r.Channel}] = i
	}
	out := rs[:0:0]
	for i, r := range rs {
		if last[at{r.Key, r.Channel}] == i {
			out = append(out, r)
		}
	}
	return out
}
