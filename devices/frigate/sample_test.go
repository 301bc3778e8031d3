package frigate

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// TestSamples decodes every line of frigate.jsonl with one adapter and
// compares the outcome with testdata/frigate.golden.
func TestSamples(t *testing.T) {
	sample.DecodeFile(t, New(""), "frigate.jsonl", sample.AdapterReasons)
}
