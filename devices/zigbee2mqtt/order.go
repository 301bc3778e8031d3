package zigbee2mqtt

import "github.com/hamlet-vn/hamlet/devices"

// TopicKey returns the friendly name of <base>/<name>[/availability].
func (a *Adapter) TopicKey(topic string) (string, bool) {
	kind, name := a.classify(topic)
	switch kind {
	case kindState, kindAvailability, kindCommand:
		return name, name != ""
	}
	return "", false
}

var _ devices.TopicKeyer = (*Adapter)(nil)
