package hass

import "github.com/hamlet-vn/hamlet/devices"

// TopicKey returns the device of a learned state or availability topic when
// every entity reading that topic belongs to the same device. Discovery
// topics and topics shared by several devices are not about one device.
func (a *Adapter) TopicKey(topic string) (string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := ""
	for _, r := range a.routes[topic] {
		k := r.device
		if r.role != roleNodeStatus {
			e := a.entities[r.entity]
			if e == nil {
				return "", false
			}
			k = e.deviceKey
		}
		if k == "" || key != "" && k != key {
			return "", false
		}
		key = k
	}
	return key, key != ""
}

var _ devices.TopicKeyer = (*Adapter)(nil)
