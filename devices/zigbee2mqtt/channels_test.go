package zigbee2mqtt

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// A 2-gang switch (TuYa TS0002-style endpoints l1 and l2), in the shape of
// Zigbee2MQTT's published state: keys sorted, one state_<ep> per endpoint
// (fixture: no such capture is in ../shared/samples).
const twoGang = `{"linkquality":120,"power_l2":35.5,"state_l1":"ON","state_l2":"OFF"}`

func TestEndpointsAreChannels(t *testing.T) {
	a := New("")
	reps, err := a.Decode("zigbee2mqtt/cong-2gang", []byte(twoGang), false)
	sample.CheckDecode(t, "zigbee2mqtt/cong-2gang", reps, err)
	if err != nil || len(reps) != 3 {
		t.Fatalf("Decode = %v, %v; want l1, l2, then the device", reps, err)
	}
	l1, l2, dev := reps[0], reps[1], reps[2]
	if l1.Channel != "l1" || !*l1.Light.On || l2.Channel != "l2" || *l2.Light.On || l2.Metrics["power_w"] != 35.5 {
		t.Errorf("endpoints = %s / %s", sample.Dump(l1), sample.Dump(l2))
	}
	if dev.Channel != "" || dev.Light != nil || dev.Metrics["linkquality"] != 120 {
		t.Errorf("device = %s", sample.Dump(dev))
	}
	// A command to l2 reaches state_l2 only.
	msgs, err := a.Encode(devices.Command{Device: devices.Device{ID: "cong-l2", Topic: "cong-2gang", Channel: "l2"}, Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(50)}})
	if err != nil || len(msgs) != 1 || msgs[0].Topic != "zigbee2mqtt/cong-2gang/set" || string(msgs[0].Payload) != `{"brightness_l2":127,"state_l2":"ON"}` {
		t.Fatalf("Encode l2 = %v, %v", msgs, err)
	}
	if _, err := a.Encode(devices.Command{Device: devices.Device{ID: "x", Topic: "cong-2gang", Channel: "l/2"}, Light: &devices.LightState{On: devices.Bool(true)}}); err == nil {
		t.Error("endpoint l/2 accepted")
	}
	// The echo of that command is l2's state.
	reps, err = a.Decode("zigbee2mqtt/cong-2gang", []byte(`{"brightness_l2":127,"state_l1":"ON","state_l2":"ON"}`), false)
	if err != nil || len(reps) != 2 || reps[1].Channel != "l2" || *reps[1].Light.Brightness != 50 || reps[0].Light.Brightness != nil {
		t.Fatalf("echo = %v, %v", reps, err)
	}
	if _, err := a.Decode("zigbee2mqtt/cong-2gang", []byte(`{"state_l1":"MAYBE"}`), false); sample.Reason(err) != devices.ReasonWrongType {
		t.Errorf("bad endpoint state: %v", err)
	}
}
