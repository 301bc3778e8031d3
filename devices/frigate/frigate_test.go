package frigate

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
)

// The wire form of frigate/events: json.dumps defaults (", " and ": "
// separators) with "type" last.
const newEvent = `{"before": {"id": "1718987129.308396-fqk5ka", "camera": "gate", "label": "person", "start_time": 1718987129.308396, "end_time": null}, ` +
	`"after": {"id": "1718987129.308396-fqk5ka", "camera": "gate", "frame_time": 1718987130.1, "label": "person", "sub_label": null, "top_score": 0.84, ` +
	`"false_positive": false, "start_time": 1718987129.308396, "end_time": null, "score": 0.84, "box": [1, 2, 3, 4], "current_zones": [], "has_snapshot": true}, "type": "new"}`

func TestDecode(t *testing.T) {
	a := New("")
	tests := []struct {
		name, topic, payload string
		check                func(r []devices.Report) bool
	}{
		{"event new", "frigate/events", newEvent, func(r []devices.Report) bool {
			e := r[0].Events[0]
			return r[0].Key == "gate" && e.Type == "person" && e.Ref == "1718987129.308396-fqk5ka" && e.Time.UnixMicro() == 1718987129308396
		}},
		{"event end", "frigate/events", strings.Replace(strings.Replace(newEvent, `"type": "new"`, `"type": "end"`, 1), `"end_time": null, "score"`, `"end_time": 1718987140.5, "score"`, 1), func(r []devices.Report) bool {
			return r[0].Events[0].Type == "person_end" && r[0].Events[0].Time.Unix() == 1718987140
		}},
		{"review new", "frigate/reviews", `{"type": "new", "before": {}, "after": {"id": "r1", "camera": "gate", "start_time": 1718987129.3, "severity": "alert"}}`, func(r []devices.Report) bool {
			return r[0].Key == "gate" && r[0].Events[0].Type == "review_alert" && r[0].Events[0].Ref == "r1"
		}},
		{"stats new layout", "frigate/stats", `{"cameras": {"gate": {"camera_fps": 5.1, "process_fps": 5.0, "skipped_fps": 0.0, "detection_fps": 1.5, "detection_enabled": true}, "yard": {"camera_fps": 0.0, "process_fps": 0.0}}, "camera_fps": 5.1, "cpu_usages": {"1": {"cpu": "3.0"}}, "service": {"last_updated": 1718987200, "version": "0.14.1"}}`, func(r []devices.Report) bool {
			return len(r) == 2 && r[0].Key == "gate" && r[0].Metrics["fps"] == 5.1 && r[0].Metrics["detection_fps"] == 1.5 && *r[0].Camera.Streaming && *r[0].Camera.Detecting &&
				r[1].Key == "yard" && !*r[1].Camera.Streaming && r[1].Time.Unix() == 1718987200
		}},
		{"available stopped", "frigate/available", "stopped", func(r []devices.Report) bool {
			return r[0].AvailabilityAll && r[0].Availability == devices.Offline && r[0].Key == ""
		}},
		{"record status", "frigate/gate/status/record", "disabled", func(r []devices.Report) bool {
			return !*r[0].Camera.Recording && r[0].Camera.Streaming == nil
		}},
		{"detect toggle", "frigate/gate/detect/state", "OFF", func(r []devices.Report) bool { return !*r[0].Camera.Detecting }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := a.Decode(tt.topic, []byte(tt.payload), false)
			if err != nil || len(reps) == 0 || !tt.check(reps) {
				t.Fatalf("Decode = %+v, %v", reps, err)
			}
		})
	}
	b := New("nvr2/")
	if reps, err := b.Decode("nvr2/gate/motion", []byte("ON"), false); err != nil || reps[0].Key != "gate" {
		t.Errorf("custom prefix: %+v, %v", reps, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	a := New("")
	tests := []struct {
		topic, payload string
		want           devices.Reason
		detail         string
	}{
		{"frigate/gate/person/snapshot", "\xff\xd8\xff\xe0\x00\x10JFIF", devices.ReasonBinary, "snapshot JPEG of 10 bytes"},
		{"frigate/gate/motion", "\xff\xd8", devices.ReasonBinary, "not UTF-8"},
		{"frigate/stats", strings.Repeat(" ", devices.MaxPayload+1), devices.ReasonTooLarge, "more than"},
		{"frigate/available", "", devices.ReasonEmpty, "cleared"},
		{"frigate/available", "up", devices.ReasonWrongType, `"up" is not online, offline or stopped`},
		{"frigate/gate/motion", "on", devices.ReasonWrongType, `"on" is neither ON nor OFF`},
		{"frigate/gate/status/detect", "broken", devices.ReasonWrongType, "not online, offline or disabled"},
		{"frigate/gate/recordings/state", "", devices.ReasonEmpty, "want ON or OFF"},
		{"frigate/events", `{"before": {}, "after": {"camera": "gate", "label": "car"}, "type": "new"}`, devices.ReasonMissingField, `frigate/events: "after.id" missing or empty`},
		{"frigate/events", `{"before": {}, "after": {"id": "x", "camera": 5, "label": "car"}, "type": "new"}`, devices.ReasonWrongType, `"after.camera": want a string, got 5`},
		{"frigate/events", `{"before": {}, "after": {"id": "x", "camera": "c", "label": "car", "start_time": "soon"}, "type": "new"}`, devices.ReasonWrongType, `"after.start_time": want a number, got "soon"`},
		{"frigate/events", `{"before": {}, "after": {}}`, devices.ReasonMissingField, `"type" missing`},
		{"frigate/events", `{"type": "new", "after": []}`, devices.ReasonWrongType, `"after": want an object`},
		{"frigate/events", `{"type": "new"}`, devices.ReasonMissingField, `"after" missing`},
		{"frigate/events", `{"type": "update", "after": {}}`, devices.ReasonIgnored, "only new and end"},
		{"frigate/events", `{"type": "new", "after": {"id": "x", "camera": "c", "label": "car"`, devices.ReasonMalformed, "invalid JSON"},
		{"frigate/reviews", `{"type": "new", "after": {"id": "x", "camera": "c"}}`, devices.ReasonMissingField, `"after.severity" missing`},
		{"frigate/stats", `{"cameras": {"gate": {"camera_fps": "5"}}}`, devices.ReasonWrongType, `"cameras.gate.camera_fps": want a number, got "5"`},
		{"frigate/stats", `{"cameras": {"gate": 5}}`, devices.ReasonWrongType, `"cameras.gate": want an object`},
		{"frigate/stats", `{"cameras": []}`, devices.ReasonWrongType, `"cameras": want an object`},
		{"frigate/stats", `{"service": {"uptime": 5}}`, devices.ReasonIgnored, "no camera"},
		{"frigate/stats", `[]`, devices.ReasonMalformed, "want a JSON object"},
		{"frigate/gate/person", "2", devices.ReasonIgnored, "object counts"},
		{"frigate/gate/all/active", "0", devices.ReasonIgnored, "object counts"},
		{"frigate/gate/review_status", "ALERT", devices.ReasonIgnored, "not used"},
		{"frigate/gate/audio/dBFS", "-40", devices.ReasonIgnored, "not used"},
		{"frigate/gate/motion/state", "ON", devices.ReasonIgnored, "not used"},
		{"frigate/camera_activity", "{}", devices.ReasonIgnored, "not used"},
		{"frigate/notifications/state", "ON", devices.ReasonIgnored, "not used"},
		{"frigate//motion", "ON", devices.ReasonUnknownTopic, "empty camera name"},
		{"frigate/events", `{"type": "new", "after": {"id": "x", "camera": "a/#", "label": "car"}}`, devices.ReasonWrongType, `"after.camera": want a camera name`},
		{"frigate/stats", `{"cameras": {"": {"camera_fps": 1}}}`, devices.ReasonIgnored, "no camera"},
		{"frigate", "online", devices.ReasonUnknownTopic, "not under the Frigate prefix"},
		{"frigatex/available", "online", devices.ReasonUnknownTopic, "not under the Frigate prefix"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %.20q", tt.topic, tt.payload), func(t *testing.T) {
			reps, err := a.Decode(tt.topic, []byte(tt.payload), false)
			de, ok := err.(*devices.DecodeError)
			if !ok || de.Reason != tt.want || !strings.Contains(de.Detail, tt.detail) {
				t.Fatalf("Decode = %+v, %v; want %s containing %q", reps, err, tt.want, tt.detail)
			}
		})
	}
}

func TestEncodeIsReadOnly(t *testing.T) {
	a := New("")
	for _, cmd := range []devices.Command{
		{ID: "c1", Device: devices.Device{Topic: "gate"}, Light: &devices.LightState{On: devices.Bool(true)}},
		{ID: "c2", Device: devices.Device{Topic: "gate"}, Play: &devices.Play{URL: "http://x"}},
		{ID: "c3", Device: devices.Device{Topic: "gate"}},
	} {
		msgs, err := a.Encode(cmd)
		if msgs != nil || !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), `camera "gate"`) {
			t.Errorf("Encode(%s) = %v, %v; want ErrUnsupported naming the camera", cmd.ID, msgs, err)
		}
	}
}

func TestSubscriptionsAreNarrow(t *testing.T) {
	for _, s := range New("").Subscriptions() {
		if strings.Contains(s, "#") || !strings.HasPrefix(s, "frigate/") {
			t.Errorf("subscription %q: want narrow filters under frigate/", s)
		}
	}
}
