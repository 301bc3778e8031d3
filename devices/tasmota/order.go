package tasmota

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// TopicKey returns the %topic% of a topic that fits a known FullTopic.
// Discovery records are not about a device known from the topic alone.
func (a *Adapter) TopicKey(topic string) (string, bool) {
	if strings.HasPrefix(topic, DiscoveryPrefix) {
		return "", false
	}
	_, key, _, ok := a.match(topic)
	return key, ok && key != ""
}

var _ devices.TopicKeyer = (*Adapter)(nil)
