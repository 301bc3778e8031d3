package protocols

import (
	"fmt"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/tasmota"
)

// Declare registers a device declared after the router was built (a config
// reload). Only Tasmota keeps a table of declared topics; the other adapters
// read every device of their protocol already. When the subscriptions grow,
// Learned signals it, as after discovery.
func (r *Router) Declare(d devices.Device) error {
	if d.Protocol != devices.Tasmota {
		return nil
	}
	tas, ok := r.byProto[devices.Tasmota].(*tasmota.Adapter)
	if !ok {
		return fmt.Errorf("protocols: no tasmota adapter for device %s", d.ID)
	}
	before := len(r.Subscriptions()) + len(r.Scans())
	if err := tas.AddDevice(d.Topic, d.FullTopic); err != nil {
		return fmt.Errorf("protocols: device %s: %w", d.ID, err)
	}
	r.rebuild()
	if len(r.Subscriptions())+len(r.Scans()) != before {
		select {
		case r.learned <- struct{}{}:
		default:
		}
	}
	return nil
}
