package devices

// TopicKeyer is implemented by adapters that can tell from a topic alone,
// before any payload is read, which device a message on it is about. The
// broker link uses it to hand every message about one device to the same
// worker, so that they are handled in the order they came even when they
// arrive on different topics (a retained state, then a Last Will "offline").
type TopicKeyer interface {
	// TopicKey returns the Key that reports decoded from a message on topic
	// carry, or ok=false when the topic is not about one device of the
	// adapter (a bridge-wide status, a discovery record, a foreign topic).
	// It must be cheap and must not block: it runs for every message, on the
	// goroutine that reads from the broker.
	TopicKey(topic string) (key string, ok bool)
}
