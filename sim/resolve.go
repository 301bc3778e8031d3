package sim

import (
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// member is one simulated device with every default applied.
type member struct {
	DeviceSpec
	mac      [6]byte
	clientID string
}

// channels returns the firmware's names of a multi-output member's outputs
// (Tasmota "1"…, Shelly "0"…), or nil for a single-output member.
func (m member) channels() []string {
	if m.Relays < 2 {
		return nil
	}
	first := 1
	if m.Protocol == devices.Shelly {
		first = 0
	}
	out := make([]string, m.Relays)
	for i := range out {
		out[i] = strconv.Itoa(first + i)
	}
	return out
}

// output returns the index of the output a target names: 0 for the
// member's own id, i for "<id>-<channel i>"; false for another target.
func (m member) output(target string) (int, bool) {
	if target == m.ID {
		return 0, true
	}
	for i, ch := range m.channels() {
		if target == m.ID+"-"+ch {
			return i, true
		}
	}
	return 0, false
}

// macHex returns the MAC as 12 lower-case hex digits.
func (m member) macHex() string { return hex.EncodeToString(m.mac[:]) }

// plan is a validated Spec with defaults applied and its devices expanded.
type plan struct {
	spec    Spec
	loc     *time.Location
	members []member
}

// resolve validates spec, applies the defaults and expands the counts into
// devices. The error names every bad field.
func resolve(spec Spec) (plan, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if spec.Area == "" {
		spec.Area = DefaultArea
	}
	if spec.Prefix == "" {
		spec.Prefix = DefaultPrefix
	}
	if spec.Timezone == "" {
		spec.Timezone = DefaultTimezone
	}
	if len(spec.Zones) == 0 {
		spec.Zones = []string{"ngo-1", "ngo-2"}
	}
	if spec.Period == 0 {
		spec.Period = DefaultPeriod
	}
	if spec.Speed == 0 {
		spec.Speed = 1
	}
	if spec.AudioDuration == 0 {
		spec.AudioDuration = DefaultAudioDuration
	}
	if spec.MotionOff == 0 {
		spec.MotionOff = DefaultMotionOff
	}
	if spec.FrigateID == "" {
		spec.FrigateID = DefaultFrigateID
	}
	checkLevel(bad, "area", spec.Area)
	checkTopic(bad, "prefix", spec.Prefix)
	for i, z := range spec.Zones {
		if z == "" {
			bad("zones[%d]: empty zone id", i)
		}
	}
	loc, err := loadLocation(spec.Timezone)
	if err != nil {
		bad("timezone: %w", err)
	}
	if spec.Period < 0 {
		bad("period: %v is negative", spec.Period)
	}
	if spec.Speed < 0 || math.IsNaN(spec.Speed) || math.IsInf(spec.Speed, 0) {
		bad("speed: %v is not a positive number", spec.Speed)
	}
	if spec.AudioDuration < 0 || spec.MotionOff < 0 || spec.Chaos < 0 {
		bad("audio duration, motion off and chaos must not be negative (got %v, %v, %v)",
			spec.AudioDuration, spec.MotionOff, spec.Chaos)
	}
	counts := []struct {
		name string
		n    int
	}{{"lights", spec.Lights}, {"shelly", spec.Shelly}, {"esphome", spec.ESPHome},
		{"cameras", spec.Cameras}, {"speakers", spec.Speakers}, {"native_lights", spec.NativeLights},
		{"cabinets", spec.Cabinets}, {"pro4pm", spec.Pro4PM}}
	for _, c := range counts {
		if c.n < 0 {
			bad("%s: count %d is negative", c.name, c.n)
		}
	}
	p := plan{spec: spec, loc: loc}
	specs := append(append([]DeviceSpec(nil), spec.Devices...), generated(spec)...)
	ids := map[string]bool{}
	clients := map[string]bool{"frigate": true}
	for i, d := range specs {
		m, err := expand(spec, d, fmt.Sprintf("devices[%d]", i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ids[m.ID] || (m.ID == spec.FrigateID && hasCameras(spec)) {
			bad("devices[%d].id: %q is used twice", i, m.ID)
			continue
		}
		ids[m.ID] = true
		assignMAC(spec.Area, &m, clients)
		p.members = append(p.members, m)
	}
	for i, f := range spec.Faults {
		if !ids[f.Device] && f.Device != spec.FrigateID {
			bad("faults[%d].device: no device %q", i, f.Device)
		}
		if !validAction(f.Action) {
			bad("faults[%d].action: unknown action %q (want one of %s)", i, f.Action, actionList())
		}
		if f.At < 0 || f.Interval < 0 || f.Count < 0 {
			bad("faults[%d]: at, interval and count must not be negative", i)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return plan{}, fmt.Errorf("sim: bad spec: %w", err)
	}
	return p, nil
}

func hasCameras(spec Spec) bool {
	if spec.Cameras > 0 {
		return true
	}
	for _, d := range spec.Devices {
		if d.Protocol == devices.Frigate {
			return true
		}
	}
	return false
}

// generated returns the devices that the counts ask for.
func generated(spec Spec) []DeviceSpec {
	var out []DeviceSpec
	add := func(n int, mk func(i int, zone string) DeviceSpec) {
		for i := 1; i <= n; i++ {
			out = append(out, mk(i, spec.Zones[(i-1)%len(spec.Zones)]))
		}
	}
	add(spec.Lights, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("den-%02d", i), Name: fmt.Sprintf("Đèn đường số %d", i),
			Protocol: devices.Tasmota, Zone: z, Topic: fmt.Sprintf("den_%02d", i)}
	})
	add(spec.Shelly, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("shelly-%02d", i), Name: fmt.Sprintf("Đèn rơ-le Shelly số %d", i),
			Protocol: devices.Shelly, Zone: z}
	})
	add(spec.ESPHome, func(i int, z string) DeviceSpec {
		id := fmt.Sprintf("esp-den-%02d", i)
		return DeviceSpec{ID: id, Name: fmt.Sprintf("Đèn ESPHome số %d", i), Protocol: devices.ESPHome, Zone: z, Topic: id}
	})
	add(spec.Cameras, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("cam-%02d", i), Name: fmt.Sprintf("Camera số %d", i),
			Protocol: devices.Frigate, Zone: z, Topic: fmt.Sprintf("cam_%02d", i)}
	})
	add(spec.Speakers, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("loa-%02d", i), Name: fmt.Sprintf("Loa số %d", i),
			Protocol: devices.Native, Kind: devices.Speaker, Zone: z}
	})
	add(spec.NativeLights, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("den-nat-%02d", i), Name: fmt.Sprintf("Đèn thông minh số %d", i),
			Protocol: devices.Native, Kind: devices.Light, Zone: z}
	})
	add(spec.Cabinets, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("tu-%02d", i), Name: fmt.Sprintf("Tủ điện số %d", i),
			Protocol: devices.Tasmota, Zone: z, Topic: fmt.Sprintf("tu_%02d", i), Relays: 4}
	})
	add(spec.Pro4PM, func(i int, z string) DeviceSpec {
		return DeviceSpec{ID: fmt.Sprintf("pro4pm-%02d", i), Name: fmt.Sprintf("Tủ Shelly Pro 4PM số %d", i),
			Protocol: devices.Shelly, Zone: z, Relays: 4}
	})
	return out
}

// expand checks one device and applies its defaults.
func expand(spec Spec, d DeviceSpec, field string) (member, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(field+"."+format, args...)) }
	if d.ID == "" {
		bad("id: required")
	} else {
		checkLevel(bad, "id", d.ID)
	}
	if d.Name == "" {
		d.Name = d.ID
	}
	if d.Zone == "" {
		d.Zone = spec.Zones[0]
	} else if !contains(spec.Zones, d.Zone) {
		bad("zone: %q is not one of the zones %s", d.Zone, strings.Join(spec.Zones, ", "))
	}
	if d.Brightness == 0 {
		d.Brightness = 100
	}
	if d.Brightness < 0 || d.Brightness > 100 {
		bad("brightness: %d is outside 0–100", d.Brightness)
	}
	if d.LoadW < 0 {
		bad("load_w: %v is negative", d.LoadW)
	}
	if d.Relays == 0 {
		d.Relays = 1
	}
	switch {
	case d.Relays < 0:
		bad("relays: %d is negative", d.Relays)
	case d.Relays > 1 && d.Protocol == devices.Tasmota && d.Relays > 32:
		bad("relays: %d is more than Tasmota's 32 (POWER32)", d.Relays)
	case d.Relays > 1 && d.Protocol == devices.Shelly && d.Relays > 4:
		bad("relays: %d is more than a Shelly Pro 4PM's 4 switches", d.Relays)
	case d.Relays > 1 && d.Protocol != devices.Tasmota && d.Protocol != devices.Shelly:
		bad("relays: only tasmota and shelly controllers have several outputs, not %s", d.Protocol)
	}
	switch d.Protocol {
	case devices.Tasmota, devices.ESPHome, devices.Frigate:
		if d.Topic == "" {
			d.Topic = strings.ReplaceAll(d.ID, "-", "_")
			if d.Protocol == devices.ESPHome {
				d.Topic = d.ID
			}
		}
		checkLevel(bad, "topic", d.Topic)
	case devices.Shelly:
		if d.Topic != "" {
			checkTopic(bad, "topic", d.Topic)
		}
	case devices.Native:
	default:
		bad("protocol: %q is not simulated (want tasmota, shelly, esphome, frigate or native)", d.Protocol)
	}
	switch d.Protocol {
	case devices.Frigate:
		d.Kind = devices.Camera
	case devices.Native:
		if d.Kind == "" {
			d.Kind = devices.Speaker
		}
		if d.Kind != devices.Speaker && d.Kind != devices.Light {
			bad("kind: native %q devices are not simulated (want light or speaker)", d.Kind)
		}
	default:
		d.Kind = devices.Light
	}
	if d.FullTopic != "" && (d.Protocol != devices.Tasmota || !strings.Contains(d.FullTopic, "%prefix%") ||
		!strings.Contains(d.FullTopic, "%topic%")) {
		bad("full_topic: %q must be a Tasmota FullTopic containing %%prefix%% and %%topic%%", d.FullTopic)
	}
	if d.Protocol == devices.ESPHome {
		if d.Object == "" {
			d.Object = snake(d.Topic) + "_light"
		}
		checkLevel(bad, "object", d.Object)
	}
	if d.LoadW == 0 {
		d.LoadW = 40
		if d.Protocol == devices.Shelly {
			d.LoadW = 60
		}
	}
	return member{DeviceSpec: d}, errors.Join(errs...)
}

// assignMAC derives a stable MAC address and the firmware's client id from
// the area and device id, salting the hash until the client id is unused
// (Tasmota's DVES_XXXXXX keeps only 24 bits of the MAC).
func assignMAC(area string, m *member, used map[string]bool) {
	for salt := 0; ; salt++ {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s/%s/%d", area, m.ID, salt)
		sum := h.Sum64()
		for i := range m.mac {
			m.mac[i] = byte(sum >> (8 * i))
		}
		m.mac[0] = m.mac[0]&0xfc | 0x02 // locally administered, unicast
		switch m.Protocol {
		case devices.Tasmota:
			m.clientID = "DVES_" + strings.ToUpper(m.macHex()[6:])
		case devices.Shelly:
			m.clientID = "shellyplus1pm-" + m.macHex()
			if m.Relays > 1 {
				m.clientID = "shellypro4pm-" + m.macHex()
			}
		case devices.ESPHome:
			m.clientID = m.Topic + "-" + m.macHex()
		case devices.Native:
			m.clientID = area + "-" + m.ID
		case devices.Frigate:
			return // the cameras share the Frigate instance's connection
		}
		if !used[m.clientID] {
			used[m.clientID] = true
			if m.Protocol == devices.Shelly && m.Topic == "" {
				m.Topic = m.clientID
			}
			return
		}
	}
}

// loadLocation loads the named zone, falling back to a fixed UTC+7 for
// Vietnam's zone on systems without a time zone database.
func loadLocation(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil && (name == "Asia/Ho_Chi_Minh" || name == "Asia/Saigon") {
		return time.FixedZone("+07", 7*3600), nil
	}
	return loc, err
}

func checkLevel(bad func(string, ...any), field, v string) {
	checkTopic(bad, field, v)
	if strings.Contains(v, "/") {
		bad("%s: %q must be one topic level (no '/')", field, v)
	}
}

func checkTopic(bad func(string, ...any), field, v string) {
	if err := devices.CheckTopic(v); err != nil {
		bad("%s: %w", field, err)
	}
}

func validAction(a FaultAction) bool { return contains(FaultActions, a) }

func actionList() string {
	s := make([]string, len(FaultActions))
	for i, a := range FaultActions {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// snake turns a name into an ESPHome-style object id: lower case, with
// every character other than a-z, 0-9 and '_' replaced by '_'.
func snake(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
