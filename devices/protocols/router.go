// Package protocols joins the protocol adapters: it builds each one from an
// explicit list (no registries), routes every received message to the
// adapter whose subscriptions match its topic, and hands out the adapter that
// encodes a device's commands.
package protocols

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/frigate"
	"github.com/hamlet-vn/hamlet/devices/hass"
	"github.com/hamlet-vn/hamlet/devices/native"
	"github.com/hamlet-vn/hamlet/devices/shelly"
	"github.com/hamlet-vn/hamlet/devices/speakers"
	"github.com/hamlet-vn/hamlet/devices/tasmota"
	"github.com/hamlet-vn/hamlet/devices/zigbee2mqtt"
)

// Options configures the adapters of a Router. The zero value of each field
// is the protocol's default.
type Options struct {
	// NativePrefix and Area give the native topics <prefix>/<area>/…;
	// NativePrefix defaults to "hamlet". Area is required.
	NativePrefix string
	Area         string
	// Zigbee2MQTTBase is Zigbee2MQTT's base topic. Default "zigbee2mqtt".
	Zigbee2MQTTBase string
	// SonosPrefix is sonos2mqtt's prefix. Default "sonos".
	SonosPrefix string
	// FrigatePrefix is Frigate's topic prefix. Default "frigate".
	FrigatePrefix string
	// ShellyReplyPrefix is the "src" of hamlet's Shelly RPC requests: devices
	// answer on <ShellyReplyPrefix>/rpc. Use something unique to this daemon,
	// such as its MQTT client id. Default "hamletd".
	ShellyReplyPrefix string
	// HASSEnabled turns Home Assistant discovery (and so ESPHome) on;
	// HASSPrefix is its prefix, default "homeassistant".
	HASSEnabled bool
	HASSPrefix  string
	// TasmotaDiscovery turns Tasmota's own discovery (tasmota/discovery/#) on.
	TasmotaDiscovery bool
	// Devices are the configured devices. Tasmota devices' topics and custom
	// FullTopics are registered with the Tasmota adapter.
	Devices []devices.Device
}

// learner is implemented by adapters that learn topics at run time (from
// discovery) and signal when their Subscriptions grew.
type learner interface {
	Learned() <-chan struct{}
}

// Router routes messages to adapters and commands to the adapter of their
// protocol. It is safe for concurrent use.
type Router struct {
	adapters []devices.Adapter // in routing priority order
	byProto  map[devices.Protocol]devices.Adapter
	learned  chan struct{}
	// rebuildMu serializes rebuild; mu guards routes and matched.
	rebuildMu sync.Mutex
	mu        sync.RWMutex
	routes    []route // cached filters; rebuilt when an adapter learned topics
	// matched remembers, per topic, the adapters whose filters match it, in
	// priority order: a device publishes on the same few topics again and
	// again, and matching every filter for every message costs more than a
	// map lookup. Emptied by rebuild and when it holds maxMatched topics.
	matched map[string][]devices.Adapter
}

// maxMatched bounds Router.matched.
const maxMatched = 8192

type route struct {
	filter  string
	adapter devices.Adapter
	scan    bool // only its retained messages are read (devices.RetainedScanner)
}

// New builds every adapter from opts. It fails when a configured device is
// unusable (a Tasmota device with a bad FullTopic) or Area is empty.
//
// The adapters, in routing priority order: native, tasmota, zigbee2mqtt,
// sonos2mqtt, frigate, shelly (whose filters such as +/+/status/+ are the
// broadest of the bridges'), then the Home Assistant discovery adapter (which
// also speaks ESPHome) last, because Zigbee2MQTT and sonos2mqtt publish Home
// Assistant discovery for topics that their dedicated adapter reads better.
func New(opts Options) (*Router, error) {
	if opts.Area == "" {
		return nil, errors.New("protocols: the area id is required for the native topics")
	}
	tasOpts := []tasmota.Option{}
	if !opts.TasmotaDiscovery {
		tasOpts = append(tasOpts, tasmota.WithoutDiscovery())
	}
	tas := tasmota.New(tasOpts...)
	for _, d := range opts.Devices {
		if d.Protocol != devices.Tasmota {
			continue
		}
		if err := tas.AddDevice(d.Topic, d.FullTopic); err != nil {
			return nil, fmt.Errorf("protocols: device %s: %w", d.ID, err)
		}
	}
	r := &Router{
		byProto: map[devices.Protocol]devices.Adapter{},
		learned: make(chan struct{}, 1),
	}
	r.add(native.New(opts.NativePrefix, opts.Area))
	r.add(tas)
	r.add(zigbee2mqtt.New(opts.Zigbee2MQTTBase))
	r.add(speakers.NewSonos(opts.SonosPrefix))
	r.add(frigate.New(opts.FrigatePrefix))
	r.add(shelly.New(opts.ShellyReplyPrefix))
	if opts.HASSEnabled {
		h := hass.New(opts.HASSPrefix)
		r.add(h)
		r.byProto[devices.ESPHome] = h // ESPHome is read through its HA discovery
	}
	for _, a := range r.adapters {
		if l, ok := a.(learner); ok { // what was learned so far is in rebuild
			select {
			case <-l.Learned():
			default:
			}
		}
	}
	r.rebuild()
	return r, nil
}

func (r *Router) add(a devices.Adapter) {
	r.adapters = append(r.adapters, a)
	r.byProto[a.Protocol()] = a
}

// rebuild recomputes the cached routes from the adapters' subscriptions.
// Rebuilds are serialized: two decoders that each learned a topic could
// otherwise store their routes in the reverse order of computing them, and
// the older list, missing the other's topic, would stay.
func (r *Router) rebuild() {
	r.rebuildMu.Lock()
	defer r.rebuildMu.Unlock()
	var routes []route
	for _, a := range r.adapters {
		sc, _ := a.(devices.RetainedScanner)
		for _, f := range a.Subscriptions() {
			routes = append(routes, route{filter: f, adapter: a, scan: sc != nil && sc.RetainedOnly(f)})
		}
	}
	r.mu.Lock()
	r.routes = routes
	r.matched = nil
	r.mu.Unlock()
}

// candidates returns the adapters with a filter matching topic, in priority
// order. The slice is shared: callers must not modify it.
func (r *Router) candidates(topic string) []devices.Adapter {
	r.mu.RLock()
	c, ok := r.matched[topic]
	r.mu.RUnlock()
	if ok {
		return c
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.adapters {
		for _, rt := range r.routes {
			if rt.adapter == a && devices.MatchTopic(rt.filter, topic) {
				c = append(c, a)
				break
			}
		}
	}
	if r.matched == nil || len(r.matched) >= maxMatched {
		r.matched = make(map[string][]devices.Adapter)
	}
	r.matched[topic] = c
	return c
}

// Subscriptions returns the union of the adapters' topic filters to keep
// subscribed, without duplicates, in adapter order; Scans returns the others.
// Both grow when discovery teaches an adapter a new topic: Learned signals it.
func (r *Router) Subscriptions() []string { return r.filters(false) }

// Scans returns the filters worth subscribing only for their retained
// messages (devices.RetainedScanner: Tasmota's command topics), which a
// filter kept by another adapter is not. Subscribe them briefly on every
// connection and now and then (mqttlink.Link.SubscribeScan).
func (r *Router) Scans() []string { return r.filters(true) }

func (r *Router) filters(scan bool) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	kept := func(f string) bool {
		return slices.ContainsFunc(r.routes, func(rt route) bool { return rt.filter == f && !rt.scan })
	}
	subs := make([]string, 0, len(r.routes))
	for _, rt := range r.routes {
		if !slices.Contains(subs, rt.filter) && kept(rt.filter) != scan {
			subs = append(subs, rt.filter)
		}
	}
	return subs
}

// Learned returns a channel that receives a value (coalesced: at most one
// pending) after a Decode that made Subscriptions grow. The caller then
// subscribes to the filters it has not subscribed yet. It is never closed.
func (r *Router) Learned() <-chan struct{} { return r.learned }

// Adapter returns the adapter that encodes commands for protocol p (ESPHome
// devices are encoded by the Home Assistant adapter), or nil when none is
// configured.
func (r *Router) Adapter(p devices.Protocol) devices.Adapter { return r.byProto[p] }

// Encode encodes cmd with the adapter of cmd.Device.Protocol.
func (r *Router) Encode(cmd devices.Command) ([]devices.Message, error) {
	a := r.Adapter(cmd.Device.Protocol)
	if a == nil {
		return nil, fmt.Errorf("protocols: no adapter for protocol %q of device %s", cmd.Device.Protocol, cmd.Device.ID)
	}
	return a.Encode(cmd)
}

// Decode decodes one message with the adapters whose filters match topic, in
// priority order: the first adapter that does not answer ReasonUnknownTopic
// decides (its reports, or its *devices.DecodeError), so that one message is
// never reported twice under two protocols. A topic that no adapter
// subscribes to, or that every matching adapter calls unknown, is
// ReasonUnknownTopic. The error is always a *devices.DecodeError.
func (r *Router) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	candidates := r.candidates(topic)
	if len(candidates) == 0 {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "no adapter subscribes to %s", devices.Quote(topic))
	}
	var unknown error
	for _, a := range candidates {
		reps, err := r.decodeWith(a, topic, payload, retained)
		var de *devices.DecodeError
		if err != nil && errors.As(err, &de) && de.Reason == devices.ReasonUnknownTopic {
			if unknown == nil {
				unknown = err
			}
			continue
		}
		return reps, err
	}
	return nil, unknown
}

// decodeWith calls a.Decode, turns a foreign error type into a
// *devices.DecodeError, and notices when a learning adapter grew its subscriptions.
func (r *Router) decodeWith(a devices.Adapter, topic string, payload []byte, retained bool) ([]devices.Report, error) {
	reps, err := a.Decode(topic, payload, retained)
	if err != nil {
		var de *devices.DecodeError
		if !errors.As(err, &de) {
			err = devices.Errorf(devices.ReasonMalformed, "%s: %v", a.Protocol(), err)
		}
		reps = nil
	}
	if l, ok := a.(learner); ok {
		select {
		case <-l.Learned():
			r.rebuild()
			select {
			case r.learned <- struct{}{}:
			default:
			}
		default:
		}
	}
	return reps, err
}
