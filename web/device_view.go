package web

import (
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
)

// deviceView is a device as the API shows it. Reported and desired state are
// normalised for the device's kind: a light is {"on","brightness"} (0–100),
// a speaker {"playing","volume"}, a camera {"recording","detecting",
// "streaming","motion"}; {} when nothing is known.
type deviceView struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	Kind         string             `json:"kind"`
	Zone         string             `json:"zone"`
	Protocol     string             `json:"protocol"`
	Channel      string             `json:"channel,omitempty"` // the controller's output; absent for its first
	Availability string             `json:"availability"`
	Cause        string             `json:"cause"`
	Since        jsonTime           `json:"since"`
	LastSeen     jsonTime           `json:"last_seen"`
	Reported     any                `json:"reported"`
	Desired      any                `json:"desired"`
	Telemetry    map[string]float64 `json:"telemetry"`
	TelemetryAt  jsonTime           `json:"telemetry_at"`
	Model        string             `json:"model,omitempty"`
	Firmware     string             `json:"firmware,omitempty"`
	Discovered   bool               `json:"discovered"`
	Removed      bool               `json:"removed,omitempty"`
	// Light is a light's override and faults, when the lights capability runs.
	Light *lights.Status `json:"light,omitempty"`
}

func (s *Server) deviceView(st devices.Status) deviceView {
	tel := st.Telemetry
	if tel == nil {
		tel = map[string]float64{}
	}
	v := deviceView{
		ID: st.ID, Name: st.Name, Kind: string(st.Kind), Zone: st.Zone, Protocol: string(st.Protocol),
		Channel: st.Channel, Availability: string(st.Availability), Cause: string(st.Cause),
		Since: s.jt(st.Since), LastSeen: s.jt(st.LastSeen),
		Reported: kindState(st.Kind, st.Reported), Desired: kindState(st.Kind, st.Desired),
		Telemetry: tel, TelemetryAt: s.jt(st.TelemetryAt),
		Model: st.Model, Firmware: st.Firmware, Discovered: st.Discovered,
	}
	if s.opts.Lights != nil && st.Kind == devices.Light {
		if ls, ok := s.opts.Lights.LightStatus(st.ID); ok {
			v.Light = &ls
		}
	}
	return v
}

// kindState returns the part of st for kind k, or {} when there is none.
func kindState(k devices.Kind, st devices.State) any {
	switch {
	case st.Light != nil && (k == devices.Light || k == ""):
		return st.Light
	case st.Speaker != nil && (k == devices.Speaker || k == ""):
		return st.Speaker
	case st.Camera != nil && (k == devices.Camera || k == ""):
		return st.Camera
	}
	return struct{}{}
}
