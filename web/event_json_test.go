package web

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
)

// eventSamples are values the event stream sends, covering every field
// and omission of the ones it encodes by hand.
func eventSamples(t testing.TB) []any {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{opts: Options{Location: loc}}
	now := time.Date(2026, 12, 4, 18, 0, 0, 123456789, time.UTC)
	until := now.Add(2 * time.Hour).In(loc)
	lamp := devices.Status{Device: devices.Device{ID: "den-0001", Name: `Đèn "ngõ" <3> & 4`, Kind: devices.Light, Zone: "ngo-1",
		Protocol: devices.Tasmota, Topic: "den_0001"}, Availability: devices.Online, Cause: devices.CauseLWT, Since: now,
		LastSeen: now, Reported: devices.State{Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(100)}},
		Desired: devices.State{Light: &devices.LightState{On: devices.Bool(false)}}, TelemetryAt: now,
		Telemetry: map[string]float64{"power_w": 35.2, "energy_kwh": 1e21, "tiny": 1.5e-7, "zero": 0, "neg": -0.000001,
			"big": 123456789012345678, "rssi_dbm": -61}}
	relay := lamp
	relay.ID, relay.Channel, relay.Model, relay.Firmware, relay.Discovered = "tu-1-2", "2", "Sonoff 4CH", "14.3.0", true
	relay.Reported, relay.Desired, relay.Telemetry = devices.State{Light: &devices.LightState{}}, devices.State{}, nil
	relay.Since, relay.TelemetryAt = time.Time{}, time.Time{}
	speaker := devices.Status{Device: devices.Device{ID: "loa-1", Kind: devices.Speaker, Zone: "ngo-2"},
		Reported: devices.State{Speaker: &devices.SpeakerState{Volume: devices.Int(70)}}, Availability: devices.Offline}
	views := []deviceView{s.deviceView(lamp), s.deviceView(relay), s.deviceView(speaker),
		s.deviceView(devices.Status{Device: devices.Device{ID: "x\u2028y\x01\x7f\xff", Name: "\t\n\r\b\f\\/"}})}
	withOverride := s.deviceView(lamp)
	withOverride.Light = &lights.Status{Override: &lights.Override{By: "trưởng ấp", Since: now, Until: &until, Hold: "next"},
		Faults: []lights.Fault{{Fault: lights.FaultDark, Since: now.In(loc)}, {Fault: "day-burning", Since: now}}}
	noProgramme := s.deviceView(relay)
	noProgramme.Light = &lights.Status{Override: &lights.Override{By: "ban", Since: now, Hold: "duration"}, Faults: []lights.Fault{}}
	removed := s.deviceView(relay)
	removed.Removed, removed.Light = true, &lights.Status{}
	views = append(views, withOverride, noProgramme, removed)
	out := []any{
		lights.CommandEvent{ID: "c-1", Device: "den-0001", Zone: "ngo-1", Status: "confirmed", At: now.In(loc)},
		lights.CommandEvent{ID: "bench-1-on", Device: "den-0002", Zone: "ngo-1", Status: "offline",
			Error: "Đèn đang mất kết nối; sẽ gửi khi có lại / device offline; sent when it returns", User: "ban", At: now},
		lights.CommandEvent{},
		map[string]string{"code": "x", "error": "<y>"},
	}
	for _, v := range views {
		out = append(out, v)
	}
	return out
}

func TestEventJSONMatchesEncodingJSON(t *testing.T) {
	for i, v := range eventSamples(t) {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendEventJSON([]byte("prefix "), v)
		if err != nil || string(got) != "prefix "+string(want) {
			t.Errorf("sample %d (%T):\n got %s, %v\nwant prefix %s", i, v, got, err, want)
		}
	}
}

func TestEventJSONFailsWhereEncodingJSONFails(t *testing.T) {
	bad := []any{
		deviceView{Telemetry: map[string]float64{"power_w": math.NaN()}},
		deviceView{Telemetry: map[string]float64{"power_w": math.Inf(-1)}},
		lights.CommandEvent{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for i, v := range bad {
		if _, err := json.Marshal(v); err == nil {
			t.Fatalf("sample %d: encoding/json accepts it", i)
		}
		if _, err := appendEventJSON(nil, v); err == nil {
			t.Errorf("sample %d (%T): no error", i, v)
		}
	}
}

// FuzzEventJSON checks the hand-written encoding against encoding/json
// for any text in a device's and a command's strings and any reading.
func FuzzEventJSON(f *testing.F) {
	f.Add("den-1", "Đèn <ngõ> 3 & \"4\"", 35.2, int64(0))
	f.Add("\xff\xfe\u2028\u2029", "\x00\x1f\x7f\\", 1e-7, int64(1e18))
	f.Add("", "", 1e21, int64(-1e17))
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	s := &Server{opts: Options{Location: loc}}
	f.Fuzz(func(t *testing.T, id, text string, reading float64, nanos int64) {
		at := time.Unix(0, nanos)
		st := devices.Status{Device: devices.Device{ID: id, Name: text, Kind: devices.Light, Zone: text, Channel: id},
			Since: at, Telemetry: map[string]float64{text: reading, id: -reading},
			Reported: devices.State{Light: &devices.LightState{Brightness: devices.Int(int(nanos % 101))}}}
		v := s.deviceView(st)
		v.Light = &lights.Status{Override: &lights.Override{By: text, Since: at, Hold: id}, Faults: []lights.Fault{{Fault: text, Since: at}}}
		for _, x := range []any{v, lights.CommandEvent{ID: id, Device: text, Zone: id, Status: text, Error: text, User: id, At: at}} {
			want, werr := json.Marshal(x)
			got, gerr := appendEventJSON(nil, x)
			if (werr != nil) != (gerr != nil) || (werr == nil && string(got) != string(want)) {
				t.Fatalf("%T:\n got %s, %v\nwant %s, %v", x, got, gerr, want, werr)
			}
		}
	})
}

// TestEventJSONKnowsEveryField fills every field of the values encoded by
// hand, and of what they hold, with a value that is not zero: a field added
// to deviceView, lights.Status or lights.CommandEvent without its place in
// event_json.go fails here rather than going missing from the stream.
func TestEventJSONKnowsEveryField(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	var v deviceView
	fill(reflect.ValueOf(&v).Elem())
	v.Since, v.LastSeen, v.TelemetryAt = jsonTime{t: time.Unix(1.8e9, 5), loc: loc}, jsonTime{t: time.Unix(1.8e9, 0), loc: loc}, jsonTime{t: time.Unix(1.7e9, 0), loc: loc}
	v.Reported, v.Desired = fill(reflect.New(reflect.TypeFor[devices.LightState]())).Interface(), &devices.LightState{}
	var ev lights.CommandEvent
	fill(reflect.ValueOf(&ev).Elem())
	for _, x := range []any{v, ev} {
		want, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := appendEventJSON(nil, x); err != nil || string(got) != string(want) {
			t.Errorf("%T with every field set:\n got %s, %v\nwant %s", x, got, err, want)
		}
	}
}

// fill sets every settable field of v, and what its pointers, slices and
// maps hold, to a value that is not zero, and returns v.
func fill(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 4, 18, 30, 0, 120, time.UTC)))
			break
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString("x-" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
	return v
}
