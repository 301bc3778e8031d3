package frigate

import (
	"slices"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// allowed are the reasons a real sample line may be refused with.
var allowed = []devices.Reason{devices.ReasonIgnored, devices.ReasonUnknownTopic, devices.ReasonBinary, devices.ReasonEmpty}

// TestSamples decodes every line of frigate.jsonl, in order, with one adapter,
// and compares the outcome with testdata/frigate.golden.
func TestSamples(t *testing.T) {
	a := New("")
	var b strings.Builder
	for _, l := range sample.Load(t, "frigate.jsonl") {
		reps, err := a.Decode(l.Topic, []byte(l.Payload), l.Retained)
		if de, ok := err.(*devices.DecodeError); err != nil && (!ok || !slices.Contains(allowed, de.Reason)) {
			t.Errorf("%s: %v (reason not allowed for a real sample)", l, err)
		}
		sample.Render(t, &b, l.N, l.Topic, l.Retained, reps, err)
	}
	sample.Golden(t, "frigate", []byte(b.String()))
}
