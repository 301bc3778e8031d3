package speakers

import (
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

const uuid = "RINCON_000E5000000001400"

func TestDecode(t *testing.T) {
	playing := func(s string) *devices.SpeakerState { return &devices.SpeakerState{Playing: devices.String(s)} }
	tests := []struct {
		name, topic, payload string
		want                 devices.Report // Protocol filled in
		reason               devices.Reason
		detail               string
	}{
		{name: "connected 2", topic: "sonos/connected", payload: "2", want: devices.Report{AvailabilityAll: true, Availability: devices.Online}},
		{name: "connected 1", topic: "sonos/connected", payload: "1", want: devices.Report{AvailabilityAll: true, Availability: devices.Offline}},
		{name: "connected 0", topic: "sonos/connected", payload: "0", want: devices.Report{AvailabilityAll: true, Availability: devices.Offline}},
		{name: "connected bad", topic: "sonos/connected", payload: "yes", reason: devices.ReasonWrongType, detail: `connected: want "0", "1" or "2", got "yes"`},
		{name: "connected cleared", topic: "sonos/connected", payload: "", reason: devices.ReasonIgnored},
		{name: "state playing", topic: "sonos/" + uuid, payload: `{"transportState":"PLAYING","currentTrack":{"TrackUri":"http://h/m/1.mp3"},"volume":{"Master":30},"ts":1586344373119}`,
			want: devices.Report{Key: uuid, Time: time.UnixMilli(1586344373119).UTC(), Speaker: &devices.SpeakerState{Playing: devices.String("http://h/m/1.mp3"), Volume: devices.Int(30)}}},
		{name: "state stopped", topic: "sonos/" + uuid, payload: `{"transportState":"STOPPED"}`, want: devices.Report{Key: uuid, Speaker: playing("")}},
		{name: "state playing no track", topic: "sonos/" + uuid, payload: `{"transportState":"TRANSITIONING"}`, want: devices.Report{Key: uuid, Speaker: playing(devices.PlayingUnknown)}},
		{name: "state bad transport", topic: "sonos/" + uuid, payload: `{"transportState":"DANCING"}`, reason: devices.ReasonWrongType},
		{name: "state bad volume", topic: "sonos/" + uuid, payload: `{"volume":{"Master":"loud"}}`, reason: devices.ReasonWrongType, detail: `"volume.Master": want a number 0-100, got "loud"`},
		{name: "state volume 101", topic: "sonos/" + uuid, payload: `{"volume":{"Master":101}}`, reason: devices.ReasonWrongType},
		{name: "state volume number", topic: "sonos/" + uuid, payload: `{"volume":7}`, reason: devices.ReasonWrongType, detail: `"volume": want an object, got 7`},
		{name: "state nothing", topic: "sonos/" + uuid, payload: `{"name":"Kantoor"}`, reason: devices.ReasonIgnored},
		{name: "state truncated", topic: "sonos/" + uuid, payload: `{"transportState":"PLA`, reason: devices.ReasonMalformed},
		{name: "distinct state", topic: "sonos/status/kantoor/state", payload: "PAUSED_PLAYBACK", want: devices.Report{Key: "kantoor", Speaker: playing("")}},
		{name: "distinct state bad", topic: "sonos/status/kantoor/state", payload: "5", reason: devices.ReasonWrongType},
		{name: "distinct volume", topic: "sonos/status/kantoor/volume", payload: "12", want: devices.Report{Key: "kantoor", Speaker: &devices.SpeakerState{Volume: devices.Int(12)}}},
		{name: "distinct volume object", topic: "sonos/status/kantoor/volume", payload: `{"Master":12,"LF":100}`, want: devices.Report{Key: "kantoor", Speaker: &devices.SpeakerState{Volume: devices.Int(12)}}},
		{name: "distinct volume bad", topic: "sonos/status/kantoor/volume", payload: "loud", reason: devices.ReasonWrongType, detail: `volume: want a number 0-100, got "loud"`},
		{name: "distinct muted", topic: "sonos/status/kantoor/muted", payload: "true", reason: devices.ReasonIgnored},
		{name: "error notify", topic: "sonos/" + uuid + "/error", payload: `{"command":"notify","error":{}}`, want: devices.Report{Key: uuid, Events: []devices.Event{{Type: "play_failed", Ref: "notify"}}}},
		{name: "error other", topic: "sonos/" + uuid + "/error", payload: `{"command":"next"}`, want: devices.Report{Key: uuid, Events: []devices.Event{{Type: "fault", Ref: "next"}}}},
		{name: "control", topic: "sonos/" + uuid + "/control", payload: `{"command":"stop"}`, reason: devices.ReasonIgnored},
		{name: "cmd", topic: "sonos/cmd/notify", payload: `{}`, reason: devices.ReasonIgnored},
		{name: "set", topic: "sonos/set/kantoor/volume", payload: `5`, reason: devices.ReasonIgnored},
		{name: "reply", topic: "sonos/" + uuid + "/reply", payload: `{}`, reason: devices.ReasonIgnored},
		{name: "alarms", topic: "sonos/alarms", payload: `[]`, reason: devices.ReasonIgnored},
		{name: "too deep", topic: "sonos/a/b/c/d", payload: `{}`, reason: devices.ReasonUnknownTopic},
		{name: "three levels", topic: "sonos/a/b/c", payload: `{}`, reason: devices.ReasonUnknownTopic},
		{name: "status short", topic: "sonos/status/x", payload: `{}`, reason: devices.ReasonUnknownTopic},
		{name: "other prefix", topic: "lms/b8:27/power", payload: `1`, reason: devices.ReasonUnknownTopic},
		{name: "binary", topic: "sonos/" + uuid, payload: "\xff\xfe", reason: devices.ReasonBinary},
	}
	s := NewSonos("")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := s.Decode(tt.topic, []byte(tt.payload), false)
			sample.CheckDecode(t, tt.topic, reps, err)
			if tt.reason != "" {
				if sample.Reason(err) != tt.reason {
					t.Fatalf("err = %v, want reason %s", err, tt.reason)
				}
				if de := err.(*devices.DecodeError); tt.detail != "" && de.Detail != tt.detail {
					t.Fatalf("detail = %q\n want %q", de.Detail, tt.detail)
				}
				return
			}
			if err != nil || len(reps) != 1 {
				t.Fatalf("Decode = %v, %v", reps, err)
			}
			tt.want.Protocol = devices.Sonos2MQTT
			if g, w := sample.Dump(reps[0]), sample.Dump(tt.want); g != w {
				t.Fatalf("report\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestDecodeHostile(t *testing.T) {
	s := NewSonos("sonos")
	for _, h := range sample.HostileJSON() {
		reps, err := s.Decode("sonos/"+uuid, h.Payload, false)
		sample.CheckDecode(t, "sonos/"+uuid, reps, err)
		if sample.Reason(err) != h.Reason {
			t.Errorf("%s: err = %v, want %s", h.Name, err, h.Reason)
		}
	}
}

func TestEncode(t *testing.T) {
	s := NewSonos("sonos")
	dev := devices.Device{ID: "loa1", Topic: uuid}
	ctl := "sonos/" + uuid + "/control "
	tests := []struct {
		cmd     devices.Command
		want    string
		wantErr string
	}{
		{cmd: devices.Command{Device: dev, Play: &devices.Play{URL: "http://10.0.0.2:8080/media/a1.mp3", Announcement: "a1", Volume: 60}},
			want: ctl + `{"command":"notify","input":{"trackUri":"http://10.0.0.2:8080/media/a1.mp3","volume":60,"onlyWhenPlaying":false,"timeout":600}}`},
		{cmd: devices.Command{Device: dev, Play: &devices.Play{URL: "http://h/a.mp3"}},
			want: ctl + `{"command":"notify","input":{"trackUri":"http://h/a.mp3","onlyWhenPlaying":false,"timeout":600}}`},
		{cmd: devices.Command{Device: dev, Stop: true}, want: ctl + `{"command":"stop"}`},
		{cmd: devices.Command{Device: dev, Volume: devices.Int(0)}, want: ctl + `{"command":"volume","input":0}`},
		{cmd: devices.Command{Device: dev, Stop: true, Volume: devices.Int(10)}, want: ctl + `{"command":"stop"}; ` + ctl + `{"command":"volume","input":10}`},
		{cmd: devices.Command{Device: dev, Stop: true, Play: &devices.Play{URL: "u"}}, wantErr: "both play and stop"},
		{cmd: devices.Command{Device: dev, Play: &devices.Play{}}, wantErr: "no url"},
		{cmd: devices.Command{Device: dev, Play: &devices.Play{URL: "u", Volume: 101}}, wantErr: "outside 0-100"},
		{cmd: devices.Command{Device: dev, Volume: devices.Int(-1)}, wantErr: "outside 0-100"},
		{cmd: devices.Command{Device: dev, Light: &devices.LightState{On: devices.Bool(true)}}, wantErr: "only play, stop and volume"},
		{cmd: devices.Command{Device: devices.Device{ID: "x"}, Stop: true}, wantErr: "no topic"},
		{cmd: devices.Command{Device: devices.Device{Topic: "+"}, Stop: true}, wantErr: "wildcard"},
	}
	for _, tt := range tests {
		msgs, err := s.Encode(tt.cmd)
		sample.CheckEncode(t, msgs, err)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Encode err = %v, want %q", err, tt.wantErr)
			}
			continue
		}
		var got []string
		for _, m := range msgs {
			if m.QoS != 1 {
				t.Errorf("QoS %d", m.QoS)
			}
			got = append(got, m.Topic+" "+string(m.Payload))
		}
		if strings.Join(got, "; ") != tt.want {
			t.Errorf("Encode =\n %s\nwant\n %s", strings.Join(got, "; "), tt.want)
		}
	}
}
