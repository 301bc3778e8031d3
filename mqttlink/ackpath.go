//go:build !paho_ack

package mqttlink

// pahoAckPath selects how received QoS 1 messages are acknowledged. In the
// default build it is false: on TCP and TLS connections the link writes the
// PUBACKs itself through bufferedConn (see docs/mqtt.md, "The acknowledgement
// path"). Built with -tags paho_ack it is true and paho's own path is used
// (its dialer, its memory store and Message.Ack), for the benchmark that
// decides whether the bypass earns its keep (bench/results.md).
const pahoAckPath = false
