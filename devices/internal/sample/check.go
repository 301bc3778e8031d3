package sample

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
)

// CheckDecode fails the test when the result of an adapter's Decode breaks
// the Adapter contract: an error that is not a *devices.DecodeError (or has
// an empty Reason or Detail), reports together with an error, a report
// without a key (unless it covers a whole bridge or is discovery), a brightness or
// volume outside 0–100, a metric that is NaN or infinite, or an unknown
// availability value. Fuzz targets call it on every input.
func CheckDecode(t testing.TB, topic string, reps []devices.Report, err error) {
	t.Helper()
	if err != nil {
		var de *devices.DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("Decode(%q) error %T %v is not a *devices.DecodeError", topic, err, err)
		}
		if de.Reason == "" || de.Detail == "" {
			t.Fatalf("Decode(%q) error %+v lacks a reason or detail", topic, de)
		}
		if len(reps) != 0 {
			t.Fatalf("Decode(%q) returned %d reports with error %v", topic, len(reps), err)
		}
		return
	}
	for _, r := range reps {
		if r.Protocol == "" {
			t.Fatalf("Decode(%q) report without protocol: %+v", topic, r)
		}
		if r.Key == "" && !r.AvailabilityAll && r.Discovery == nil {
			t.Fatalf("Decode(%q) report without a key: %+v", topic, r)
		}
		if l := r.Light; l != nil && l.Brightness != nil && (*l.Brightness < 0 || *l.Brightness > 100) {
			t.Fatalf("Decode(%q) brightness %d outside 0-100", topic, *l.Brightness)
		}
		if s := r.Speaker; s != nil && s.Volume != nil && (*s.Volume < 0 || *s.Volume > 100) {
			t.Fatalf("Decode(%q) volume %d outside 0-100", topic, *s.Volume)
		}
		for k, v := range r.Metrics {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("Decode(%q) metric %s = %v is not finite", topic, k, v)
			}
			if k == "" {
				t.Fatalf("Decode(%q) metric with an empty key", topic)
			}
		}
		switch r.Availability {
		case "", devices.Online, devices.Offline, devices.Unknown:
		default:
			t.Fatalf("Decode(%q) availability %q", topic, r.Availability)
		}
	}
}

// CheckEncode fails the test when Encode's messages break the Adapter
// contract: a topic that cannot be published to, or a QoS above 2. (Messages
// carry no retain flag: commands are never retained.)
func CheckEncode(t testing.TB, msgs []devices.Message, err error) {
	t.Helper()
	if err != nil {
		if len(msgs) != 0 {
			t.Fatalf("Encode returned %d messages with error %v", len(msgs), err)
		}
		return
	}
	if len(msgs) == 0 {
		t.Fatalf("Encode returned no messages and no error")
	}
	for _, m := range msgs {
		if terr := devices.CheckTopic(m.Topic); terr != nil {
			t.Fatalf("Encode topic: %v", terr)
		}
		if m.QoS > 2 {
			t.Fatalf("Encode QoS %d", m.QoS)
		}
	}
}

// Hostile is one payload that every decoder must reject cleanly, and the
// reason a decoder gives for it on a topic that expects a JSON object.
type Hostile struct {
	Name    string
	Payload []byte
	Reason  devices.Reason
}

// HostileJSON returns fresh hostile payloads for a JSON topic: 1 MiB of JSON
// (larger than devices.MaxPayload), bytes that are not UTF-8, JSON nested
// 100000 deep (beyond encoding/json's limit), truncated JSON, and a JSON
// array where an object is expected.
func HostileJSON() []Hostile {
	return []Hostile{
		{"huge", append(append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), 1<<20)...), `"}`...), devices.ReasonTooLarge},
		{"binary", []byte("\xff\xfe\x00\x01"), devices.ReasonBinary},
		{"deep", deep(100000), devices.ReasonMalformed},
		{"truncated", []byte(`{"POWER":"ON","Dimmer":5`), devices.ReasonMalformed},
		{"array", []byte(`[1,2,3]`), devices.ReasonMalformed},
	}
}

func deep(n int) []byte {
	b := make([]byte, 0, 2*n+8)
	b = append(b, `{"a":`...)
	for range n {
		b = append(b, '[')
	}
	for range n {
		b = append(b, ']')
	}
	return append(b, '}')
}

// Reason returns the reason of a *devices.DecodeError in err, or "".
func Reason(err error) devices.Reason {
	var de *devices.DecodeError
	if errors.As(err, &de) {
		return de.Reason
	}
	return ""
}

// Dump renders a report as compact JSON, for comparing reports in tests.
func Dump(r devices.Report) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// Messages renders msgs as "topic payload; topic payload" (an empty
// payload as the topic alone), for comparing what an adapter encodes.
func Messages(msgs []devices.Message) string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = strings.TrimSpace(m.Topic + " " + string(m.Payload))
	}
	return strings.Join(out, "; ")
}

// QueryCase is a device an adapter is asked the state of, and the messages
// (as Messages renders them) or the error (a part of it) it must give.
type QueryCase struct {
	Dev           devices.Device
	Want, WantErr string
}

// CheckQueryState checks q.QueryState against each case; every message
// must also pass CheckEncode and be sent QoS 1, as commands are.
func CheckQueryState(t testing.TB, q devices.StateQuerier, cases []QueryCase) {
	t.Helper()
	for _, c := range cases {
		msgs, err := q.QueryState(c.Dev)
		CheckEncode(t, msgs, err)
		if got := Messages(msgs); got != c.Want || (err == nil) != (c.WantErr == "") ||
			(err != nil && !strings.Contains(err.Error(), c.WantErr)) {
			t.Errorf("QueryState(%s) = %q, %v; want %q, error %q", c.Dev.ID, got, err, c.Want, c.WantErr)
		}
		for _, m := range msgs {
			if m.QoS != 1 {
				t.Errorf("QueryState(%s): %s at QoS %d, want 1", c.Dev.ID, m.Topic, m.QoS)
			}
		}
	}
}
