package daemon_test

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/sim"
)

// withFleet declares the simulated fleet's devices and zones in cfg.
func withFleet(t *testing.T, cfg *config.Config, f *sim.Fleet) {
	t.Helper()
	for _, z := range f.Zones() {
		cfg.Zones = append(cfg.Zones, config.Zone{ID: z, Name: z})
	}
	for _, d := range f.Devices() {
		cfg.Devices = append(cfg.Devices, config.Device{ID: d.ID, Name: d.Name, Kind: string(d.Kind), Zone: d.Zone,
			Protocol: string(d.Protocol), Topic: d.Topic, FullTopic: d.FullTopic})
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("fleet config: %v", err)
	}
}

func startFleet(t *testing.T, broker string, spec sim.Spec) *sim.Fleet {
	t.Helper()
	f, err := sim.New(spec, sim.Options{Broker: broker, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := f.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); f.Close() })
	return f
}

func availability(d interface {
	Registry() *devices.Registry
}, id string) (devices.Availability, devices.Cause) {
	s, ok := d.Registry().Get(id)
	if !ok {
		return "", ""
	}
	return s.Availability, s.Cause
}

// TestDevicesAvailabilityWithSimulatedFleet runs the real composition root
// against real Mosquitto and a simulated fleet speaking Tasmota, Shelly,
// ESPHome (HA discovery), Frigate and the native contract.
func TestDevicesAvailabilityWithSimulatedFleet(t *testing.T) {
	broker := testsvc.StartMosquitto(t)
	fleet := startFleet(t, broker.URL(), sim.Spec{Lights: 2, Shelly: 1, ESPHome: 1, Cameras: 1, Speakers: 1,
		Period: 500 * time.Millisecond, Seed: 1})
	cfg := testConfig(t, broker.URL())
	cfg.Availability.Timeout = map[string]time.Duration{"light": 3 * time.Second, "camera": 3 * time.Second, "speaker": 3 * time.Second}
	withFleet(t, &cfg, fleet)
	d := startDaemon(t, cfg)

	for _, dev := range fleet.Devices() {
		testutil.Eventually(t, 15*time.Second, dev.ID+" online", func() bool {
			a, _ := availability(d, dev.ID)
			return a == devices.Online
		})

	}
	lights := fleet.Devices()[0].ID // a Tasmota street light
	if s, _ := d.Registry().Get(lights); s.Telemetry["power_w"] == 0 && s.Telemetry["voltage_v"] == 0 {
		testutil.Eventually(t, 5*time.Second, "energy telemetry of "+lights, func() bool {
			s, _ := d.Registry().Get(lights)
			return s.Telemetry["voltage_v"] > 0
		})

	}

	// Garbage (malformed JSON, wrong types, empty, binary, 1 MB) is counted
	// by reason and the daemon keeps serving.
	base := "http://" + d.HTTPAddr()
	before := metric(t, base, "hamlet_ingest_messages_rejected_total")
	if err := fleet.SendGarbage(lights); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 10*time.Second, "garbage to be counted", func() bool {
		return metric(t, base, "hamlet_ingest_messages_rejected_total") >= before+3
	})

	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz after garbage = %d %s", code, body)
	}

	// Dropped with its Last Will: offline by lwt; restored: online again.
	if err := fleet.DropWithWill(lights); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 10*time.Second, lights+" offline by lwt", func() bool {
		a, c := availability(d, lights)
		return a == devices.Offline && c == devices.CauseLWT
	})

	if err := fleet.Restore(lights); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 10*time.Second, lights+" back online", func() bool {
		a, _ := availability(d, lights)
		return a == devices.Online
	})

	// Gone silent without a Last Will: offline by timeout.
	speaker := ""
	for _, dev := range fleet.Devices() {
		if dev.Kind == devices.Speaker {
			speaker = dev.ID
		}
	}
	if err := fleet.DropSilently(speaker); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 15*time.Second, speaker+" offline by timeout", func() bool {
		a, c := availability(d, speaker)
		return a == devices.Offline && c == devices.CauseTimeout
	})

	// The broker restarts: every device is unknown while the link is down,
	// then the retained Last Wills replayed on resubscribe bring them back.
	broker.Kill()
	testutil.Eventually(t, 10*time.Second, lights+" unknown while the broker is down", func() bool {
		a, c := availability(d, lights)
		return a == devices.Unknown && c == devices.CauseLinkDown
	})

	broker.Start()
	testutil.Eventually(t, 20*time.Second, lights+" online after the broker restart", func() bool {
		a, _ := availability(d, lights)
		return a == devices.Online
	})

}
