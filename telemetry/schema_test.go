package telemetry

import (
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// lines encodes points as line protocol, failing t on any error.
func lines(t *testing.T, points ...*write.Point) string {
	t.Helper()
	var buf []byte
	for _, p := range points {
		var err error
		if buf, _, err = appendLine(buf, p, time.Time{}); err != nil {
			t.Fatalf("appendLine: %v", err)
		}
	}
	return string(buf)
}

func ptr[T any](v T) *T { return &v }

var (
	// received is 18:30:05 in Asia/Ho_Chi_Minh (UTC+7).
	received   = time.Date(2025, 11, 26, 11, 30, 5, 0, time.UTC)
	denNgo3    = devices.Device{ID: "den-ngo3-01", Kind: devices.Light, Zone: "ngo-3", Protocol: devices.Tasmota, Topic: "den_ngo3_01"}
	camCong    = devices.Device{ID: "cam-cong", Kind: devices.Camera, Zone: "ngo-3", Protocol: devices.Frigate, Topic: "cong"}
	loa01      = devices.Device{ID: "loa-01", Kind: devices.Speaker, Zone: "ngo-3", Protocol: devices.Native}
	receivedNS = "1764156605000000000"
)

func hcm(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatalf("load timezone: %v", err)
	}
	return loc
}

func TestReportPointsLightTasmotaLocalTime(t *testing.T) {
	// Tasmota's SENSOR Time "2025-11-26T18:30:00" has no offset: the decoder
	// parses it as UTC wall-clock fields and sets TimeLocal.
	r := devices.Report{
		Protocol: devices.Tasmota, Key: "den_ngo3_01",
		Time: time.Date(2025, 11, 26, 18, 30, 0, 0, time.UTC), TimeLocal: true,
		Light:   &devices.LightState{On: ptr(true), Brightness: ptr(80)},
		Metrics: map[string]float64{"power_w": 35.2, "energy_kwh": 12.3, "voltage_v": 229},
	}
	got := lines(t, ReportPoints("khu10", denNgo3, r, received, hcm(t))...)
	want := "light,area=khu10,device=den-ngo3-01,kind=light,protocol=tasmota,zone=ngo-3 " +
		"brightness_pct=80,energy_kwh=12.3,on=true,power_w=35.2,voltage_v=229 1764156600000000000\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReportPointsCameraEvents(t *testing.T) {
	at := time.Date(2025, 11, 26, 11, 29, 0, 0, time.UTC)
	r := devices.Report{
		Protocol: devices.Frigate, Key: "cong",
		Camera: &devices.CameraState{Motion: ptr(true), Recording: ptr(false)},
		Events: []devices.Event{
			{Type: "motion", Ref: "1607123955.475377-mxklsc", Time: at},
			{Type: "motion", Ref: "second \"same\" instant", Time: at},
			{Type: "", Time: at.Add(24 * time.Hour)}, // implausible: the report time
		},
		Metrics: map[string]float64{"fps": 12, "motion": 3}, // "motion" is a bool state field
	}
	points, implausible := reportPoints("khu10", camCong, r, received, hcm(t))
	if implausible != 1 {
		t.Errorf("implausible = %d, want 1", implausible)
	}
	got := lines(t, points...)
	tags := "camera,area=khu10,device=cam-cong,"
	want := tags + "kind=camera,protocol=frigate,zone=ngo-3 fps=12,motion=true,motion_value=3,recording=false " + receivedNS + "\n" +
		tags + "event=motion,kind=camera,protocol=frigate,zone=ngo-3 ref=\"1607123955.475377-mxklsc\" 1764156540000000000\n" +
		tags + "event=motion,kind=camera,protocol=frigate,zone=ngo-3 ref=\"second \\\"same\\\" instant\" 1764156540000000001\n" +
		tags + "event=unknown,kind=camera,protocol=frigate,zone=ngo-3 ref=\"\" " + receivedNS + "\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReportPointsSpeakerAndUnknownKind(t *testing.T) {
	r := devices.Report{Protocol: devices.Native, Key: "loa-01",
		Speaker: &devices.SpeakerState{Playing: ptr("ann-7"), Volume: ptr(70)}}
	got := lines(t, ReportPoints("khu10", loa01, r, received, nil)...)
	want := "speaker,area=khu10,device=loa-01,kind=speaker,protocol=native,zone=ngo-3 announcement=\"ann-7\",playing=true,volume_pct=70 " + receivedNS + "\n"
	if got != want {
		t.Errorf("speaker: got\n%s\nwant\n%s", got, want)
	}

	// A discovered device without kind or zone; the registry gave no id.
	r = devices.Report{Protocol: devices.Shelly, Key: "shellyplus1-a8032abc7158",
		Time: time.Unix(900, 0), Metrics: map[string]float64{"uptime_s": 900}} // seconds since boot
	got = lines(t, ReportPoints("khu10", devices.Device{}, r, received, nil)...)
	want = "device,area=khu10,device=shellyplus1-a8032abc7158,protocol=shelly uptime_s=900 " + receivedNS + "\n"
	if got != want {
		t.Errorf("unknown kind: got\n%s\nwant\n%s", got, want)
	}
}

func TestReportPointsNothingToStore(t *testing.T) {
	for name, r := range map[string]devices.Report{
		"availability": {Availability: devices.Online},
		"ack":          {Ack: &devices.Ack{ID: "c1", OK: true}},
		"nan only":     {Metrics: map[string]float64{"power_w": nan()}},
	} {
		if p := ReportPoints("khu10", denNgo3, r, received, nil); p != nil {
			t.Errorf("%s: got %d points, want none", name, len(p))
		}
	}
}

func TestAuditPoints(t *testing.T) {
	got := lines(t,
		AvailabilityPoint("khu10", denNgo3, devices.Offline, devices.CauseLWT, received),
		AvailabilityPoint("khu10", denNgo3, devices.Unknown, devices.CauseDaemonStart, received),
		CommandPoint("khu10", denNgo3, CommandAudit{ID: "c-1", User: "truong-khu", Action: "set",
			Params: map[string]any{"on": true, "brightness": 60}, Result: "confirmed"}, received),
		AnnouncementPoint("khu10", loa01, AnnouncementDelivery{ID: "ann-7", Priority: devices.Emergency, Status: "failed",
			Error: "timeout\nno ack"}, received),
	)
	tags := "area=khu10,device=den-ngo3-01,kind=light,protocol=tasmota,zone=ngo-3"
	want := strings.Join([]string{
		"availability," + tags + ` cause="lwt",offline=1i,online=0i,state="offline" ` + receivedNS,
		"availability," + tags + ` cause="daemon-start",offline=0i,online=0i,state="unknown" ` + receivedNS,
		"command,action=set," + tags + ` error="",id="c-1",params="{\"brightness\":60,\"on\":true}",result="confirmed",user="truong-khu" ` + receivedNS,
		"announcement,area=khu10,device=loa-01,kind=speaker,priority=emergency,protocol=native,zone=ngo-3" +
			` error="timeout\nno ack",id="ann-7",status="failed" ` + receivedNS,
	}, "\n") + "\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReportTime(t *testing.T) {
	loc := hcm(t)
	for _, tc := range []struct {
		name  string
		r     devices.Report
		want  time.Time
		wantS TimeSource
	}{
		{"none", devices.Report{}, received, TimeReceived},
		{"utc plausible", devices.Report{Time: received.Add(-time.Hour)}, received.Add(-time.Hour), TimeDevice},
		{"4 min ahead", devices.Report{Time: received.Add(4 * time.Minute)}, received.Add(4 * time.Minute), TimeDevice},
		{"6 min ahead", devices.Report{Time: received.Add(6 * time.Minute)}, received, TimeImplausible},
		{"6 days old (queued by the broker)", devices.Report{Time: received.Add(-6 * 24 * time.Hour)}, received.Add(-6 * 24 * time.Hour), TimeDevice},
		{"8 days old", devices.Report{Time: received.Add(-8 * 24 * time.Hour)}, received, TimeImplausible},
		{"seconds since boot", devices.Report{Time: time.Unix(900, 0)}, received, TimeImplausible},
		{"tasmota local", devices.Report{Time: time.Date(2025, 11, 26, 18, 29, 0, 0, time.UTC), TimeLocal: true},
			time.Date(2025, 11, 26, 11, 29, 0, 0, time.UTC), TimeDevice},
		{"tasmota local read as UTC would be 7h ahead", devices.Report{Time: time.Date(2025, 11, 26, 18, 29, 0, 0, time.UTC)},
			received, TimeImplausible},
		{"tasmota 1970 without NTP", devices.Report{Time: time.Date(1970, 1, 1, 7, 0, 12, 0, time.UTC), TimeLocal: true},
			received, TimeImplausible},
	} {
		got, src := ReportTime(tc.r, received, loc)
		if !got.Equal(tc.want) || src != tc.wantS {
			t.Errorf("%s: got %s (%s), want %s (%s)", tc.name, got, src, tc.want, tc.wantS)
		}
	}
}
