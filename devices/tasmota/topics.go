// Package tasmota is the adapter for Tasmota firmware: LWT availability,
// stat/ RESULT and POWER replies, tele/ STATE and SENSOR telemetry, and
// Tasmota's own discovery (tasmota/discovery/<MAC>/config and /sensors),
// which teaches the adapter each device's FullTopic. Commands go to the
// device's cmnd topic, never retained.
package tasmota

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultFullTopic is Tasmota's default FullTopic.
const DefaultFullTopic = "%prefix%/%topic%/"

// DiscoveryPrefix is the first two levels of Tasmota's discovery topics.
const DiscoveryPrefix = "tasmota/discovery/"

// Limits on what discovery messages may add to the adapter's topic table, so
// that a flood of forged discovery messages cannot grow it without bound.
const (
	maxPatterns = 64
	maxDevices  = 4096
)

// defaultPrefixes are Tasmota's Prefix1..3.
var defaultPrefixes = [3]string{"cmnd", "stat", "tele"}

// Prefix indexes into a pattern's prefixes.
const (
	cmnd = iota
	stat
	tele
)

// pattern is one FullTopic with the prefixes it is used with.
type pattern struct {
	full     string
	levels   []string // the FullTopic's levels without the trailing empty one
	prefixes [3]string
	literals int // levels that are not %…% tokens
}

// device is what discovery (or the config) taught about one %topic%.
type device struct {
	fullTopic string
	prefixes  [3]string
	hostname  string
	mac       string // the full MAC, for %id%
	online    string // the LWT strings, from discovery's onln/ofln
	offline   string
	stateOff  string // StateText1 and StateText2, from discovery's state
	stateOn   string
}

// Adapter decodes and encodes Tasmota messages. Its topic table (FullTopic
// patterns and what discovery taught about each device) is guarded by a
// mutex: the adapter is safe for concurrent use, and Decode of a discovery
// message updates the table that later Decode and Encode calls read.
type Adapter struct {
	discovery bool

	mu       sync.RWMutex
	patterns []pattern         // most specific first; always holds the default
	devices  map[string]device // by %topic%
	macs     map[string]string // discovery MAC (upper case) → %topic%
	learned  chan struct{}     // signalled when a new FullTopic was learned
}

// Option configures an Adapter.
type Option func(*Adapter)

// WithoutDiscovery turns Tasmota discovery off: tasmota/discovery/# is not
// subscribed and messages there are ignored.
func WithoutDiscovery() Option { return func(a *Adapter) { a.discovery = false } }

// New returns an adapter that knows the default FullTopic and, unless
// WithoutDiscovery is given, learns others from Tasmota discovery.
func New(opts ...Option) *Adapter {
	a := &Adapter{discovery: true, devices: map[string]device{}, macs: map[string]string{}, learned: make(chan struct{}, 1)}
	for _, o := range opts {
		o(a)
	}
	p, _ := parsePattern(DefaultFullTopic, defaultPrefixes)
	a.patterns = []pattern{p}
	return a
}

// Protocol returns devices.Tasmota.
func (a *Adapter) Protocol() devices.Protocol { return devices.Tasmota }

// AddDevice registers a configured device: its %topic% and its FullTopic
// (empty means DefaultFullTopic). The pattern is then used to recognise the
// topics of every device that shares it, and to build the device's command
// topics. It fails on a FullTopic without %prefix% and %topic%, or with MQTT
// wildcards.
func (a *Adapter) AddDevice(topic, fullTopic string) error {
	if topic == "" || strings.ContainsAny(topic, "/+#") {
		return fmt.Errorf("tasmota: topic %s must be one non-empty level without + or #", devices.Quote(topic))
	}
	if fullTopic == "" {
		fullTopic = DefaultFullTopic
	}
	p, err := parsePattern(fullTopic, defaultPrefixes)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	d := a.devices[topic]
	d.fullTopic, d.prefixes = fullTopic, defaultPrefixes
	a.devices[topic] = d
	a.addPatternLocked(p)
	return nil
}

// parsePattern checks and splits a FullTopic.
func parsePattern(full string, prefixes [3]string) (pattern, error) {
	if !strings.Contains(full, "%prefix%") || !(strings.Contains(full, "%topic%") || strings.Contains(full, "%hostname%") || strings.Contains(full, "%id%")) {
		return pattern{}, fmt.Errorf("tasmota: FullTopic %s must contain %%prefix%% and %%topic%%", devices.Quote(full))
	}
	if strings.ContainsAny(full, "+#\x00") {
		return pattern{}, fmt.Errorf("tasmota: FullTopic %s contains an MQTT wildcard", devices.Quote(full))
	}
	for _, p := range prefixes {
		if p == "" || strings.ContainsAny(p, "/+#") {
			return pattern{}, fmt.Errorf("tasmota: prefix %s must be one non-empty level", devices.Quote(p))
		}
	}
	levels := strings.Split(strings.TrimSuffix(full, "/"), "/")
	p := pattern{full: full, levels: levels, prefixes: prefixes}
	seen := map[string]bool{}
	for _, l := range levels {
		switch {
		case l == "":
			return pattern{}, fmt.Errorf("tasmota: FullTopic %s has an empty level", devices.Quote(full))
		case isToken(l):
			if seen[l] {
				return pattern{}, fmt.Errorf("tasmota: FullTopic %s repeats %s", devices.Quote(full), l)
			}
			seen[l] = true
		case strings.Contains(l, "%"):
			return pattern{}, fmt.Errorf("tasmota: FullTopic %s: level %s mixes a token with text", devices.Quote(full), devices.Quote(l))
		default:
			p.literals++
		}
	}
	return p, nil
}

func isToken(l string) bool {
	return l == "%prefix%" || l == "%topic%" || l == "%hostname%" || l == "%id%"
}

func (a *Adapter) addPatternLocked(p pattern) bool {
	for _, q := range a.patterns {
		if q.full == p.full && q.prefixes == p.prefixes {
			return true
		}
	}
	if len(a.patterns) >= maxPatterns {
		return false
	}
	a.patterns = append(a.patterns, p)
	slices.SortStableFunc(a.patterns, func(x, y pattern) int { return y.literals - x.literals })
	select {
	case a.learned <- struct{}{}:
	default:
	}
	return true
}

// Learned returns a channel that receives a value (coalesced: at most one
// pending) when AddDevice or a discovery message added a FullTopic, so that
// Subscriptions grew. It is never closed.
func (a *Adapter) Learned() <-chan struct{} { return a.learned }

// Subscriptions returns, for every known FullTopic and each of its three
// prefixes, the filter with %topic% (and %hostname%, %id%) replaced by + and
// "#" for the command level, e.g. tele/+/# or std/+/s/stat/#; plus
// tasmota/discovery/# when discovery is on. The cmnd filters are there so
// that a retained command (which makes Tasmota switch by itself, "ghost
// switching") can be reported; RetainedOnly names them. The list grows when discovery teaches a new
// FullTopic: resubscribe when it changes.
func (a *Adapter) Subscriptions() []string {
	subs, _ := a.filters()
	return subs
}

// RetainedOnly implements devices.RetainedScanner: the cmnd filters. A
// command seen live is ignored (MQTT 3.1.1 clears the retain flag of live
// messages, so live delivery cannot even tell a retained one); only the
// retained commands sent when subscribing are worth reading.
func (a *Adapter) RetainedOnly(filter string) bool {
	_, scans := a.filters()
	return slices.Contains(scans, filter)
}

// filters returns Subscriptions and, of those, the ones that only cmnd
// topics match (a FullTopic without %prefix% gives one filter for all three).
func (a *Adapter) filters() (subs, scans []string) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var live []string
	if a.discovery {
		subs = append(subs, DiscoveryPrefix+"#")
		live = append(live, DiscoveryPrefix+"#")
	}
	for _, p := range a.patterns {
		for i, prefix := range p.prefixes {
			f := strings.Join(append(p.filterLevels(prefix), "#"), "/")
			if !slices.Contains(subs, f) {
				subs = append(subs, f)
			}
			if i != cmnd {
				live = append(live, f)
			}
		}
	}
	for _, p := range a.patterns {
		f := strings.Join(append(p.filterLevels(p.prefixes[cmnd]), "#"), "/")
		if !slices.Contains(live, f) && !slices.Contains(scans, f) {
			scans = append(scans, f)
		}
	}
	return subs, scans
}

// filterLevels returns p's levels with %prefix% replaced by prefix and the
// other tokens by +.
func (p pattern) filterLevels(prefix string) []string {
	levels := make([]string, 0, len(p.levels)+1)
	for _, l := range p.levels {
		switch {
		case l == "%prefix%":
			l = prefix
		case isToken(l):
			l = "+"
		}
		levels = append(levels, l)
	}
	return levels
}

// match finds the pattern that topic fits and returns the prefix index, the
// device key (%topic%, else %hostname% or %id%) and the command (the last level).
func (a *Adapter) match(topic string) (prefix int, key, command string, ok bool) {
	var buf [16]string
	levels := splitLevels(buf[:0], topic)
	a.mu.RLock()
	defer a.mu.RUnlock()
patterns:
	for _, p := range a.patterns {
		if len(levels) != len(p.levels)+1 || levels[len(levels)-1] == "" {
			continue
		}
		var fallback string
		prefix, key = -1, ""
		for i, l := range p.levels {
			v := levels[i]
			if v == "" {
				continue patterns
			}
			switch l {
			case "%prefix%":
				if prefix = slices.Index(p.prefixes[:], v); prefix < 0 {
					continue patterns
				}
			case "%topic%":
				key = v
			case "%hostname%", "%id%":
				fallback = v
			default:
				if l != v {
					continue patterns
				}
			}
		}
		if key == "" {
			key = fallback
		}
		return prefix, key, levels[len(levels)-1], true
	}
	return 0, "", "", false
}

// splitLevels appends the levels of topic to dst, as strings.Split(topic,
// "/") returns them, without allocating when dst has room.
func splitLevels(dst []string, topic string) []string {
	for {
		i := strings.IndexByte(topic, '/')
		if i < 0 {
			return append(dst, topic)
		}
		dst = append(dst, topic[:i])
		topic = topic[i+1:]
	}
}

// lookup returns what is known about the device with %topic% key.
func (a *Adapter) lookup(key string) (device, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	d, ok := a.devices[key]
	return d, ok
}

var _ devices.Adapter = (*Adapter)(nil)
