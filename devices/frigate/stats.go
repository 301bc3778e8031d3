package frigate

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// notCamera lists top-level keys of frigate/stats that are not cameras in the
// old layout (cameras at the top level, before the "cameras" key).
func notCamera(key string) bool {
	switch key {
	case "detectors", "service", "cpu_usages", "gpu_usages", "npu_usages", "processes", "embeddings",
		"bandwidth_usages", "camera_fps", "process_fps", "skipped_fps", "detection_fps", "cameras":
		return true
	}
	return false
}

// stats decodes frigate/stats into one report per camera, sorted by name:
// metrics fps (camera_fps), process_fps, detection_fps and skipped_fps, and
// Streaming false when camera_fps is 0 (an offline camera's frame rate
// drops to 0), true otherwise. Both the current layout (cameras under
// "cameras") and the old one (cameras at the top level) are read. The time
// is service.last_updated when present.
func stats(payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, err
	}
	cams, hasCams, err := o.Object("cameras")
	if err != nil {
		return nil, err
	}
	if !hasCams {
		cams = o
	}
	var when float64
	if svc, ok, err := o.Object("service"); err != nil {
		return nil, err
	} else if ok {
		if when, _, err = svc.Number("last_updated"); err != nil {
			return nil, err
		}
	}
	var out []devices.Report
	for _, name := range cams.Keys() {
		if (!hasCams && notCamera(name)) || !cameraName(name) {
			continue
		}
		if _, ok := cams.Raw(name); !ok {
			continue
		}
		c, _, err := cams.Object(name)
		if err != nil {
			if hasCams {
				return nil, err
			}
			continue // old layout: some other top-level value
		}
		r, ok, err := cameraStats(name, c)
		if err != nil {
			return nil, err
		}
		if ok {
			r.Time = wallTime(when)
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, devices.Errorf(devices.ReasonIgnored, "stats list no camera with %q", "camera_fps")
	}
	return out, nil
}

// cameraName reports whether name can be a Frigate camera (and a key):
// non-empty, one topic level, no wildcards.
func cameraName(name string) bool {
	return name != "" && !strings.ContainsAny(name, "/+#\x00")
}

// cameraStats reads one camera's block; ok is false when it has no camera_fps.
func cameraStats(name string, c jsonfield.Object) (devices.Report, bool, *devices.DecodeError) {
	fps, ok, err := c.Number("camera_fps")
	if err != nil || !ok {
		return devices.Report{}, false, err
	}
	r := devices.Report{Protocol: devices.Frigate, Key: name, Metrics: map[string]float64{"fps": fps},
		Camera: &devices.CameraState{Streaming: devices.Bool(fps > 0)}}
	for _, k := range []string{"process_fps", "detection_fps", "skipped_fps"} {
		v, ok, err := c.Number(k)
		if err != nil {
			return devices.Report{}, false, err
		}
		if ok {
			r.Metrics[k] = v
		}
	}
	if on, ok, _ := c.Bool("detection_enabled"); ok {
		r.Camera.Detecting = devices.Bool(on)
	}
	return r, true, nil
}
