package protocols

import (
	"testing"

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
			sample.DecodeFile(t, r, file, func(l sample.Line, reason devices.Reason) bool {
				return allowedReasons[reason] || reason == devices.ReasonUnknownTopic && knowinglyUnsupported(file, l.Topic)
			})
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
