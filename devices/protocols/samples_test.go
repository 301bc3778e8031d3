package protocols

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// sampleOptions is a realistic area: discovery on, and the two Tasmota
// devices of the samples whose FullTopic is not the default declared in the config.
func sampleOptions() Options {
	return Options{
		Area:             "khu10",
		HASSEnabled:      true,
		TasmotaDiscovery: true,
		Devices: []devices.Device{
			{ID: "dev400", Kind: devices.Light, Protocol: devices.Tasmota, Topic: "dev400", FullTopic: "std/%topic%/s/%prefix%/"},
			{ID: "denky", Kind: devices.Light, Protocol: devices.Tasmota, Topic: "denky_D6C0C0", FullTopic: "emoncms/ch2i/factory/%topic%/%prefix%/"},
		},
	}
}

// allowedReasons are the reasons a real firmware message may be refused for.
// Malformed, wrong_type, missing_field, empty and too_large would mean that
// hamlet misreads what real firmware sends.
var allowedReasons = map[devices.Reason]bool{devices.ReasonIgnored: true, devices.ReasonBinary: true}

// unsubscribed lists, per sample file, the topic filters hamlet knowingly does
// not subscribe to, whose lines are therefore unknown_topic.
var unsubscribed = map[string][]string{
	// lms2mqtt and mopidy-mqtt (README prefix "mytopic"): see package speakers.
	"speakers.jsonl": {"lms/#", "mytopic/#"},
	// A state topic that no discovery config of the samples announces, and a
	// command topic (hamlet publishes there, it never subscribes).
	"esphome.jsonl": {"garagedoor1/sensor/garage_temperature/state", "garagedoor1/light/+/command"},
	// Siren examples from the HA docs whose config is not in the samples;
	// set is a command topic.
	"ha_discovery.jsonl": {"home/bedroom/siren/set", "home/alarm/siren1"},
	// Frigate: command topics (…/set, ptz) and outputs hamlet does not use.
	"frigate.jsonl": {"frigate/+/+/set", "frigate/+/ptz", "frigate/profile/state", "frigate/tracked_object_update", "frigate/triggers"},
	// Shelly: RPC requests to a device and the simple control interface
	// (commands), and RPC answers addressed to another controller's src.
	"shelly.jsonl": {"+/rpc", "+/response/rpc", "+/command", "+/command/#"},
}

// TestAllSamples decodes every line of every sample file through a Router
// configured like a real area (one fresh Router per file, lines in order, so
// discovery is learned before the states it announces), requires each line
// to give reports or an allowed DecodeError, and compares the outcome of
// every line with testdata/<file>.golden (rewrite with -update).
func TestAllSamples(t *testing.T) {
	for _, file := range sample.Files(t) {
		t.Run(file, func(t *testing.T) {
			r, err := New(sampleOptions())
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			for _, l := range sample.Load(t, file) {
				reps, err := r.Decode(l.Topic, []byte(l.Payload), l.Retained)
				sample.CheckDecode(t, l.Topic, reps, err)
				fmt.Fprintf(&out, "## line %d: %s%s\n", l.N, l.Topic, map[bool]string{true: " (retained)"}[l.Retained])
				if err != nil {
					var de *devices.DecodeError
					errors.As(err, &de)
					if !allowedReasons[de.Reason] && !(de.Reason == devices.ReasonUnknownTopic && knowinglyUnsupported(file, l.Topic)) {
						t.Errorf("line %d %s: %v (source: %s)", l.N, l.Topic, err, l.Source)
					}
					fmt.Fprintf(&out, "ignored: %s: %s\n\n", de.Reason, de.Detail)
					continue
				}
				if len(reps) == 0 {
					fmt.Fprintf(&out, "no reports (decoded, nothing to say)\n\n")
					continue
				}
				enc := json.NewEncoder(&out)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				for _, rep := range reps {
					if err := enc.Encode(view(rep)); err != nil {
						t.Fatal(err)
					}
				}
				out.WriteString("\n")
			}
			sample.Golden(t, strings.TrimSuffix(file, ".jsonl"), out.Bytes())
		})
	}
}

func knowinglyUnsupported(file, topic string) bool {
	for _, f := range unsubscribed[file] {
		if devices.MatchTopic(f, topic) {
			return true
		}
	}
	return false
}

// reportView is a Report as the golden files show it: empty fields left out.
type reportView struct {
	Protocol        devices.Protocol      `json:"protocol"`
	Key             string                `json:"key"`
	Kind            devices.Kind          `json:"kind,omitempty"`
	Time            string                `json:"time,omitempty"`
	TimeLocal       bool                  `json:"time_local,omitempty"`
	Availability    devices.Availability  `json:"availability,omitempty"`
	AvailabilityAll bool                  `json:"availability_all,omitempty"`
	Light           *devices.LightState   `json:"light,omitempty"`
	Speaker         *devices.SpeakerState `json:"speaker,omitempty"`
	Camera          *devices.CameraState  `json:"camera,omitempty"`
	Metrics         map[string]float64    `json:"metrics,omitempty"`
	Events          []eventView           `json:"events,omitempty"`
	Ack             *devices.Ack          `json:"ack,omitempty"`
	Discovery       *devices.Discovery    `json:"discovery,omitempty"`
}

type eventView struct {
	Type string `json:"type"`
	Ref  string `json:"ref,omitempty"`
	Time string `json:"time,omitempty"`
}

func view(r devices.Report) reportView {
	v := reportView{
		Protocol: r.Protocol, Key: r.Key, Kind: r.Kind, TimeLocal: r.TimeLocal,
		Availability: r.Availability, AvailabilityAll: r.AvailabilityAll,
		Light: r.Light, Speaker: r.Speaker, Camera: r.Camera, Metrics: r.Metrics,
		Ack: r.Ack, Discovery: r.Discovery,
	}
	for _, e := range r.Events {
		ev := eventView{Type: e.Type, Ref: e.Ref}
		if !e.Time.IsZero() {
			ev.Time = e.Time.Format(time.RFC3339Nano)
		}
		v.Events = append(v.Events, ev)
	}
	if !r.Time.IsZero() {
		v.Time = r.Time.Format(time.RFC3339Nano)
	}
	return v
}
