package shelly

import (
	"slices"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// allowed are the reasons a real sample line may be refused with.
var allowed = []devices.Reason{devices.ReasonIgnored, devices.ReasonUnknownTopic, devices.ReasonBinary, devices.ReasonEmpty}

// TestSamples decodes every line of shelly.jsonl, in order, with one adapter,
// and compares the outcome with testdata/shelly.golden.
func TestSamples(t *testing.T) {
	a := New("hamletd-khu10")
	var b strings.Builder
	for _, l := range sample.Load(t, "shelly.jsonl") {
		reps, err := a.Decode(l.Topic, []byte(l.Payload), l.Retained)
		if de, ok := err.(*devices.DecodeError); err != nil && (!ok || !slices.Contains(allowed, de.Reason)) {
			t.Errorf("%s: %v (reason not allowed for a real sample)", l, err)
		}
		sample.Render(t, &b, l.N, l.Topic, l.Retained, reps, err)
	}
	sample.Golden(t, "shelly", []byte(b.String()))
}
