package hass

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// TestSamples decodes every line of the ESPHome and Home Assistant discovery
// samples with one adapter per file and compares the outcome with
// testdata/<file>.golden.
func TestSamples(t *testing.T) {
	for _, file := range []string{"esphome.jsonl", "ha_discovery.jsonl"} {
		t.Run(file, func(t *testing.T) { sample.DecodeFile(t, New(""), file, sample.AdapterReasons) })
	}
}
