package frigate

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// TopicKey returns the camera of <prefix>/<camera>/…. The prefix-wide
// topics (available, events, reviews, stats) are about every camera.
func (a *Adapter) TopicKey(topic string) (string, bool) {
	rest, ok := strings.CutPrefix(topic, a.prefix+"/")
	if !ok {
		return "", false
	}
	cam, sub, ok := strings.Cut(rest, "/")
	return cam, ok && cam != "" && sub != ""
}

var _ devices.TopicKeyer = (*Adapter)(nil)
