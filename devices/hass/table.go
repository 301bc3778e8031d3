package hass

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// maxEntities bounds the learned table, so that a flood of hostile configs
// cannot grow it without limit. A large Home Assistant installation has a few
// thousand entities.
const maxEntities = 20000

// role is what a learned topic carries for an entity.
type role int

const (
	roleState role = iota
	roleBrightness
	roleImage
	roleAvailability
	roleCommand
	roleNodeStatus // ESPHome <node>/status, learned from esphome/discover
)

// route says that a topic carries role for an entity (or an ESPHome node).
type route struct {
	role   role
	entity string // entity key
	device string // device key, for roleNodeStatus
}

// device is one hamlet device: the entities of one Home Assistant device
// (same identifiers, or the same ESPHome node).
type device struct {
	key      string
	protocol devices.Protocol
	info     deviceInfo
	node     *esphomeNode // set when esphome/discover announced the node
	entities map[string]*entity
	avail    map[string]devices.Availability // last value per availability topic
}

// kind is light when the device has a light entity, else camera for a
// camera, else speaker for a siren or notify entity, else empty (sensors
// only: the registry keeps the kind it already knows).
func (d *device) kind() devices.Kind {
	has := func(components ...string) bool {
		for _, e := range d.entities {
			if slices.Contains(components, e.component) {
				return true
			}
		}
		return false
	}
	switch {
	case has("light"):
		return devices.Light
	case has("camera"):
		return devices.Camera
	case has("siren", "notify"):
		return devices.Speaker
	}
	return ""
}

// sorted returns the device's entities in key order.
func (d *device) sorted() []*entity {
	out := make([]*entity, 0, len(d.entities))
	for _, e := range d.entities {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// controlled returns the entity that light commands go to: a light with a
// command topic, else a switch with one (a relay wired to a lamp).
func (d *device) controlled() *entity {
	var sw *entity
	for _, e := range d.sorted() {
		if e.commandTopic == "" {
			continue
		}
		if e.component == "light" {
			return e
		}
		if e.component == "switch" && sw == nil {
			sw = e
		}
	}
	return sw
}

// outputs returns the device's outputs, the lights and switches with a
// command topic, in key order. A device with several is several hamlet
// devices, one per output, on Channel <object id>.
func (d *device) outputs() []*entity {
	var out []*entity
	for _, e := range d.sorted() {
		if e.isOutput() {
			out = append(out, e)
		}
	}
	return out
}

// isOutput reports whether e is a light or switch with a command topic.
func (e *entity) isOutput() bool {
	return e.commandTopic != "" && (e.component == "light" || e.component == "switch")
}

// output returns the output entity whose object id is channel; "" is the
// controlled one (see controlled).
func (d *device) output(channel string) *entity {
	if channel == "" {
		return d.controlled()
	}
	for _, e := range d.outputs() {
		if e.objectID == channel {
			return e
		}
	}
	return nil
}

// reports returns the Discovery reports of the device: its report alone,
// or for a device with several outputs one per output, id
// "<device key>-<object id>" on Channel <object id>, the controlled one
// Primary.
func (d *device) reports() []devices.Report {
	r := d.report()
	outs := d.outputs()
	if len(outs) < 2 {
		return []devices.Report{r}
	}
	primary := d.controlled()
	list := make([]devices.Report, 0, len(outs))
	for _, e := range outs {
		c := r
		disc := *r.Discovery
		disc.ID = devices.ChannelID(disc.ID, e.objectID)
		if e.name != "" {
			disc.Name = e.name
		}
		disc.Extra = maps.Clone(disc.Extra)
		if disc.Extra == nil {
			disc.Extra = map[string]string{}
		}
		disc.Extra["command_topic"] = e.commandTopic
		c.Discovery, c.Channel, c.Primary = &disc, e.objectID, e == primary
		if c.Kind == "" {
			c.Kind = devices.Light // a relay output switches a lamp
		}
		list = append(list, c)
	}
	return list
}

func (d *device) first(component string) *entity {
	for _, e := range d.sorted() {
		if e.component == component {
			return e
		}
	}
	return nil
}

// report is the Discovery report of the device as learned so far.
func (d *device) report() devices.Report {
	disc := &devices.Discovery{ID: d.key, Name: d.info.name, Model: d.info.model, Firmware: d.info.firmware, Topic: d.key, Extra: map[string]string{}}
	ents := d.sorted()
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.component+"/"+e.objectID)
		if disc.Name == "" {
			disc.Name = e.name
		}
		if len(e.avail) > 0 && disc.Extra["availability_topic"] == "" {
			disc.Extra["availability_topic"] = e.avail[0].topic
		}
	}
	if n := d.node; n != nil {
		disc.Name = cmp(disc.Name, n.friendly, n.name)
		disc.Model = cmp(disc.Model, n.board)
		disc.Firmware = cmp(disc.Firmware, n.version)
		put(disc.Extra, "ip", n.ip)
		put(disc.Extra, "mac", n.mac)
		put(disc.Extra, "platform", n.platform)
	}
	if disc.Name == "" {
		disc.Name = d.key
	}
	put(disc.Extra, "entities", strings.Join(names, ","))
	put(disc.Extra, "manufacturer", d.info.manufacturer)
	put(disc.Extra, "origin", d.info.origin)
	if c := d.controlled(); c != nil {
		put(disc.Extra, "command_topic", c.commandTopic)
	}
	if len(disc.Extra) == 0 {
		disc.Extra = nil
	}
	return devices.Report{Protocol: d.protocol, Key: d.key, Kind: d.kind(), Discovery: disc}
}

func cmp(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func put(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// slug turns an identifier into a device key: lower case, characters other
// than letters, digits, ".", "-" and "_" replaced by "_", at most 96 bytes.
func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(strings.TrimSpace(s)) {
		if b.Len() >= 96 {
			break
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// identify derives the device key and protocol of an entity: the ESPHome
// node name for an ESPHome entity (so that the key is the node name an
// installer writes in the config), else the first device identifier, else
// the first connection, else the unique id, else the node id, else the
// object id of the config topic.
func (a *Adapter) identify(e *entity, ref entityRef, info deviceInfo) (string, devices.Protocol) {
	if e.nodeID != "" && a.isESPHome(e, ref, info) {
		return slug(e.nodeID), devices.ESPHome
	}
	for _, v := range [][]string{info.ids, info.connections, {e.uniqueID, e.nodeID, ref.objectID}} {
		for _, s := range v {
			if k := slug(s); k != "" {
				return k, devices.HASS
			}
		}
	}
	return "", devices.HASS
}

// isESPHome tells an ESPHome entity: its node announced itself on
// esphome/discover, or the origin is ESPHome, or the unique id has one of
// ESPHome's default forms ("ESP<component><object_id>", "<mac>-<component>-…").
func (a *Adapter) isESPHome(e *entity, ref entityRef, info deviceInfo) bool {
	if d, ok := a.devs[slug(e.nodeID)]; ok && d.node != nil {
		return true
	}
	if strings.EqualFold(info.origin, "esphome") {
		return true
	}
	uid := strings.ToLower(e.uniqueID)
	if uid != "" && uid == strings.ToLower("ESP"+ref.component+ref.objectID) {
		return true
	}
	for _, id := range info.ids {
		if id != "" && strings.HasPrefix(uid, strings.ToLower(id)+"-"+ref.component+"-") {
			return true
		}
	}
	return false
}

// addEntity learns e (replacing any entity of the same key) and returns the
// reports that say so: the device's Discovery, and the removal of the device
// the entity belonged to before, if that one is now empty.
func (a *Adapter) addEntity(e *entity, ref entityRef, info deviceInfo) []devices.Report {
	var out []devices.Report
	key, proto := a.identify(e, ref, info)
	e.deviceKey = key
	if old, ok := a.entities[e.key]; ok {
		if rs := a.removeEntity(old); old.deviceKey != key {
			out = append(out, rs...)
		}
	}
	d, ok := a.devs[key]
	if !ok {
		d = &device{key: key, protocol: proto, entities: map[string]*entity{}, avail: map[string]devices.Availability{}}
		a.devs[key] = d
	}
	mergeInfo(&d.info, info)
	d.entities[e.key] = e
	a.entities[e.key] = e
	for _, t := range e.topics() {
		a.addRoute(t.topic, route{role: t.role, entity: e.key})
	}
	return append(out, d.reports()...)
}

func mergeInfo(dst *deviceInfo, src deviceInfo) {
	if len(src.ids) > 0 {
		dst.ids = src.ids
	}
	if len(src.connections) > 0 {
		dst.connections = src.connections
	}
	dst.name = cmp(src.name, dst.name)
	dst.manufacturer = cmp(src.manufacturer, dst.manufacturer)
	dst.model = cmp(src.model, dst.model)
	dst.firmware = cmp(src.firmware, dst.firmware)
	dst.origin = cmp(src.origin, dst.origin)
}

// removeEntity forgets e. It returns the device's reports: a removal when
// the device has nothing left, else the removal of e's channel when e was
// one of several outputs, then the device's updated Discoveries.
func (a *Adapter) removeEntity(e *entity) []devices.Report {
	delete(a.entities, e.key)
	for _, t := range e.topics() {
		rs := a.routes[t.topic]
		kept := slices.DeleteFunc(slices.Clone(rs), func(r route) bool { return r.entity == e.key })
		if len(kept) == 0 {
			delete(a.routes, t.topic)
		} else {
			a.routes[t.topic] = kept
		}
	}
	d := a.devs[e.deviceKey]
	if d == nil {
		return nil
	}
	wasMulti := len(d.outputs()) > 1 && e.isOutput()
	delete(d.entities, e.key)
	for _, av := range e.avail {
		delete(d.avail, av.topic)
	}
	if len(d.entities) == 0 && d.node == nil {
		delete(a.devs, d.key)
		return []devices.Report{{Protocol: d.protocol, Key: d.key, Discovery: &devices.Discovery{Remove: true, ID: d.key, Topic: d.key}}}
	}
	var out []devices.Report
	if wasMulti {
		out = append(out, devices.Report{Protocol: d.protocol, Key: d.key, Channel: e.objectID,
			Discovery: &devices.Discovery{Remove: true, ID: devices.ChannelID(d.key, e.objectID), Topic: d.key}})
	}
	return append(out, d.reports()...)
}

// roleTopic is one topic of an entity and what it carries.
type roleTopic struct {
	topic string
	role  role
}

// topics lists the entity's non-empty topics.
func (e *entity) topics() []roleTopic {
	all := []roleTopic{{e.stateTopic, roleState}, {e.brightnessStateTopic, roleBrightness}, {e.imageTopic, roleImage},
		{e.commandTopic, roleCommand}, {e.brightnessCommandTopic, roleCommand}}
	for _, av := range e.avail {
		all = append(all, roleTopic{av.topic, roleAvailability})
	}
	return slices.DeleteFunc(all, func(t roleTopic) bool { return t.topic == "" })
}

// subscribed reports whether a topic with routes rs must be subscribed:
// command topics alone are published to, not read.
func subscribed(rs []route) bool {
	return slices.ContainsFunc(rs, func(r route) bool { return r.role != roleCommand })
}

// addRoute records that topic carries r, and signals Learned when the topic
// is new and not covered by the static subscriptions.
func (a *Adapter) addRoute(topic string, r route) {
	if topic == "" {
		return
	}
	rs := a.routes[topic]
	if slices.Contains(rs, r) {
		return
	}
	a.routes[topic] = append(rs, r)
	if !subscribed(rs) && r.role != roleCommand && !a.covered(topic) {
		select {
		case a.learned <- struct{}{}:
		default:
		}
	}
}
