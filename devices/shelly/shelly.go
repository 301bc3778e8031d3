// Package shelly is hamlet's adapter for Shelly relays, dimmers and meters:
// Gen2/Gen3 (RPC over MQTT: <prefix>/online, <prefix>/events/rpc
// notifications, <prefix>/status/<component>, responses on <src>/rpc) and
// Gen1 (shellies/<id>/relay/0, …/light/0/status, shellies/announce).
//
// A device's key is its MQTT topic prefix, which may have several levels
// (shelly/ug/heizraum/trockner), so topics are parsed from the right end.
// The adapter learns, per prefix, the device id (the RPC "src"), its
// generation and whether it is a dimmer; Decode updates this table (guarded
// by a mutex, so Decode and Encode may run on several goroutines) and
// Encode uses it to choose Switch.Set, Light.Set or the Gen1 topics.
package shelly

import (
	"strings"
	"sync"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultReplyPrefix is the RPC reply prefix used when New is given none.
const DefaultReplyPrefix = "hamletd"

// maxPeers bounds the learned table against floods of made-up prefixes.
const maxPeers = 10000

// maxDepth is the deepest topic prefix the subscriptions cover.
const maxDepth = 4

// peer is what the adapter learned about one topic prefix.
type peer struct {
	id     string // device id, e.g. shellyplus1pm-4417939341dc
	gen1   bool
	dimmer bool
	// outputs are the output component ids seen; multi is true once one
	// other than 0 was seen.
	outputs map[string]bool
	multi   bool
}

// Adapter decodes Shelly messages and encodes light commands. Create it with
// New; it is safe for concurrent use.
type Adapter struct {
	reply string

	mu      sync.Mutex
	peers   map[string]*peer // by topic prefix
	bySrc   map[string]string
	pending map[string]string // RPC request id → channel, for the answers
}

// New returns an adapter whose RPC requests name replyPrefix as their "src",
// so that devices answer on <replyPrefix>/rpc, e.g. "hamletd-khu10". If
// replyPrefix is empty, DefaultReplyPrefix is used. New has no side effects.
func New(replyPrefix string) *Adapter {
	replyPrefix = strings.TrimSuffix(replyPrefix, "/")
	if replyPrefix == "" {
		replyPrefix = DefaultReplyPrefix
	}
	return &Adapter{reply: replyPrefix, peers: map[string]*peer{}, bySrc: map[string]string{}, pending: map[string]string{}}
}

// Protocol returns devices.Shelly.
func (a *Adapter) Protocol() devices.Protocol { return devices.Shelly }

// Subscriptions returns shellies/# (Gen1, and Gen2 devices given a
// shellies/… prefix), <replyPrefix>/rpc (answers to hamlet's requests), and
// <prefix>/online, <prefix>/events/rpc and <prefix>/status/+ for prefixes of
// one to four levels (MQTT has no filter for "any number of levels, then
// events/rpc"; a deeper prefix needs a shellies/… prefix or a shorter one).
// Overlapping filters may deliver a message twice; decoding is idempotent.
func (a *Adapter) Subscriptions() []string {
	subs := []string{"shellies/#", a.reply + "/rpc"}
	p := ""
	for range maxDepth {
		p += "+/"
		subs = append(subs, p+"online", p+"events/rpc", p+"status/+")
	}
	return subs
}

// Decode turns one message into reports. It learns each prefix's device id
// and generation as a side effect.
func (a *Adapter) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	reps, err := a.decode(topic, payload)
	if err != nil {
		return nil, err
	}
	return reps, nil
}

func (a *Adapter) decode(topic string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	switch {
	case topic == "shellies/announce":
		return a.announce(payload)
	case strings.HasSuffix(topic, "/events/rpc"):
		return a.notification(strings.TrimSuffix(topic, "/events/rpc"), payload)
	case strings.HasSuffix(topic, "/rpc"):
		return a.rpc(topic, payload)
	case strings.HasSuffix(topic, "/online"):
		return online(strings.TrimSuffix(topic, "/online"), payload)
	case strings.HasSuffix(topic, "/command") || strings.Contains(topic, "/command/") || topic == "shellies/command":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s is a command topic (published by a controller, not a device)", topic)
	}
	if i := strings.LastIndex(topic, "/status/"); i > 0 {
		comp := topic[i+len("/status/"):]
		if isComponent(comp) {
			return a.status(topic[:i], comp, payload)
		}
	}
	if rest, ok := strings.CutPrefix(topic, "shellies/"); ok {
		return a.gen1(topic, rest, payload)
	}
	return nil, devices.Errorf(devices.ReasonUnknownTopic, "%s is not a Shelly topic (want <prefix>/online, …/events/rpc, …/status/<component> or shellies/…)", topic)
}

// online decodes <prefix>/online: "true" or "false" (the Last Will).
func online(prefix string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	if prefix == "" {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "online without a topic prefix")
	}
	var av devices.Availability
	switch strings.TrimSpace(string(payload)) {
	case "true":
		av = devices.Online
	case "false":
		av = devices.Offline
	case "":
		return nil, devices.Errorf(devices.ReasonEmpty, "%s/online: empty payload (cleared), want true or false", prefix)
	default:
		return nil, devices.Errorf(devices.ReasonWrongType, "%s/online: %s is neither true nor false", prefix, devices.Quote(string(payload)))
	}
	return []devices.Report{{Protocol: devices.Shelly, Key: prefix, Availability: av}}, nil
}

// learn records what a message said about prefix and returns a Discovery
// when the prefix (or its device id) is new. The caller holds a.mu.
func (a *Adapter) learn(prefix, id string, gen1, dimmer bool) *devices.Discovery {
	p, ok := a.peers[prefix]
	if !ok {
		if len(a.peers) >= maxPeers {
			return nil
		}
		p = &peer{}
		a.peers[prefix] = p
	}
	p.gen1 = p.gen1 || gen1
	p.dimmer = p.dimmer || dimmer
	if id == "" || id == p.id {
		return nil
	}
	delete(a.bySrc, p.id)
	p.id = id
	a.bySrc[id] = prefix
	model, _, _ := strings.Cut(id, "-")
	return &devices.Discovery{ID: id, Name: id, Model: model, Topic: prefix}
}

var _ devices.Adapter = (*Adapter)(nil)
