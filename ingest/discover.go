package ingest

import (
	"context"
	"log/slog"

	"github.com/hamlet-vn/hamlet/devices"
)

// discover applies a discovery report: it adds (or updates) the device in the
// registry and the store, or forgets it when its record was cleared.
func (p *Pipeline) discover(addr devices.Address, r devices.Report) {
	disc := r.Discovery
	if disc.Remove {
		if d, ok := p.opts.Registry.Forget(addr); ok {
			err := p.storeWrite("delete discovered device", func(ctx context.Context) error {
				return p.opts.Store.DeleteDiscovered(ctx, d.ID)
			})
			if err != nil {
				p.log.Error("discovered device not deleted", "device", d.ID, "err", err)
			}
			p.log.Info("device withdrawn by discovery", "device", d.ID)
		}
		return
	}
	id := disc.ID
	if id == "" {
		id = discoveredID(addr.Protocol, addr.Key)
	}
	name := disc.Name
	if name == "" {
		name = id
	}
	topic := addr.Key
	if disc.Topic != "" {
		topic = disc.Topic
	}
	d := devices.Device{ID: id, Name: name, Kind: r.Kind, Zone: "", Protocol: addr.Protocol, Topic: topic, FullTopic: disc.FullTopic}
	p.add(d, disc.Model, disc.Firmware)
}

// register adds a device first heard without any discovery record. It
// returns false when the discovery bound is reached.
func (p *Pipeline) register(addr devices.Address, r devices.Report) bool {
	if addr.Key == "" {
		return false
	}
	kind := r.Kind
	if kind == "" {
		kind = defaultKind(addr.Protocol)
	}
	id := discoveredID(addr.Protocol, addr.Key)
	if addr.Protocol == devices.Native {
		id = addr.Key // a native device's id is its topic level (devices.AddressOf), as its info record says
	}
	d := devices.Device{ID: id, Name: addr.Key, Kind: kind, Protocol: addr.Protocol, Topic: addr.Key}
	return p.add(d, "", "")
}

// add puts a discovered device in the registry and, when new, in the store.
func (p *Pipeline) add(d devices.Device, model, firmware string) bool {
	if p.opts.Registry.DiscoveredCount() >= MaxDiscovered {
		p.m.discoveryFull.Inc()
		p.limiter.Log(p.log, slog.LevelError, "discovery-full", "too many discovered devices; ignoring new ones", "max", MaxDiscovered, "device", d.ID)
		return false
	}
	got, added := p.opts.Registry.Discover(d, model, firmware, p.opts.Now())
	if !got.Discovered {
		return true // a declared device announced itself; the config owns it
	}
	err := p.storeWrite("save discovered device", func(ctx context.Context) error {
		return p.opts.Store.SaveDiscovered(ctx, got, model, firmware)
	})
	if err != nil {
		p.log.Error("discovered device not saved", "device", got.ID, "err", err)
	}
	if added {
		p.m.discovered.Inc()
		p.log.Info("device discovered", "device", got.ID, "protocol", got.Protocol, "topic", got.Topic, "kind", got.Kind)
	}
	return true
}

// defaultKind is the kind a protocol's devices have when nothing says otherwise.
func defaultKind(p devices.Protocol) devices.Kind {
	switch p {
	case devices.Frigate:
		return devices.Camera
	case devices.Sonos2MQTT:
		return devices.Speaker
	}
	return ""
}
