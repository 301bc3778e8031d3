package frigate

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// camera decodes <prefix>/<cam>/<sub...>: motion (ON/OFF: activity now),
// status/detect and status/record (online/offline/disabled), and the
// retained toggles recordings/state and detect/state (ON/OFF).
func camera(topic, cam string, sub []string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	text := strings.TrimSpace(string(payload))
	r := devices.Report{Protocol: devices.Frigate, Key: cam}
	path := strings.Join(sub, "/")
	switch {
	case path == "motion":
		on, err := onOff(topic, text)
		if err != nil {
			return nil, err
		}
		r.Camera = &devices.CameraState{Motion: devices.Bool(on)}
		if on {
			r.Events = []devices.Event{{Type: "motion"}}
		}
	case path == "status/detect" || path == "status/record":
		var up bool
		switch text {
		case "online":
			up = true
		case "offline", "disabled":
		case "":
			return nil, devices.Errorf(devices.ReasonEmpty, "%s: empty payload, want online, offline or disabled", topic)
		default:
			return nil, devices.Errorf(devices.ReasonWrongType, "%s: %s is not online, offline or disabled", topic, devices.Quote(text))
		}
		r.Camera = &devices.CameraState{}
		if path == "status/record" {
			r.Camera.Recording = devices.Bool(up)
		} else {
			r.Camera.Detecting = devices.Bool(up)
			if text != "disabled" {
				r.Camera.Streaming = devices.Bool(up) // offline: the stream is down and being restarted
			}
		}
	case path == "recordings/state" || path == "detect/state":
		on, err := onOff(topic, text)
		if err != nil {
			return nil, err
		}
		if path == "recordings/state" {
			r.Camera = &devices.CameraState{Recording: devices.Bool(on)}
		} else {
			r.Camera = &devices.CameraState{Detecting: devices.Bool(on)}
		}
	case sub[len(sub)-1] == "set":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s is a command topic (published by a controller, not Frigate)", topic)
	case sub[len(sub)-1] == "snapshot":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: snapshot images are not decoded", topic)
	case len(sub) == 1 && isCount(text), len(sub) == 2 && sub[1] == "active":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: object counts are not used by hamlet", topic)
	default:
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: %s is not used by hamlet", topic, path)
	}
	return []devices.Report{r}, nil
}

func onOff(topic, text string) (bool, *devices.DecodeError) {
	switch text {
	case "ON":
		return true, nil
	case "OFF":
		return false, nil
	case "":
		return false, devices.Errorf(devices.ReasonEmpty, "%s: empty payload, want ON or OFF", topic)
	}
	return false, devices.Errorf(devices.ReasonWrongType, "%s: %s is neither ON nor OFF", topic, devices.Quote(text))
}

func isCount(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
