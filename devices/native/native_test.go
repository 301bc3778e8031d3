package native

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

const base = "hamlet/khu10/"

func TestDecode(t *testing.T) {
	a := New("", "khu10")
	ts := time.Date(2025, 3, 1, 18, 0, 0, 0, time.FixedZone("", 7*3600))
	tests := []struct {
		topic, payload string
		want           devices.Report // Protocol and Key are filled in
		reason         devices.Reason
		detail         string
	}{
		{topic: "den1/status", payload: "online", want: devices.Report{Availability: devices.Online}},
		{topic: "den1/status", payload: "offline", want: devices.Report{Availability: devices.Offline}},
		{topic: "den1/status", payload: "Online", reason: devices.ReasonWrongType, detail: `status: want "online" or "offline", got "Online"`},
		{topic: "den1/status", payload: "", reason: devices.ReasonIgnored},
		{topic: "den1/info", payload: `{"kind":"light","model":"SL-40","fw":"1.2","zone":"ngo-3","extra":1}`,
			want: devices.Report{Kind: devices.Light, Discovery: &devices.Discovery{ID: "den1", Topic: "den1", Model: "SL-40", Firmware: "1.2", Zone: "ngo-3"}}},
		{topic: "den1/info", payload: "", want: devices.Report{Discovery: &devices.Discovery{Remove: true, ID: "den1", Topic: "den1"}}},
		{topic: "den1/info", payload: `{"model":"x"}`, reason: devices.ReasonMissingField, detail: `info: "kind" is required (light, camera or speaker)`},
		{topic: "den1/info", payload: `{"kind":"lamp"}`, reason: devices.ReasonWrongType, detail: `"kind": want "light", "camera" or "speaker", got "lamp"`},
		{topic: "den1/info", payload: `{"kind":"light","fw":12}`, reason: devices.ReasonWrongType, detail: `"fw": want a string, got 12`},
		{topic: "den1/state", payload: `{"on":true,"brightness":80}`, want: devices.Report{Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(80)}}},
		{topic: "den1/state", payload: `{"brightness":0}`, want: devices.Report{Light: &devices.LightState{Brightness: devices.Int(0)}}},
		{topic: "den1/state", payload: `{"brightness":101}`, reason: devices.ReasonWrongType, detail: `"brightness": want a number 0-100, got 101`},
		{topic: "den1/state", payload: `{"brightness":"50"}`, reason: devices.ReasonWrongType, detail: `"brightness": want a number 0-100, got "50"`},
		{topic: "den1/state", payload: `{"on":"yes"}`, reason: devices.ReasonWrongType, detail: `"on": want true or false, got "yes"`},
		{topic: "loa1/state", payload: `{"playing":"ann-7","volume":70}`, want: devices.Report{Speaker: &devices.SpeakerState{Playing: devices.String("ann-7"), Volume: devices.Int(70)}}},
		{topic: "loa1/state", payload: `{"playing":""}`, want: devices.Report{Speaker: &devices.SpeakerState{Playing: devices.String("")}}},
		{topic: "cam1/state", payload: `{"recording":true}`, want: devices.Report{Camera: &devices.CameraState{Recording: devices.Bool(true)}}},
		{topic: "cam1/state", payload: `{"colour":"red"}`, reason: devices.ReasonMissingField},
		{topic: "den1/state", payload: `{"on":true`, reason: devices.ReasonMalformed},
		{topic: "den1/state", payload: ``, reason: devices.ReasonEmpty},
		{topic: "den1/telemetry", payload: `{"ts":"2025-03-01T18:00:00+07:00","power_w":35.2,"energy_kwh":12.3,"rssi_dbm":-61}`,
			want: devices.Report{Time: ts, Metrics: map[string]float64{"power_w": 35.2, "energy_kwh": 12.3, "rssi_dbm": -61}}},
		{topic: "den1/telemetry", payload: `{"power_w":35.2,"voltage_v":"229"}`, reason: devices.ReasonWrongType, detail: `"voltage_v": want a number, got "229"`},
		{topic: "den1/telemetry", payload: `{"power_w":null}`, reason: devices.ReasonWrongType},
		{topic: "den1/telemetry", payload: `{"Power":1}`, reason: devices.ReasonWrongType, detail: `telemetry key "Power" is not snake_case (want e.g. power_w)`},
		{topic: "den1/telemetry", payload: `{"ts":"yesterday","power_w":1}`, reason: devices.ReasonWrongType, detail: `"ts": want an RFC 3339 time such as 2025-01-02T15:04:05+07:00, got "yesterday"`},
		{topic: "den1/telemetry", payload: `{"power_w":1e999}`, reason: devices.ReasonWrongType},
		{topic: "den1/telemetry", payload: `{"ts":"2025-03-01T18:00:00+07:00"}`, reason: devices.ReasonMissingField},
		{topic: "cam1/event", payload: `{"type":"motion","ts":"2025-03-01T18:00:00+07:00"}`, want: devices.Report{Events: []devices.Event{{Type: "motion", Time: ts}}}},
		{topic: "loa1/event", payload: `{"type":"played","ref":"ann-7"}`, want: devices.Report{Events: []devices.Event{{Type: "played", Ref: "ann-7"}}}},
		{topic: "loa1/event", payload: `{"type":"exploded"}`, reason: devices.ReasonWrongType},
		{topic: "loa1/event", payload: `{"ref":"x"}`, reason: devices.ReasonMissingField},
		{topic: "loa1/ack", payload: `{"id":"c1","ok":false,"error":"busy"}`, want: devices.Report{Ack: &devices.Ack{ID: "c1", Error: "busy"}}},
		{topic: "loa1/ack", payload: `{"id":"c1"}`, reason: devices.ReasonMissingField, detail: `ack: "ok" is required`},
		{topic: "loa1/ack", payload: `{"ok":true}`, reason: devices.ReasonMissingField},
		{topic: "loa1/cmd", payload: `{"id":"c1","stop":true}`, reason: devices.ReasonIgnored},
		{topic: "$daemon/status", payload: "online", reason: devices.ReasonIgnored},
		{topic: "den1/whatever", payload: "1", reason: devices.ReasonUnknownTopic},
		{topic: "den1/state/x", payload: "1", reason: devices.ReasonUnknownTopic},
		{topic: "den1/state", payload: "\xff\xfe", reason: devices.ReasonBinary},
	}
	for _, tt := range tests {
		t.Run(tt.topic+" "+tt.payload, func(t *testing.T) {
			reps, err := a.Decode(base+tt.topic, []byte(tt.payload), false)
			sample.CheckDecode(t, tt.topic, reps, err)
			if tt.reason != "" {
				var de *devices.DecodeError
				if !errors.As(err, &de) || de.Reason != tt.reason {
					t.Fatalf("err = %v, want reason %s", err, tt.reason)
				}
				if tt.detail != "" && de.Detail != tt.detail {
					t.Fatalf("detail = %q\n want %q", de.Detail, tt.detail)
				}
				return
			}
			if err != nil || len(reps) != 1 {
				t.Fatalf("Decode = %v, %v", reps, err)
			}
			tt.want.Protocol, tt.want.Key = devices.Native, strings.Split(tt.topic, "/")[0]
			if g, w := sample.Dump(reps[0]), sample.Dump(tt.want); g != w {
				t.Fatalf("report\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestDecodeHostile(t *testing.T) {
	a := New("hamlet", "khu10")
	for _, h := range sample.HostileJSON() {
		for _, msg := range []string{"state", "telemetry", "info", "event", "ack"} {
			reps, err := a.Decode(base+"x/"+msg, h.Payload, false)
			sample.CheckDecode(t, msg, reps, err)
			var de *devices.DecodeError
			if !errors.As(err, &de) || de.Reason != h.Reason {
				t.Errorf("%s on %s: err = %v, want reason %s", h.Name, msg, err, h.Reason)
			}
		}
	}
	if _, err := a.Decode("other/khu10/x/state", []byte("{}"), false); err == nil {
		t.Error("foreign prefix accepted")
	}
}

func TestEncode(t *testing.T) {
	a := New("hamlet", "khu10")
	dev := devices.Device{ID: "den1", Protocol: devices.Native}
	tests := []struct {
		cmd     devices.Command
		topic   string
		payload string
		wantErr string
	}{
		{cmd: devices.Command{ID: "c1", Device: dev, Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(50)}},
			topic: base + "den1/cmd", payload: `{"id":"c1","on":true,"brightness":50}`},
		{cmd: devices.Command{ID: "c2", Device: devices.Device{ID: "loa1", Topic: "loa-1"}, Play: &devices.Play{URL: "http://h/m/1.mp3", Announcement: "a1", Priority: devices.Emergency, Volume: 80}},
			topic: base + "loa-1/cmd", payload: `{"id":"c2","play":{"url":"http://h/m/1.mp3","announcement":"a1","priority":"emergency","volume":80}}`},
		{cmd: devices.Command{ID: "c3", Device: dev, Stop: true}, topic: base + "den1/cmd", payload: `{"id":"c3","stop":true}`},
		{cmd: devices.Command{ID: "c4", Device: dev, Volume: devices.Int(30)}, topic: base + "den1/cmd", payload: `{"id":"c4","volume":30}`},
		{cmd: devices.Command{Device: dev, Stop: true}, wantErr: "no id"},
		{cmd: devices.Command{ID: "c5", Device: dev}, wantErr: "empty command"},
		{cmd: devices.Command{ID: "c6", Device: dev, Light: &devices.LightState{Brightness: devices.Int(101)}}, wantErr: "outside 0-100"},
		{cmd: devices.Command{ID: "c7", Device: devices.Device{ID: "a+b"}, Stop: true}, wantErr: "wildcard"},
		{cmd: devices.Command{ID: "c8", Device: devices.Device{}, Stop: true}, wantErr: "no usable topic"},
		{cmd: devices.Command{ID: "c9", Device: dev, Play: &devices.Play{}}, wantErr: "no url"},
	}
	for _, tt := range tests {
		msgs, err := a.Encode(tt.cmd)
		sample.CheckEncode(t, msgs, err)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Encode(%s) err = %v, want %q", tt.cmd.ID, err, tt.wantErr)
			}
			continue
		}
		if err != nil || len(msgs) != 1 || msgs[0].Topic != tt.topic || string(msgs[0].Payload) != tt.payload || msgs[0].QoS != 1 {
			t.Errorf("Encode(%s) = %+v %s, %v", tt.cmd.ID, msgs, msgs[0].Payload, err)
		}
	}
}

func TestSubscriptions(t *testing.T) {
	if got := New("", "khu10").Subscriptions(); len(got) != 1 || got[0] != "hamlet/khu10/+/+" {
		t.Fatalf("Subscriptions = %v", got)
	}
}
