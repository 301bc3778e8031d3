package devices

// Command is something hamlet asks one device to do.
type Command struct {
	ID     string // unique command id, echoed in acks where the protocol allows
	Device Device
	Light  *LightState // set on and/or brightness
	Play   *Play       // play an announcement (speakers)
	Stop   bool        // stop playing (speakers)
	Volume *int        // set volume (speakers), 0–100
}

// Priority is an announcement's urgency.
type Priority string

// Priorities: thông thường, ưu tiên, khẩn cấp.
const (
	Normal    Priority = "normal"
	Urgent    Priority = "priority"
	Emergency Priority = "emergency"
)

// Play asks a speaker to play audio.
type Play struct {
	URL          string
	Announcement string // announcement id
	Priority     Priority
	Volume       int // 0–100
}

// Message is one MQTT publication an adapter asks for. Commands are never retained.
type Message struct {
	Topic   string
	Payload []byte
	QoS     byte
}
