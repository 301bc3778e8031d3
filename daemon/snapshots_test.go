package daemon

import (
	"log/slog"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/snapshots"
)

func TestKeepSnapshotFindsTheCamera(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 18, 0, 0, 0, time.UTC)
	d := &Daemon{log: slog.New(slog.DiscardHandler), snapshots: snapshots.New(),
		registry: devices.NewRegistry([]devices.Device{
			{ID: "cam-cong", Kind: devices.Camera, Zone: "ngo-3", Protocol: devices.Frigate, Topic: "cong"},
		}, nil, t0)}
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0}
	d.keepSnapshot("frigate/cong/person/snapshot", jpeg, t0)
	d.keepSnapshot("frigate/unknown/person/snapshot", jpeg, t0)
	d.keepSnapshot("frigate/cong/snapshot", jpeg, t0)
	s, ok := d.snapshots.Latest("cam-cong")
	if !ok || s.Object != "person" || !s.At.Equal(t0) {
		t.Fatalf("Latest(cam-cong) = %+v, %v", s, ok)
	}
	if _, ok := d.snapshots.Latest("unknown"); ok {
		t.Error("a snapshot of an undeclared camera was kept")
	}
}
