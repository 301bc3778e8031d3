package sim

import (
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Defaults used by Spec and Options fields left at their zero value.
const (
	DefaultArea           = "khu10"
	DefaultPrefix         = "hamlet"
	DefaultTimezone       = "Asia/Ho_Chi_Minh"
	DefaultPeriod         = 10 * time.Second
	DefaultAudioDuration  = 3 * time.Second
	DefaultMotionOff      = 30 * time.Second
	DefaultFrigateID      = "frigate"
	DefaultConnectTimeout = 5 * time.Second
	DefaultPublishTimeout = 5 * time.Second
)

// Spec describes a simulated area: which devices exist, how often they
// report and which faults are injected when. Durations in a Spec are in
// simulated time: the simulator divides them by Speed.
type Spec struct {
	// Area is the area id, the second level of native topics. Default DefaultArea.
	Area string
	// Prefix is the native topic prefix. Default DefaultPrefix.
	Prefix string
	// Timezone is the area's IANA timezone, used for Tasmota's local-time
	// timestamps. Default DefaultTimezone.
	Timezone string
	// Zones are the zone ids; generated devices are spread over them in turn.
	// Default "ngo-1" and "ngo-2".
	Zones []string

	// Counts of generated devices per protocol, added after Devices.
	Lights       int // Tasmota street lights with energy meters (den-01 …)
	Shelly       int // Shelly Plus 1PM relays driving a lamp (shelly-01 …)
	ESPHome      int // ESPHome JSON lights announced by HA discovery (esp-den-01 …)
	Cameras      int // cameras of the one Frigate instance (cam-01 …)
	Speakers     int // native speakers (loa-01 …)
	NativeLights int // native lights (den-nat-01 …)
	Cabinets     int // 4-relay Tasmota cabinets (tu-01 …), one light per relay (tu-01-1 … tu-01-4)
	Pro4PM       int // Shelly Pro 4PM, four metered switches (pro4pm-01 …), one light per switch (pro4pm-01-0 …)

	// Devices are explicitly described devices, simulated before the counted ones.
	Devices []DeviceSpec

	// Period is the telemetry period in simulated time. Default DefaultPeriod.
	Period time.Duration
	// Speed divides every simulated duration (Period, audio, motion, the fault
	// schedule, Chaos) to get real time: 10 runs ten times faster. Default 1.
	Speed float64
	// Seed seeds every random choice, so that two runs with the same Spec
	// send the same values and inject the same faults.
	Seed int64
	// AudioDuration is how long a native speaker plays when the play command
	// carries no duration_s. Default DefaultAudioDuration.
	AudioDuration time.Duration
	// MotionOff is how long a Frigate camera reports motion ON before OFF
	// (Frigate's motion.mqtt_off_delay). Default DefaultMotionOff.
	MotionOff time.Duration
	// FrigateID is the fault target naming the Frigate instance itself (its
	// one MQTT connection), as opposed to one of its cameras. Default DefaultFrigateID.
	FrigateID string
	// FirmwareQoS makes devices publish their telemetry and state with the QoS
	// their firmware uses (Tasmota and ESPHome 0) instead of QoS 1, which the
	// simulator uses by default so that the daemon's no-loss path carries
	// everything.
	FirmwareQoS bool
	// TasmotaDiscovery makes Tasmota devices publish their retained
	// tasmota/discovery/<MAC>/config and …/sensors records (SetOption19 0).
	TasmotaDiscovery bool

	// Faults is a schedule of faults that Run injects.
	Faults []Fault
	// Chaos, when positive, makes Run inject a random fault (or restore a
	// dropped device) about every Chaos of simulated time.
	Chaos time.Duration
}

// DeviceSpec describes one simulated device.
type DeviceSpec struct {
	// ID is the device id, unique in the fleet. Required.
	ID string
	// Name is the human name. Default: the ID.
	Name string
	// Protocol is tasmota, shelly, esphome, frigate or native. Required.
	Protocol devices.Protocol
	// Kind is light or speaker for native devices (default speaker); the
	// other protocols imply it (frigate: camera, else light).
	Kind devices.Kind
	// Zone is a zone id from Spec.Zones. Default: the first zone.
	Zone string
	// Topic is the protocol address: the Tasmota %topic%, the Shelly topic
	// prefix, the ESPHome node name, the Frigate camera name; unused for
	// native devices. Default: derived from the ID (Shelly: its device id,
	// shellyplus1pm-<mac>).
	Topic string
	// FullTopic is a Tasmota FullTopic such as "tasmota/%topic%/%prefix%/".
	// Default "%prefix%/%topic%/".
	FullTopic string
	// Object is the ESPHome light's object id. Default: the node name in
	// snake case followed by "_light".
	Object string
	// On and Brightness (0–100; 0 means 100) are a light's initial state.
	On         bool
	Brightness int
	// LoadW is the lamp's power at full brightness in watts. Default 40
	// (Shelly: 60).
	LoadW float64
	// Relays is the number of outputs of a multi-output controller: Tasmota
	// relays POWER1…POWERn (1–32, plain relays without dimmer or meter, like
	// a Sonoff 4CH), Shelly switch components switch:0…switch:n-1 (1–4,
	// metered, like a Pro 4PM). Each output is a light of its own in
	// Fleet.Devices, id "<ID>-<channel>" with the firmware's channel (Tasmota
	// 1…n, Shelly 0…n-1); faults target the controller's ID, Status takes
	// either. Default 1: one output, the device itself. On and Brightness
	// apply to every output.
	Relays int
}

// FaultAction names a fault.
type FaultAction string

// The faults the simulator injects.
const (
	// FaultDropWithWill cuts the TCP connection so the broker publishes the Last Will.
	FaultDropWithWill FaultAction = "drop-with-will"
	// FaultDropSilently disconnects cleanly (the broker discards the will)
	// and stays silent: only an inactivity timeout can notice.
	FaultDropSilently FaultAction = "drop-silently"
	// FaultRestore reconnects a dropped device, which republishes its birth and state.
	FaultRestore FaultAction = "restore"
	// FaultFlap drops with will and restores Count times, Interval apart.
	FaultFlap FaultAction = "flap"
	// FaultGarbage publishes malformed payloads on the device's topics.
	FaultGarbage FaultAction = "garbage"
)

// FaultActions lists every fault action.
var FaultActions = []FaultAction{FaultDropWithWill, FaultDropSilently, FaultRestore, FaultFlap, FaultGarbage}

// Fault is one scheduled fault.
type Fault struct {
	// At is the simulated time after the fleet started.
	At time.Duration
	// Device is a device id, or Spec.FrigateID for the Frigate instance.
	Device string
	// Action is what happens.
	Action FaultAction
	// Count and Interval (simulated) are FaultFlap's cycles and their spacing.
	// Default 3 and 10 s.
	Count    int
	Interval time.Duration
}

// Options are how the fleet reaches the broker and reports what it does.
type Options struct {
	// Broker is the broker URL: tcp:// or mqtt:// (plain), ssl://, tls://,
	// mqtts:// or tcps:// (TLS). Required.
	Broker string
	// Username and Password authenticate every device. Default none.
	Username, Password string
	// TLS configures TLS brokers. Default: system roots.
	TLS *tls.Config
	// Logger receives what the fleet does. Default: discard.
	Logger *slog.Logger
	// Now is the devices' clock. Default time.Now.
	Now func() time.Time
	// ConnectTimeout bounds one connection attempt. Default DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// PublishTimeout bounds the wait for one QoS 1 acknowledgement. Default DefaultPublishTimeout.
	PublishTimeout time.Duration
}
