package devices

// State is a device's state: what it reported, or what hamlet wants it to be.
// Only the part for the device's kind is set.
type State struct {
	Light   *LightState   `json:"light,omitempty"`
	Speaker *SpeakerState `json:"speaker,omitempty"`
	Camera  *CameraState  `json:"camera,omitempty"`
}

// IsZero reports whether s holds nothing.
func (s State) IsZero() bool { return s.Light == nil && s.Speaker == nil && s.Camera == nil }

// Merge overlays the fields a report carries on s and reports whether
// anything changed. Reports are often partial (a Shelly delta, a Tasmota
// RESULT with only POWER), so nil fields keep their previous value.
func (s *State) Merge(r Report) bool {
	changed := false
	if r.Light != nil {
		if s.Light == nil {
			s.Light = &LightState{}
		}
		changed = mergeBool(&s.Light.On, r.Light.On) || changed
		changed = mergeInt(&s.Light.Brightness, r.Light.Brightness) || changed
	}
	if r.Speaker != nil {
		if s.Speaker == nil {
			s.Speaker = &SpeakerState{}
		}
		changed = mergeString(&s.Speaker.Playing, r.Speaker.Playing) || changed
		changed = mergeInt(&s.Speaker.Volume, r.Speaker.Volume) || changed
	}
	if r.Camera != nil {
		if s.Camera == nil {
			s.Camera = &CameraState{}
		}
		changed = mergeBool(&s.Camera.Recording, r.Camera.Recording) || changed
		changed = mergeBool(&s.Camera.Detecting, r.Camera.Detecting) || changed
		changed = mergeBool(&s.Camera.Streaming, r.Camera.Streaming) || changed
		changed = mergeBool(&s.Camera.Motion, r.Camera.Motion) || changed
	}
	return changed
}

// Clone returns a deep copy of s, safe to hand to another goroutine.
func (s State) Clone() State {
	var c State
	if s.Light != nil {
		l := LightState{On: clonePtr(s.Light.On), Brightness: clonePtr(s.Light.Brightness)}
		c.Light = &l
	}
	if s.Speaker != nil {
		sp := SpeakerState{Playing: clonePtr(s.Speaker.Playing), Volume: clonePtr(s.Speaker.Volume)}
		c.Speaker = &sp
	}
	if s.Camera != nil {
		cam := CameraState{Recording: clonePtr(s.Camera.Recording), Detecting: clonePtr(s.Camera.Detecting),
			Streaming: clonePtr(s.Camera.Streaming), Motion: clonePtr(s.Camera.Motion)}
		c.Camera = &cam
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func mergeBool(dst **bool, src *bool) bool       { return mergePtr(dst, src) }
func mergeInt(dst **int, src *int) bool          { return mergePtr(dst, src) }
func mergeString(dst **string, src *string) bool { return mergePtr(dst, src) }

func mergePtr[T comparable](dst **T, src *T) bool {
	if src == nil {
		return false
	}
	if *dst != nil && **dst == *src {
		return false
	}
	v := *src
	*dst = &v
	return true
}
