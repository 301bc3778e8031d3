package native

import "github.com/hamlet-vn/hamlet/devices"

// TopicKey returns the device level of <prefix>/<area>/<device>/<message>.
func (a *Adapter) TopicKey(topic string) (string, bool) {
	device, _, ok := a.split(topic)
	if !ok || device == DaemonLevel {
		return "", false
	}
	return device, true
}

var _ devices.TopicKeyer = (*Adapter)(nil)
