package tasmota

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// line returns the first sample line of tasmota.jsonl on topic whose payload
// contains part.
func line(t *testing.T, topic, part string) sample.Line {
	t.Helper()
	for _, l := range sample.Load(t, "tasmota.jsonl") {
		if l.Topic == topic && strings.Contains(l.Payload, part) {
			return l
		}
	}
	t.Fatalf("no sample on %s containing %q", topic, part)
	return sample.Line{}
}

// channels renders reports as "channel:on" (primary marked *), in order.
func channels(reps []devices.Report) string {
	var b []string
	for _, r := range reps {
		s := r.Channel
		if r.Primary {
			s += "*"
		}
		if r.Light != nil && r.Light.On != nil {
			s += map[bool]string{true: ":on", false: ":off"}[*r.Light.On]
		}
		if r.Discovery != nil {
			s += "=" + r.Discovery.ID
		}
		b = append(b, s)
	}
	return strings.Join(b, " ")
}

// TestChannelsFromRealSamples decodes the samples of multi-relay devices:
// each relay is its own report on its own channel.
func TestChannelsFromRealSamples(t *testing.T) {
	tests := []struct{ topic, part, want string }{
		// TuyaMCU STATE with POWER1..POWER5 and one Dimmer (relay 1's).
		{"stat/GD-30W/STATE", "POWER5", "1*:on 2:off 3:on 4:off 5:on"},
		// Rules publishing "1"/"0" for one relay.
		{"stat/wemos-4/RESULT", `POWER1`, "1*:on"},
		{"stat/wemos-4/RESULT", `POWER2`, "2:off"},
		// The boot log's per-relay RESULT and plain POWER2.
		{"stat/wemos2/RESULT", "POWER2", "2:on"},
		{"stat/wemos2/POWER2", "ON", "2:on"},
		// NSPanel discovery: rl [1,1,0…] is two relays, two devices.
		{"tasmota/discovery/0CDC7E31E4CC/config", "NSPanel", "1*=tasmota-0cdc7e31e4cc-1 2=tasmota-0cdc7e31e4cc-2"},
	}
	for _, tt := range tests {
		a := New()
		l := line(t, tt.topic, tt.part)
		reps, err := a.Decode(l.Topic, []byte(l.Payload), l.Retained)
		sample.CheckDecode(t, l.Topic, reps, err)
		if err != nil {
			t.Errorf("%s: %v", l, err)
			continue
		}
		if got := channels(reps); got != tt.want {
			t.Errorf("%s: channels %q, want %q", l, got, tt.want)
		}
	}
	// GD-30W's single Dimmer is relay 1's brightness only.
	l := line(t, "stat/GD-30W/STATE", "POWER5")
	reps, _ := New().Decode(l.Topic, []byte(l.Payload), false)
	if reps[0].Light.Brightness == nil || *reps[0].Light.Brightness != 100 || reps[1].Light.Brightness != nil {
		t.Errorf("GD-30W dimmer: %s / %s", sample.Dump(reps[0]), sample.Dump(reps[1]))
	}
	if reps[0].Metrics["uptime_s"] != 6351 || reps[1].Metrics != nil {
		t.Errorf("device metrics not with relay 1 alone: %v / %v", reps[0].Metrics, reps[1].Metrics)
	}
}

// TestChannelCommandThenReport: a channel-2 command goes to POWER2 and the
// reply to it is channel 2's state only.
func TestChannelCommandThenReport(t *testing.T) {
	a := New()
	msgs, err := a.Encode(devices.Command{Device: devices.Device{ID: "tu-2", Topic: "tu", Channel: "2"}, Light: &devices.LightState{On: devices.Bool(true)}})
	if err != nil || len(msgs) != 1 || msgs[0].Topic != "cmnd/tu/POWER2" || string(msgs[0].Payload) != "ON" {
		t.Fatalf("Encode = %v, %v", msgs, err)
	}
	reps, err := a.Decode("stat/tu/RESULT", []byte(`{"POWER2":"ON"}`), false)
	if err != nil || channels(reps) != "2:on" {
		t.Fatalf("reply = %q, %v", channels(reps), err)
	}
}
