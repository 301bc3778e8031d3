package telemetry

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"
)

// viaPoints encodes r the slow way: ReportPoints, then the Writer's encoder.
func viaPoints(t *testing.T, area string, d devices.Device, r devices.Report, loc *time.Location) string {
	t.Helper()
	var buf []byte
	for _, p := range ReportPoints(area, d, r, received, loc) {
		var err error
		if buf, _, err = appendLine(buf, p, received); err != nil {
			t.Fatalf("appendLine: %v", err)
		}
	}
	return string(buf)
}

// checkSame fails t unless Lines.AppendReport writes exactly what the points
// of ReportPoints encode to, with the same point count and time source.
func checkSame(t *testing.T, what string, area string, d devices.Device, r devices.Report, loc *time.Location) {
	t.Helper()
	want := viaPoints(t, area, d, r, loc)
	var l Lines
	l.buf = append(l.buf, "prefix\n"...) // appends, never overwrites
	src, _ := l.AppendReport(area, d, r, received, loc)
	if got := string(l.Bytes()[len("prefix\n"):]); got != want {
		t.Errorf("%s:\nAppendReport %q\nReportPoints %q", what, got, want)
	}
	if n := len(ReportPoints(area, d, r, received, loc)); l.Points() != n {
		t.Errorf("%s: Points() = %d, want %d", what, l.Points(), n)
	}
	if _, want := ReportTime(r, received, loc); src != want {
		t.Errorf("%s: time source %s, want %s", what, src, want)
	}
}

func TestAppendReportMatchesReportPoints(t *testing.T) {
	loc := hcm(t)
	playing, quoted := "ann-1", "say \"hi\"\\\nnow"
	odd := devices.Device{ID: "den ngo,3=1", Kind: devices.Light, Zone: `ngõ 3\a`, Protocol: devices.Tasmota}
	for name, c := range map[string]struct {
		d devices.Device
		r devices.Report
	}{
		"light with local time": {denNgo3, devices.Report{Protocol: devices.Tasmota, Key: "den_ngo3_01",
			Time: time.Date(2025, 11, 26, 18, 30, 0, 0, time.UTC), TimeLocal: true,
			Light:   &devices.LightState{On: ptr(true), Brightness: ptr(80)},
			Metrics: map[string]float64{"power_w": 35.2, "energy_kwh": 12.3, "voltage_v": 229, "tiny": 1e-9, "huge": 1e22}}},
		"implausible time": {denNgo3, devices.Report{Time: received.Add(time.Hour), Metrics: map[string]float64{"power_w": 1}}},
		"duplicate and reserved keys": {denNgo3, devices.Report{
			Light:   &devices.LightState{Brightness: ptr(40)},
			Metrics: map[string]float64{"on": 1, "on_value": 2, "brightness_pct": 99, "": 3, "nan": math.NaN(), "inf": math.Inf(-1), "ref": 4}}},
		"speaker": {loa01, devices.Report{Protocol: devices.Native, Key: "loa-01",
			Speaker: &devices.SpeakerState{Playing: &quoted, Volume: ptr(70)}, Metrics: map[string]float64{"volume_pct": 5}}},
		"speaker playing": {loa01, devices.Report{Speaker: &devices.SpeakerState{Playing: &playing}}},
		"camera": {camCong, devices.Report{Camera: &devices.CameraState{Recording: ptr(true), Detecting: ptr(false),
			Streaming: ptr(true), Motion: ptr(false)}, Metrics: map[string]float64{"fps": 12, "motion": 1}}},
		"camera events": {camCong, devices.Report{Metrics: map[string]float64{"fps": 5},
			Events: []devices.Event{{Type: "motion", Ref: "a"}, {Type: "motion", Ref: "b"}, {Ref: "c", Time: received.Add(-time.Minute)}}}},
		"unknown device and kind": {devices.Device{}, devices.Report{Protocol: devices.Shelly, Key: "shellyplus1-a8", Metrics: map[string]float64{"power_w": 0}}},
		"escaped tags":            {odd, devices.Report{Metrics: map[string]float64{"a b,c=d": -0.5}}},
		"nothing to store":        {denNgo3, devices.Report{Availability: devices.Online}},
		"only NaN":                {denNgo3, devices.Report{Metrics: map[string]float64{"x": math.NaN()}}},
	} {
		checkSame(t, name, "khu10", c.d, c.r, loc)
	}
}

// TestAppendReportMatchesReportPointsRandom compares the two encoders on
// random reports whose metric names collide with the state fields and with
// each other's "_value" names.
func TestAppendReportMatchesReportPointsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"on", "on_value", "brightness_pct", "volume_pct", "playing", "playing_value", "power_w", "motion",
		"recording", "a", "z", "energy_kwh", "ref", "announcement"}
	maybeBool := func() *bool {
		if rng.IntN(2) == 0 {
			return nil
		}
		return ptr(rng.IntN(2) == 0)
	}
	maybeInt := func() *int {
		if rng.IntN(2) == 0 {
			return nil
		}
		return ptr(rng.IntN(101))
	}
	for i := range 2000 {
		r := devices.Report{Metrics: map[string]float64{}}
		for range rng.IntN(8) {
			r.Metrics[names[rng.IntN(len(names))]] = rng.NormFloat64() * 1000
		}
		switch rng.IntN(4) {
		case 0:
			r.Light = &devices.LightState{On: maybeBool(), Brightness: maybeInt()}
		case 1:
			s := &devices.SpeakerState{Volume: maybeInt()}
			if rng.IntN(2) == 0 {
				s.Playing = ptr([]string{"", "ann-7"}[rng.IntN(2)])
			}
			r.Speaker = s
		case 2:
			r.Camera = &devices.CameraState{Recording: maybeBool(), Detecting: maybeBool(), Streaming: maybeBool(), Motion: maybeBool()}
		}
		checkSame(t, "random report "+string(rune('0'+i%10)), "khu10", denNgo3, r, nil)
	}
}

// TestAppendReportMatchesReportPointsOnSamples decodes every real firmware
// sample (../shared/samples, or $HAMLET_SAMPLES) with the protocol router
// and compares the two encoders on every report.
func TestAppendReportMatchesReportPointsOnSamples(t *testing.T) {
	dir := os.Getenv("HAMLET_SAMPLES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "samples")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) == 0 {
		hamtest.Unavailable(t, fmt.Sprintf("no *.jsonl samples in %q", dir), "set $HAMLET_SAMPLES to the shared sample corpus")
	}
	loc := hcm(t)
	reports := 0
	for _, file := range files {
		r, err := protocols.New(protocols.Options{Area: "khu10", HASSEnabled: true, TasmotaDiscovery: true})
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			var line struct {
				Topic, Payload string
				PayloadB64     *string `json:"payload_b64"`
				Retained       bool
			}
			if len(sc.Bytes()) == 0 || json.Unmarshal(sc.Bytes(), &line) != nil {
				continue
			}
			payload := []byte(line.Payload)
			if line.PayloadB64 != nil {
				payload, _ = base64.StdEncoding.DecodeString(*line.PayloadB64)
			}
			reps, _ := r.Decode(line.Topic, payload, line.Retained)
			for _, rep := range reps {
				d := devices.Device{ID: "dev-1", Zone: "ngo-3", Kind: rep.Kind, Protocol: rep.Protocol}
				checkSame(t, filepath.Base(file)+" "+line.Topic, "khu10", d, rep, loc)
				checkSame(t, filepath.Base(file)+" "+line.Topic+" (unknown device)", "khu10", devices.Device{}, rep, loc)
				reports++
			}
		}
		f.Close()
	}
	if reports < 50 {
		t.Errorf("only %d sample reports compared", reports)
	}
}
