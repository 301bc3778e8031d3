package hass

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// allowed are the reasons a sample line may be refused with.
var allowed = []devices.Reason{devices.ReasonIgnored, devices.ReasonUnknownTopic, devices.ReasonBinary, devices.ReasonEmpty}

// TestSamples decodes every line of the ESPHome and Home Assistant discovery
// samples, in order, with one adapter per file (so that discovery is learned
// as in real life), and compares the outcome with testdata/<file>.golden.
func TestSamples(t *testing.T) {
	for _, file := range []string{"esphome.jsonl", "ha_discovery.jsonl"} {
		t.Run(file, func(t *testing.T) {
			a := New("")
			var b strings.Builder
			for _, l := range sample.Load(t, file) {
				reps, err := a.Decode(l.Topic, []byte(l.Payload), l.Retained)
				var de *devices.DecodeError
				if err != nil && (!errors.As(err, &de) || !slices.Contains(allowed, de.Reason)) {
					t.Errorf("%s: %v (reason not allowed for a real sample)", l, err)
				}
				sample.Render(t, &b, l.N, l.Topic, l.Retained, reps, err)
			}
			sample.Golden(t, strings.TrimSuffix(file, ".jsonl"), []byte(b.String()))
		})
	}
}
