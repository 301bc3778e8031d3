package sample

import (
	"errors"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
)

// Decoder decodes one MQTT message: an adapter or the router.
type Decoder interface {
	Decode(topic string, payload []byte, retained bool) ([]devices.Report, error)
}

// AdapterReasons are the reasons for which one adapter may refuse a line of
// a real sample file: it may be another adapter's topic, deliberately
// ignored, binary, or an empty (clearing) payload.
func AdapterReasons(_ Line, r devices.Reason) bool {
	return r == devices.ReasonIgnored || r == devices.ReasonUnknownTopic || r == devices.ReasonBinary || r == devices.ReasonEmpty
}

// DecodeFile decodes every line of the sample file, in order, with d (so that
// discovery is learned before the states it announces), checks each outcome
// with CheckDecode, fails on a refusal that allow does not accept, and
// compares the rendered outcomes with testdata/<file without .jsonl>.golden.
func DecodeFile(t *testing.T, d Decoder, file string, allow func(Line, devices.Reason) bool) {
	t.Helper()
	var b strings.Builder
	for _, l := range Load(t, file) {
		reps, err := d.Decode(l.Topic, []byte(l.Payload), l.Retained)
		CheckDecode(t, l.Topic, reps, err)
		var de *devices.DecodeError
		if err != nil && (!errors.As(err, &de) || !allow(l, de.Reason)) {
			t.Errorf("%s: %v (a reason not allowed for a real sample; source: %s)", l, err, l.Source)
		}
		Render(t, &b, l.N, l.Topic, l.Retained, reps, err)
	}
	Golden(t, strings.TrimSuffix(file, ".jsonl"), []byte(b.String()))
}
