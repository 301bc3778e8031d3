package store

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

func TestDiscoveredDevicesKeepInstallerChoices(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	d := devices.Device{ID: "tasmota-e8a6e4", Name: "Tasmota", Kind: devices.Light, Protocol: devices.Tasmota, Topic: "tasmota_E8A6E4"}
	if err := db.SaveDiscovered(ctx, d, "Sonoff Basic", "14.1.0"); err != nil {
		t.Fatal(err)
	}
	if err := db.AssignDiscovered(ctx, d.ID, "ngo-3", "", "Đèn ngõ 3"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDiscovered(ctx, d, "", "14.2.0"); err != nil { // rediscovered after an upgrade
		t.Fatal(err)
	}
	got, err := db.Discovered(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("Discovered = %v, %v", got, err)
	}
	g := got[0]
	if g.Zone != "ngo-3" || g.Name != "Đèn ngõ 3" || g.Model != "Sonoff Basic" || g.Firmware != "14.2.0" || !g.Discovered {
		t.Errorf("after rediscovery: %+v", g)
	}
	if err := db.AssignDiscovered(ctx, "nope", "ngo-3", "", ""); err == nil {
		t.Error("assigning an unknown device succeeded")
	}
	if err := db.DeleteDiscovered(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Discovered(ctx); len(got) != 0 {
		t.Errorf("after delete: %v", got)
	}
}

func TestTransitionsIncludeStateAtStart(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	dev := devices.Device{ID: "den-01"}
	other := devices.Device{ID: "den-02"}
	err := db.RecordTransitions(ctx, []devices.Transition{
		{Device: dev, To: devices.Online, Cause: devices.CauseLWT, At: t0},
		{Device: dev, To: devices.Offline, Cause: devices.CauseTimeout, At: t0.Add(time.Hour)},
		{Device: dev, To: devices.Online, Cause: devices.CauseLWT, At: t0.Add(3 * time.Hour)},
		{Device: other, To: devices.Online, Cause: devices.CauseLWT, At: t0.Add(30 * time.Minute)},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Transitions(ctx, "den-01", t0.Add(2*time.Hour), t0.Add(4*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].State != devices.Offline || got[1].State != devices.Online {
		t.Fatalf("transitions = %+v", got)
	}
	all, _ := db.Transitions(ctx, "", t0.Add(2*time.Hour), t0.Add(4*time.Hour))
	if len(all) != 3 {
		t.Fatalf("all devices: %+v", all)
	}
}

func TestDiscoveredChannelsShareATopic(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, ch := range []string{"", "2", "3"} {
		d := devices.Device{ID: devices.ChannelID("tasmota-tu", ch), Name: "tu", Kind: devices.Light, Protocol: devices.Tasmota, Topic: "tu", Channel: ch}
		if err := db.SaveDiscovered(ctx, d, "", ""); err != nil {
			t.Fatalf("save channel %q: %v", ch, err)
		}
	}
	got, err := db.Discovered(ctx)
	if err != nil || len(got) != 3 {
		t.Fatalf("Discovered = %v, %v", got, err)
	}
	if got[1].ID != "tasmota-tu-2" || got[1].Channel != "2" || got[0].Channel != "" {
		t.Errorf("channels not kept: %+v", got)
	}
}
