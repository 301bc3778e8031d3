package shelly

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// TopicKey returns the device prefix of <prefix>/online, …/events/rpc,
// …/status/<component> and shellies/<id>/…. Replies on <reply>/rpc and
// shellies/announce name their device in the payload only.
func (a *Adapter) TopicKey(topic string) (string, bool) {
	var prefix string
	switch {
	case topic == "shellies/announce":
		return "", false
	case strings.HasSuffix(topic, "/events/rpc"):
		prefix = strings.TrimSuffix(topic, "/events/rpc")
	case strings.HasSuffix(topic, "/rpc"):
		return "", false
	case strings.HasSuffix(topic, "/online"):
		prefix = strings.TrimSuffix(topic, "/online")
	default:
		if i := strings.LastIndex(topic, "/status/"); i > 0 && isComponent(topic[i+len("/status/"):]) {
			prefix = topic[:i]
		} else if rest, ok := strings.CutPrefix(topic, "shellies/"); ok {
			if id, _, _ := strings.Cut(rest, "/"); id != "" {
				prefix = "shellies/" + id
			}
		}
	}
	return prefix, prefix != ""
}

var _ devices.TopicKeyer = (*Adapter)(nil)
