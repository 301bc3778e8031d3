//go:build paho_ack

package mqttlink

// pahoAckPath is true in a build with -tags paho_ack: paho's own dialer,
// store and Message.Ack acknowledge received messages (see ackpath.go).
const pahoAckPath = true
