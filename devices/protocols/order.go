package protocols

import "github.com/hamlet-vn/hamlet/devices"

// OrderKey returns the key that orders the messages on topic: the protocol
// and key of the device the first matching adapter says the topic is about
// (devices.TopicKeyer), so that every message about one device, whatever its
// topic, gets the same key; or the topic itself when no adapter can tell
// (bridge-wide statuses, discovery records). Messages with the same key must
// be handled one at a time in the order they came. It is cheap (a map
// lookup and a few string operations) and safe for concurrent use.
func (r *Router) OrderKey(topic string) string {
	for _, a := range r.candidates(topic) {
		k, ok := a.(devices.TopicKeyer)
		if !ok {
			continue
		}
		if key, ok := k.TopicKey(topic); ok {
			return string(a.Protocol()) + "\x00" + key
		}
	}
	return topic
}
