package daemon

import (
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/frigate"
	"github.com/hamlet-vn/hamlet/snapshots"
)

// keepSnapshot is ingest's Binary hook: a Frigate snapshot JPEG on
// frigate/<camera>/<object>/snapshot becomes the camera's latest snapshot
// for the phone UI. Other binary payloads are only counted (by ingest).
func (d *Daemon) keepSnapshot(topic string, payload []byte, at time.Time) {
	parts := strings.Split(topic, "/")
	if len(parts) != 4 || parts[0] != frigate.DefaultPrefix || parts[3] != "snapshot" || d.snapshots == nil {
		return
	}
	dev, ok := d.registry.Lookup(devices.Address{Protocol: devices.Frigate, Key: parts[1]})
	if !ok || dev.Kind != devices.Camera {
		return
	}
	if !d.snapshots.Put(dev.ID, parts[2], payload, at) {
		d.log.Debug("camera snapshot not kept", "device", dev.ID, "bytes", len(payload))
	}
}

// streamURLs are the declared cameras' stream links, by device id.
func (d *Daemon) streamURLs() map[string]string {
	out := map[string]string{}
	for _, dv := range d.cfg.Devices {
		if dv.StreamURL != "" {
			out[dv.ID] = dv.StreamURL
		}
	}
	return out
}

// newSnapshots returns the keeper of the latest camera snapshots.
func newSnapshots() *snapshots.Keeper { return snapshots.New() }
