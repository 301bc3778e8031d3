package sample

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// reportView is a Report without its zero fields, for golden files.
type reportView struct {
	Protocol        devices.Protocol      `json:"protocol"`
	Key             string                `json:"key,omitempty"`
	Channel         string                `json:"channel,omitempty"`
	Primary         bool                  `json:"primary,omitempty"`
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
	Discovery       *discoveryView        `json:"discovery,omitempty"`
}

type discoveryView struct {
	Remove    bool              `json:"remove,omitempty"`
	ID        string            `json:"id,omitempty"`
	Name      string            `json:"name,omitempty"`
	Model     string            `json:"model,omitempty"`
	Firmware  string            `json:"firmware,omitempty"`
	Zone      string            `json:"zone,omitempty"`
	Topic     string            `json:"topic,omitempty"`
	FullTopic string            `json:"full_topic,omitempty"`
	Extra     map[string]string `json:"extra,omitempty"`
}

type eventView struct {
	Type string `json:"type"`
	Ref  string `json:"ref,omitempty"`
	Time string `json:"time,omitempty"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Render writes one decoded message for a golden file: the topic, then each
// report as indented JSON, or "ignored: <reason>: <detail>".
func Render(t testing.TB, b *strings.Builder, n int, topic string, retained bool, reps []devices.Report, err error) {
	t.Helper()
	fmt.Fprintf(b, "## %d %s", n, topic)
	if retained {
		b.WriteString(" (retained)")
	}
	b.WriteByte('\n')
	if err != nil {
		var de *devices.DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("%s: error %v is not a *devices.DecodeError", topic, err)
		}
		fmt.Fprintf(b, "ignored: %s: %s\n", de.Reason, de.Detail)
		return
	}
	if len(reps) == 0 {
		b.WriteString("no reports\n")
	}
	for _, r := range reps {
		v := reportView{Protocol: r.Protocol, Key: r.Key, Channel: r.Channel, Primary: r.Primary, Kind: r.Kind, Time: stamp(r.Time), TimeLocal: r.TimeLocal,
			Availability: r.Availability, AvailabilityAll: r.AvailabilityAll, Light: r.Light, Speaker: r.Speaker,
			Camera: r.Camera, Metrics: r.Metrics, Ack: r.Ack}
		if d := r.Discovery; d != nil {
			v.Discovery = &discoveryView{d.Remove, d.ID, d.Name, d.Model, d.Firmware, d.Zone, d.Topic, d.FullTopic, d.Extra}
		}
		for _, e := range r.Events {
			v.Events = append(v.Events, eventView{Type: e.Type, Ref: e.Ref, Time: stamp(e.Time)})
		}
		j, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
}
