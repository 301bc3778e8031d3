package ingest

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
)

// channelPipeline runs real adapters (the protocols router) over a registry
// declaring a 4-relay Tasmota's relays 1 and 2.
func channelPipeline(t *testing.T) (*Pipeline, *devices.Registry, *fakeStore) {
	t.Helper()
	declared := []devices.Device{
		{ID: "tu-1", Kind: devices.Light, Zone: "ngo-3", Protocol: devices.Tasmota, Topic: "tu_den"},
		{ID: "tu-2", Kind: devices.Light, Zone: "ngo-3", Protocol: devices.Tasmota, Topic: "tu_den", Channel: "2"},
	}
	router, err := protocols.New(protocols.Options{Area: "khu10", HASSEnabled: true, TasmotaDiscovery: true, Devices: declared})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	reg := devices.NewRegistry(declared, nil, now)
	store := &fakeStore{}
	p := New(Options{Area: "khu10", Decoder: router, Registry: reg, Store: store, Now: func() time.Time { return now }})
	return p, reg, store
}

func handle(p *Pipeline, topic, payload string) {
	p.Handle(topic, []byte(payload), false, func() {})
}

func on(t *testing.T, reg *devices.Registry, id string) string {
	t.Helper()
	s, ok := reg.Get(id)
	if !ok {
		t.Fatalf("no device %s", id)
	}
	if s.Reported.Light == nil || s.Reported.Light.On == nil {
		return "?"
	}
	return map[bool]string{true: "on", false: "off"}[*s.Reported.Light.On]
}

func TestChannelsThroughThePipeline(t *testing.T) {
	p, reg, store := channelPipeline(t)
	handle(p, "tele/tu_den/STATE", `{"Time":"2026-12-01T18:00:00","UptimeSec":60,"POWER1":"ON","POWER2":"OFF","POWER3":"ON","POWER4":"OFF"}`)
	handle(p, "stat/tu_den/RESULT", `{"POWER2":"ON"}`)
	for id, want := range map[string]string{"tu-1": "on", "tu-2": "on", "tasmota-tu_den-3": "on", "tasmota-tu_den-4": "off"} {
		if got := on(t, reg, id); got != want {
			t.Errorf("%s = %s, want %s", id, got, want)
		}
	}
	if s, _ := reg.Get("tu-1"); s.Telemetry["uptime_s"] != 60 {
		t.Errorf("relay 1 telemetry %v", s.Telemetry)
	}
	if d := store.discovered["tasmota-tu_den-3"]; d.Channel != "3" || d.Topic != "tu_den" {
		t.Errorf("undeclared relay 3 stored as %+v", d)
	}
	// The controller's LWT applies to all four.
	handle(p, "tele/tu_den/LWT", "Offline")
	for _, d := range reg.Channels(devices.Address{Protocol: devices.Tasmota, Key: "tu_den"}) {
		if s, _ := reg.Get(d.ID); s.Availability != devices.Offline {
			t.Errorf("%s is %s after the LWT Offline", d.ID, s.Availability)
		}
	}
}

func TestMultiOutputDiscovery(t *testing.T) {
	p, reg, _ := channelPipeline(t)
	// Shelly Pro 4PM: one light per switch component.
	handle(p, "pro4pm/events/rpc", `{"src":"shellypro4pm-aabbcc","method":"NotifyFullStatus","params":{"ts":1764612000.1,`+
		`"switch:0":{"id":0,"output":true,"apower":30},"switch:1":{"id":1,"output":false,"apower":0},`+
		`"switch:2":{"id":2,"output":true,"apower":31},"switch:3":{"id":3,"output":false,"apower":0},"wifi":{"rssi":-60}}}`)
	// Tasmota discovery of a 2-relay board (rl [1,1]).
	handle(p, "tasmota/discovery/AABBCCDDEEFF/config", `{"ip":"10.0.0.9","dn":"Tu","fn":["Ngo 5 trai","Ngo 5 phai"],"hn":"tu5","mac":"AABBCCDDEEFF","md":"Sonoff Dual R2","ofln":"Offline","onln":"Online","state":["OFF","ON","TOGGLE","HOLD"],"sw":"14.1.0","t":"tu5","ft":"%prefix%/%topic%/","tp":["cmnd","stat","tele"],"rl":[1,1,0,0],"lt_st":0}`)
	var ids []string
	for _, s := range reg.List(devices.Filter{}) {
		if s.Discovered {
			ids = append(ids, s.ID+"@"+s.Channel)
		}
	}
	sort.Strings(ids)
	want := "shellypro4pm-aabbcc-0@0 shellypro4pm-aabbcc-1@1 shellypro4pm-aabbcc-2@2 shellypro4pm-aabbcc-3@3 tasmota-aabbccddeeff-1@1 tasmota-aabbccddeeff-2@2"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("discovered\n got %s\nwant %s", got, want)
	}
	if got := on(t, reg, "shellypro4pm-aabbcc-2"); got != "on" {
		t.Errorf("switch:2 = %s", got)
	}
	if s, _ := reg.Get("shellypro4pm-aabbcc-2"); s.Telemetry["power_w"] != 31 {
		t.Errorf("switch:2 telemetry %v", s.Telemetry)
	}
	if s, _ := reg.Get("tasmota-aabbccddeeff-2"); s.Name != "Ngo 5 phai" {
		t.Errorf("relay 2 name %q", s.Name)
	}
	// Relay 2 of the Tasmota reports on its own device.
	handle(p, "stat/tu5/POWER2", "ON")
	if got := on(t, reg, "tasmota-aabbccddeeff-2"); got != "on" {
		t.Errorf("tasmota relay 2 = %s", got)
	}
	if got := on(t, reg, "tasmota-aabbccddeeff-1"); got != "?" {
		t.Errorf("tasmota relay 1 = %s, want no state", got)
	}
	// Clearing the Tasmota discovery forgets both relays.
	handle(p, "tasmota/discovery/AABBCCDDEEFF/config", "")
	if _, ok := reg.Get("tasmota-aabbccddeeff-1"); ok {
		t.Error("relay 1 kept after discovery was cleared")
	}
}
