package shelly

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// pro4pm is a Shelly Pro 4PM: four switch components with metering. The
// payloads have the shape of the real Plus 1PM captures in
// ../shared/samples/shelly.jsonl, with component ids 0-3 (fixture).
const pro4pm = "shellypro4pm-a8032ab1c2d3"

func pro4pmStatus(id string, on bool, w string) string {
	o := map[bool]string{true: "true", false: "false"}[on]
	return `{"id":` + id + `, "source":"init", "output":` + o + `, "apower":` + w + `, "voltage":231.0, "current":0.100, "aenergy":{"total":12.000,"by_minute":[0.000,0.000,0.000],"minute_ts":1661517385},"temperature":{"tC":41.2, "tF":106.2}}`
}

func TestProFourPMIsFourLights(t *testing.T) {
	a := New("hamletd-khu10")
	full := `{"src":"` + pro4pm + `","dst":"tu-den/events","method":"NotifyFullStatus","params":{"ts":1661517385.44,` +
		`"switch:0":` + pro4pmStatus("0", true, "35.5") + `,"switch:1":` + pro4pmStatus("1", false, "0.0") + `,` +
		`"switch:2":` + pro4pmStatus("2", true, "40.1") + `,"switch:3":` + pro4pmStatus("3", false, "0.0") + `,"wifi":{"rssi":-58},"sys":{"uptime":100}}}`
	reps, err := a.Decode("tu-den/events/rpc", []byte(full), false)
	sample.CheckDecode(t, "tu-den/events/rpc", reps, err)
	if err != nil {
		t.Fatal(err)
	}
	var disc, outs []string
	for _, r := range reps {
		switch {
		case r.Discovery != nil:
			disc = append(disc, r.Channel+"="+r.Discovery.ID)
		case r.Light != nil:
			outs = append(outs, r.Channel+map[bool]string{true: ":on", false: ":off"}[*r.Light.On])
			if r.Channel == "2" && r.Metrics["power_w"] != 40.1 {
				t.Errorf("switch:2 metrics %v", r.Metrics)
			}
		case r.Channel == "":
			if r.Metrics["rssi_dbm"] != -58 || r.Metrics["uptime_s"] != 100 {
				t.Errorf("device metrics %v", r.Metrics)
			}
		}
	}
	if got := strings.Join(disc, " "); got != "0="+pro4pm+"-0 1="+pro4pm+"-1 2="+pro4pm+"-2 3="+pro4pm+"-3" {
		t.Errorf("discovered %q", got)
	}
	if got := strings.Join(outs, " "); got != "0:on 1:off 2:on 3:off" {
		t.Errorf("outputs %q", got)
	}
	// A second full status discovers nothing new.
	reps, _ = a.Decode("tu-den/events/rpc", []byte(full), false)
	for _, r := range reps {
		if r.Discovery != nil {
			t.Errorf("rediscovered %+v", r.Discovery)
		}
	}
	// A command to channel 2 is Switch.Set id 2; its answer is channel 2's.
	msgs, err := a.Encode(devices.Command{ID: "c9", Device: devices.Device{ID: "tu-den-2", Topic: "tu-den", Channel: "2"}, Light: &devices.LightState{On: devices.Bool(false)}})
	if err != nil || len(msgs) != 1 || msgs[0].Topic != "tu-den/rpc" || !strings.Contains(string(msgs[0].Payload), `"params":{"id":2,"on":false}`) {
		t.Fatalf("Encode channel 2 = %v, %v", msgs, err)
	}
	reps, err = a.Decode("hamletd-khu10/rpc", []byte(`{"id":"c9","src":"`+pro4pm+`","dst":"hamletd-khu10","result":{"was_on":true}}`), false)
	if err != nil || len(reps) != 1 || reps[0].Channel != "2" || reps[0].Key != "tu-den" || reps[0].Ack == nil || !reps[0].Ack.OK {
		t.Fatalf("answer = %v, %v", reps, err)
	}
	// The status topic of switch:2 is channel 2's state.
	reps, err = a.Decode("tu-den/status/switch:2", []byte(pro4pmStatus("2", false, "0.0")), false)
	if err != nil || len(reps) != 1 || reps[0].Channel != "2" || *reps[0].Light.On {
		t.Fatalf("status/switch:2 = %v, %v", reps, err)
	}
}

func TestChannelEncode(t *testing.T) {
	a := New("")
	if _, err := a.Decode("shellies/shelly25-AB/relay/1", []byte("on"), false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dev     devices.Device
		want    string
		wantErr string
	}{
		{devices.Device{ID: "g1-1", Topic: "shellies/shelly25-AB", Channel: "1"}, "shellies/shelly25-AB/relay/1/command on", ""},
		{devices.Device{ID: "g1-0", Topic: "shellies/shelly25-AB", Channel: "0"}, "shellies/shelly25-AB/relay/0/command on", ""},
		{devices.Device{ID: "g2-3", Topic: "pro", Channel: "3"}, `pro/rpc {"id":"c","method":"Switch.Set","params":{"id":3,"on":true},"src":"hamletd"}`, ""},
		{devices.Device{ID: "bad", Topic: "pro", Channel: "l2"}, "", "component id"},
	} {
		msgs, err := a.Encode(devices.Command{ID: "c", Device: tc.dev, Light: &devices.LightState{On: devices.Bool(true)}})
		sample.CheckEncode(t, msgs, err)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.dev.ID, err, tc.wantErr)
			}
			continue
		}
		if err != nil || len(msgs) != 1 || msgs[0].Topic+" "+string(msgs[0].Payload) != tc.want {
			t.Errorf("%s: Encode = %v, %v; want %s", tc.dev.ID, msgs, err, tc.want)
		}
	}
	// Gen1 relay/1 is channel 1's state.
	reps, err := a.Decode("shellies/shelly25-AB/relay/1", []byte("off"), false)
	if err != nil || len(reps) != 1 || reps[0].Channel != "1" || reps[0].Primary || *reps[0].Light.On {
		t.Fatalf("relay/1 = %v, %v", reps, err)
	}
}

// TestMultiOutputModelKnownAtFirstSight: a Pro 4PM whose first message names
// no switch (the MQTT-connected notification the sim and firmware send) is
// still announced as four lights, from its model; so is a Gen1 Shelly 2.5.
func TestMultiOutputModelKnownAtFirstSight(t *testing.T) {
	a := New("")
	reps, err := a.Decode("pro/events/rpc", []byte(`{"src":"`+pro4pm+`","dst":"pro/events","method":"NotifyStatus","params":{"ts":1661517385.44,"mqtt":{"connected":true}}}`), false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reps {
		if r.Discovery != nil {
			got = append(got, r.Channel+"="+r.Discovery.ID)
		}
	}
	if strings.Join(got, " ") != "0="+pro4pm+"-0 1="+pro4pm+"-1 2="+pro4pm+"-2 3="+pro4pm+"-3" {
		t.Errorf("discovered %v", got)
	}
	reps, err = a.Decode("shellies/announce", []byte(`{"id":"shellyswitch25-B929CC","model":"SHSW-25","mac":"98F4ABB929CC","ip":"192.168.1.6","new_fw":false,"fw_ver":"20210115-103659/v1.9.4@e2732e05"}`), false)
	if err != nil || len(reps) != 2 || reps[1].Discovery.ID != "shellyswitch25-B929CC-1" || reps[1].Discovery.Model != "SHSW-25" || reps[1].Key != "shellies/shellyswitch25-B929CC" {
		t.Fatalf("Shelly 2.5 announce = %v, %v", reps, err)
	}
}
