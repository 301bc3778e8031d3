package protocols

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// TestOrderKeySamples checks, over every real firmware message (native
// has no samples: TestOrderKey covers it), that the
// order key of a message's topic names the device its reports are about:
// otherwise two messages about one device could be handled out of order.
func TestOrderKeySamples(t *testing.T) {
	keyed := map[devices.Protocol]int{}
	for _, file := range sample.Files(t) {
		r, err := New(sampleOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range sample.Load(t, file) {
			reps, _ := r.Decode(l.Topic, []byte(l.Payload), l.Retained)
			k := r.OrderKey(l.Topic)
			for _, rep := range reps {
				if rep.AvailabilityAll || rep.Key == "" {
					continue
				}
				if k == l.Topic {
					continue // no adapter can tell: ordered per topic, as before
				}
				_, key, _ := strings.Cut(k, "\x00")
				if key != rep.Key {
					t.Errorf("%s %s: order key %q, report key %q", file, l, key, rep.Key)
				}
				keyed[rep.Protocol]++
			}
		}
	}
	t.Logf("reports ordered by device: %v", keyed)
	for _, p := range []devices.Protocol{devices.Tasmota, devices.Zigbee2MQTT, devices.Shelly, devices.Frigate, devices.Sonos2MQTT} {
		if keyed[p] == 0 && len(sample.Files(t)) > 0 {
			t.Errorf("no %s report was ordered by its device", p)
		}
	}
}

// TestOrderKey checks that the topics of one device share a key and that
// different devices and bridge-wide topics do not.
func TestOrderKey(t *testing.T) {
	r, err := New(sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	same := [][]string{
		{"hamlet/khu10/den1/status", "hamlet/khu10/den1/state", "hamlet/khu10/den1/telemetry"},
		{"tele/den1/LWT", "tele/den1/STATE", "stat/den1/RESULT"},
		{"std/dev400/s/tele/LWT", "std/dev400/s/stat/POWER"},
		{"zigbee2mqtt/lamp", "zigbee2mqtt/lamp/availability"},
		{"shellyplus1-abc/online", "shellyplus1-abc/status/switch:0", "shellyplus1-abc/events/rpc"},
		{"shellies/sh1/relay/0", "shellies/sh1/online"},
		{"frigate/cong/motion", "frigate/cong/status/detect"},
		{"sonos/RINCON_1", "sonos/status/RINCON_1/state"},
	}
	seen := map[string]string{}
	for _, group := range same {
		want := r.OrderKey(group[0])
		if want == group[0] {
			t.Errorf("%s: no device key", group[0])
		}
		for _, topic := range group[1:] {
			if got := r.OrderKey(topic); got != want {
				t.Errorf("OrderKey(%s) = %q, want %q as for %s", topic, got, want, group[0])
			}
		}
		if other, dup := seen[want]; dup {
			t.Errorf("%s and %s share key %q", group[0], other, want)
		}
		seen[want] = group[0]
	}
	for _, topic := range []string{"zigbee2mqtt/bridge/state", "sonos/connected", "frigate/available", "tasmota/discovery/AABB/config", "nothing/here"} {
		if got := r.OrderKey(topic); got != topic {
			t.Errorf("OrderKey(%s) = %q, want the topic itself", topic, got)
		}
	}
}
