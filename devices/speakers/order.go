package speakers

import "github.com/hamlet-vn/hamlet/devices"

// TopicKey returns the speaker of <prefix>/<id>, <prefix>/<id>/error and
// <prefix>/status/<id>/<what>.
func (s *Sonos) TopicKey(topic string) (string, bool) {
	lv := s.levels(topic)
	switch {
	case len(lv) == 1 && lv[0] != "connected" && lv[0] != "alarms":
		return lv[0], true
	case len(lv) == 2 && lv[0] != "cmd" && lv[0] != "set" && lv[0] != "status":
		return lv[0], true
	case len(lv) == 3 && lv[0] == "status":
		return lv[1], true
	}
	return "", false
}

var _ devices.TopicKeyer = (*Sonos)(nil)
