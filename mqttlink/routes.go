package mqttlink

import "sync"

// subscription is one registered filter and its handler.
type subscription struct {
	filter  string
	qos     byte
	handler Handler
	autoAck bool
	scan    bool // subscribed only during scans (Link.SubscribeScan)
}

// maxMatchCache bounds the topics whose matching subscriptions routes
// remembers; the cache is emptied when it is full.
const maxMatchCache = 8192

// routes is the table of subscriptions, matched in registration order. The
// subscriptions matching a topic are remembered until the table changes: a
// device publishes on the same few topics again and again, and matching
// every filter for every message costs more than a map lookup.
type routes struct {
	mu    sync.RWMutex
	subs  []subscription
	cache map[string][]subscription
}

// add registers s, replacing an earlier subscription with the same filter.
func (r *routes) add(s subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache = nil
	for i := range r.subs {
		if r.subs[i].filter == s.filter {
			r.subs[i] = s
			return
		}
	}
	r.subs = append(r.subs, s)
}

// match returns the subscriptions whose filter matches topic. The slice is
// shared: callers must not modify it.
func (r *routes) match(topic string) []subscription {
	r.mu.RLock()
	out, ok := r.cache[topic]
	r.mu.RUnlock()
	if ok {
		return out
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.subs {
		if MatchTopic(s.filter, topic) {
			out = append(out, s)
		}
	}
	if r.cache == nil || len(r.cache) >= maxMatchCache {
		r.cache = make(map[string][]subscription)
	}
	r.cache[topic] = out
	return out
}

// filters returns every filter kept subscribed (scan false) or scanned
// (scan true) with its QoS, for SUBSCRIBE.
func (r *routes) filters(scan bool) map[string]byte {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]byte, len(r.subs))
	for _, s := range r.subs {
		if s.scan == scan {
			out[s.filter] = s.qos
		}
	}
	return out
}
