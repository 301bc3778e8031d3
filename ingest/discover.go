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
		for _, d := range p.opts.Registry.Forget(addr) {
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
		id = devices.ChannelID(discoveredID(addr.Protocol, addr.Key), addr.Channel)
	}
	channel := p.channel(addr, r.Primary)
	name := disc.Name
	if name == "" {
		name = id
	}
	topic := addr.Key
	if disc.Topic != "" {
		topic = disc.Topic
	}
	d := devices.Device{ID: id, Name: name, Kind: r.Kind, Zone: "", Protocol: addr.Protocol, Topic: topic, FullTopic: disc.FullTopic, Channel: channel}
	p.add(d, disc.Model, disc.Firmware)
}

// channel is the Device.Channel under which an output at addr is kept:
// addr's channel, except for the controller's first output (primary) when
// a device without a channel (declared, or heard before discovery said the
// controller has several outputs) already stands for it.
func (p *Pipeline) channel(addr devices.Address, primary bool) string {
	if addr.Channel == "" || !primary {
		return addr.Channel
	}
	if _, ok := p.opts.Registry.Lookup(addr); ok {
		return addr.Channel
	}
	if _, ok := p.opts.Registry.Lookup(addr.Controller()); ok {
		return ""
	}
	return addr.Channel
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
	// The first output of a controller first heard without discovery is kept
	// without a channel, as a single-output device is; its other outputs
	// are "<device>-<channel>".
	channel := addr.Channel
	if r.Primary {
		channel = ""
	}
	base := discoveredID(addr.Protocol, addr.Key)
	if addr.Protocol == devices.Native {
		base = addr.Key // a native device's id is its topic level (devices.AddressOf), as its info record says
	}
	id := devices.ChannelID(base, channel)
	d := devices.Device{ID: id, Name: devices.ChannelID(addr.Key, channel), Kind: kind, Protocol: addr.Protocol, Topic: addr.Key, Channel: channel}
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
