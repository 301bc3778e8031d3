package shelly

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// TestSamples decodes every line of shelly.jsonl with one adapter and
// compares the outcome with testdata/shelly.golden.
func TestSamples(t *testing.T) {
	sample.DecodeFile(t, New("hamletd-khu10"), "shelly.jsonl", sample.AdapterReasons)
}
