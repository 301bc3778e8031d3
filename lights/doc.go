// Package lights is the street-light capability: it switches and dims
// lights on command and confirms each lamp from its reported state, keeps
// every light's desired state (in the store) and pushes it to lights that
// differ on start, on every broker reconnect and when a light comes back
// online, rate-limited so that a thousand lamps returning at once do not
// flood the broker.
//
// It never imports web: web resolves and zone-checks a command's targets and
// calls Service.Command with the resolved devices. Commands are encoded per
// protocol by the adapters (devices.Adapter.Encode) and published QoS 1,
// never retained, through a Publisher the daemon satisfies with mqttlink.
package lights
