package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// TestMultiOutputControllers: a 4-relay Tasmota cabinet and a Shelly Pro
// 4PM speak the real formats and obey per-channel commands.
func TestMultiOutputControllers(t *testing.T) {
	b := startBroker(t)
	p := newProbe(t, b.url, "#")
	f := startFleet(t, b.url, Spec{Cabinets: 1, Pro4PM: 1, Period: time.Hour, TasmotaDiscovery: true})
	var ids []string
	prefix := ""
	for _, d := range f.Devices() {
		ids = append(ids, d.ID+"@"+d.Channel)
		if d.Protocol == devices.Shelly {
			prefix = d.Topic
		}
	}
	if got := strings.Join(ids, " "); got != "tu-01-1@1 tu-01-2@2 tu-01-3@3 tu-01-4@4 pro4pm-01-0@0 pro4pm-01-1@1 pro4pm-01-2@2 pro4pm-01-3@3" {
		t.Fatalf("Devices() = %s", got)
	}
	if !strings.HasPrefix(prefix, "shellypro4pm-") {
		t.Errorf("Pro 4PM prefix %q", prefix)
	}
	// Tasmota: STATE carries POWER1…POWER4 and no Dimmer; discovery has four relays.
	p.wait(t, "tele/tu_01/STATE", func(s string) bool {
		return strings.Contains(s, `"POWER1":"OFF","POWER2":"OFF","POWER3":"OFF","POWER4":"OFF"`) && !strings.Contains(s, "Dimmer")
	})
	cfg, _ := p.waitFrom(t, 0, "tasmota discovery", func(g got) bool {
		return strings.HasPrefix(g.topic, "tasmota/discovery/") && strings.HasSuffix(g.topic, "/config")
	})
	if !strings.Contains(cfg.payload, `"rl":[1,1,1,1,0,0,0,0]`) || !strings.Contains(cfg.payload, `"fn":["Tủ điện số 1 1"`) {
		t.Errorf("discovery config %s", cfg.payload)
	}
	// Shelly: one status topic per switch.
	for _, c := range []string{"0", "1", "2", "3"} {
		p.wait(t, prefix+"/status/switch:"+c, func(s string) bool { return strings.Contains(s, `"id":`+c+`,`) })
	}

	// A channel-2 command to each: only that output changes.
	p.publish(t, "cmnd/tu_01/POWER2", "ON")
	p.waitPayload(t, "stat/tu_01/RESULT", `{"POWER2":"ON"}`)
	p.waitPayload(t, "stat/tu_01/POWER2", "ON")
	p.publish(t, prefix+"/rpc", `{"id":7,"src":"hamletd-x","method":"Switch.Set","params":{"id":2,"on":true}}`)
	p.wait(t, "hamletd-x/rpc", func(s string) bool { return strings.Contains(s, `"result":{"was_on":false}`) })
	p.wait(t, prefix+"/events/rpc", func(s string) bool { return strings.Contains(s, `"switch:2":{"id":2,"output":true`) })
	p.publish(t, prefix+"/rpc", `{"id":8,"src":"hamletd-x","method":"Switch.Set","params":{"id":4,"on":true}}`)
	p.wait(t, "hamletd-x/rpc", func(s string) bool { return strings.Contains(s, `"code":-103`) })
	for id, want := range map[string]bool{"tu-01-1": false, "tu-01-2": true, "tu-01-3": false, "tu-01-4": false,
		"pro4pm-01-0": false, "pro4pm-01-1": false, "pro4pm-01-2": true, "pro4pm-01-3": false} {
		st, err := f.Status(id)
		if err != nil || st.Light == nil || *st.Light.On != want {
			t.Errorf("%s: %+v, %v; want on %v", id, st.Light, err, want)
		}
	}
	// A relay the cabinet does not have is refused as Tasmota does.
	p.publish(t, "cmnd/tu_01/POWER5", "ON")
	p.wait(t, "stat/tu_01/RESULT", func(s string) bool { return s == `{"Command":"Unknown"}` })
}

func TestRelaysSpecErrors(t *testing.T) {
	for _, d := range []DeviceSpec{
		{ID: "a", Protocol: devices.Tasmota, Relays: 33},
		{ID: "b", Protocol: devices.Shelly, Relays: 5},
		{ID: "c", Protocol: devices.ESPHome, Relays: 2},
		{ID: "d", Protocol: devices.Tasmota, Relays: -1},
	} {
		if _, err := New(Spec{Devices: []DeviceSpec{d}}, Options{Broker: "tcp://127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), "relays") {
			t.Errorf("%s: err %v, want a relays error", d.ID, err)
		}
	}
}
