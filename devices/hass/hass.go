// Package hass is hamlet's adapter for Home Assistant MQTT discovery, which
// also covers ESPHome's native MQTT component (ESPHome publishes Home
// Assistant discovery and answers on esphome/discover/<node>).
//
// Discovery configs (<prefix>/<component>/[<node_id>/]<object_id>/config and
// the device form <prefix>/device/<id>/config with "cmps") are expanded
// (every abbreviation, the "~" base topic) and learned: which topic carries
// which entity's state, availability, brightness, image or commands. Decode
// of a discovery message therefore updates the adapter's table, which is
// guarded by a mutex so that Decode and Encode may be called from several
// goroutines. State messages on learned topics decode to Reports; any other
// topic outside the discovery prefix is devices.ReasonUnknownTopic.
//
// Entities map onto hamlet devices by their Home Assistant device: one
// device per device identifier, or per node for ESPHome, whose key is then
// the node name and whose protocol is devices.ESPHome. A light entity makes
// the device a light, a camera a camera, a siren or notify a speaker; sensor
// values become metrics of whatever kind the device has.
package hass

import (
	"slices"
	"strings"
	"sync"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultPrefix is Home Assistant's default discovery prefix.
const DefaultPrefix = "homeassistant"

// Adapter decodes Home Assistant discovery and the states it announces, and
// encodes light (and siren) commands to the learned command topics. Create it
// with New; it is safe for concurrent use.
type Adapter struct {
	prefix string

	mu       sync.Mutex
	entities map[string]*entity // by entity key
	devs     map[string]*device // by device key
	routes   map[string][]route // by topic
	learned  chan struct{}      // signalled when a topic to subscribe was learned
}

// New returns an adapter for the discovery prefix prefix. If prefix is
// empty, DefaultPrefix is used; a trailing "/" is dropped. New has no side
// effects.
func New(prefix string) *Adapter {
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Adapter{
		prefix:   prefix,
		entities: map[string]*entity{},
		devs:     map[string]*device{},
		routes:   map[string][]route{},
		learned:  make(chan struct{}, 1),
	}
}

// Protocol returns devices.HASS. Reports about ESPHome nodes carry
// devices.ESPHome instead, so a router must send commands for both
// protocols to this adapter.
func (a *Adapter) Protocol() devices.Protocol { return devices.HASS }

// Subscriptions returns "<prefix>/#", "esphome/discover/#" and every topic
// learned so far that these do not cover (ESPHome and other firmware publish
// state under their own prefix), sorted.
//
// Subscriptions are made at connect, but topics are learned later, from
// retained discovery configs delivered after subscribing. Rather than
// subscribing to "#" (every message of the broker would reach the daemon),
// the adapter signals on Learned whenever it learns a topic not yet covered;
// the caller then calls Subscriptions again and subscribes to the filters it
// has not subscribed yet (only those: re-subscribing makes the broker resend
// retained messages). Since state and availability topics are retained by
// ESPHome and most bridges, nothing is lost between learning and
// subscribing. On reconnect the caller subscribes to the full list.
func (a *Adapter) Subscriptions() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	subs := make([]string, 0, len(a.routes))
	for t, rs := range a.routes {
		if subscribed(rs) && !a.covered(t) {
			subs = append(subs, t)
		}
	}
	slices.Sort(subs)
	return append([]string{a.prefix + "/#", "esphome/discover/#"}, subs...)
}

// Learned returns a channel that receives a value (coalesced: at most one
// pending) whenever Decode learned a topic that Subscriptions did not list
// before. It is never closed.
func (a *Adapter) Learned() <-chan struct{} { return a.learned }

// covered reports whether the static subscriptions already cover topic.
func (a *Adapter) covered(topic string) bool {
	return strings.HasPrefix(topic, a.prefix+"/") || strings.HasPrefix(topic, "esphome/discover/")
}

// Decode turns one message into reports. Discovery configs and
// esphome/discover answers update the learned table (and yield Discovery
// reports); messages on learned topics yield state, metrics, events and
// availability. Home Assistant's own status, command topics and ESPHome
// discovery requests are devices.ReasonIgnored; anything else is
// devices.ReasonUnknownTopic.
func (a *Adapter) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	reports, err := a.decode(topic, payload, retained)
	if err != nil {
		return nil, err
	}
	return reports, nil
}

func (a *Adapter) decode(topic string, payload []byte, retained bool) ([]devices.Report, *devices.DecodeError) {
	if err := devices.CheckSize(payload); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if rs := a.routes[topic]; len(rs) > 0 {
		return a.decodeLearned(topic, rs, payload, retained)
	}
	if rest, ok := strings.CutPrefix(topic, a.prefix+"/"); ok {
		switch {
		case rest == "status":
			return nil, devices.Errorf(devices.ReasonIgnored, "%s is Home Assistant's own birth and will message (%s); hamlet does not follow it", topic, devices.Quote(string(payload)))
		case strings.HasSuffix(rest, "/config"):
			return a.decodeConfig(topic, rest, payload)
		case strings.HasSuffix(rest, "/set") || strings.HasSuffix(rest, "/command"):
			return nil, devices.Errorf(devices.ReasonIgnored, "%s is a command topic (published by a controller, not a device)", topic)
		}
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "no discovery config declares %s as a state or availability topic (yet)", topic)
	}
	if node, ok := strings.CutPrefix(topic, "esphome/discover/"); ok {
		return a.decodeESPHome(topic, node, payload)
	}
	if topic == "esphome/discover" || strings.HasPrefix(topic, "esphome/ping/") {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s is an ESPHome discovery request, not an answer", topic)
	}
	return nil, devices.Errorf(devices.ReasonUnknownTopic, "no discovery config declares %s as a state or availability topic", topic)
}

var _ devices.Adapter = (*Adapter)(nil)
