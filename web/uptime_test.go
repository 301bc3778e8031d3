package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/uptime"
)

// withUptime wires the real uptime capability over the fixture's store and
// registry, with an InfluxDB that does not answer.
func withUptime(f **fixture) func(*Options) {
	return func(o *Options) {
		withHooks(o)
		o.Uptime = uptime.New(uptime.Options{Area: "khu10", Location: o.Location, Store: o.Store, Now: o.Now,
			SLO:    map[devices.Kind]float64{devices.Light: 98},
			Influx: uptime.NewInflux(uptime.InfluxOptions{URL: "http://127.0.0.1:1", Bucket: "hamlet/autogen", Timeout: 2 * time.Second}),
			Devices: func() []uptime.Device {
				var out []uptime.Device
				for _, s := range (*f).reg.List(devices.Filter{}) {
					out = append(out, uptime.Device{ID: s.ID, Name: s.Name, Kind: s.Kind, Zone: s.Zone})
				}
				return out
			}})
	}
}

// TestUptimeAPI runs the uptime routes over the real capability: an hour in
// which den-a1 was down 10 minutes by its Last Will.
func TestUptimeAPI(t *testing.T) {
	var f *fixture
	f = newFixture(t, withUptime(&f))
	ctx := context.Background()
	t0 := f.clock.Now()
	run, _ := f.db.StartRun(ctx, "test")
	rec := func(id string, a devices.Availability, c devices.Cause, at time.Time) {
		f.db.RecordTransitions(ctx, []devices.Transition{{Device: devices.Device{ID: id}, To: a, Cause: c, At: at}})
	}
	for _, d := range testDevices() {
		rec(d.ID, devices.Online, devices.CauseActivity, t0)
	}
	rec("den-a1", devices.Offline, devices.CauseLWT, t0.Add(20*time.Minute))
	rec("den-a1", devices.Online, devices.CauseActivity, t0.Add(30*time.Minute))
	f.clock.Add(time.Hour)
	f.db.Heartbeat(ctx, run)
	f.clock.Add(time.Hour)
	f.db.StopRun(ctx, run)
	span := "from=2026-11-01T08:00:00%2B07:00&to=2026-11-01T09:00:00%2B07:00"

	code, body := f.call(f.as(opA), "GET", "/api/v1/uptime?"+span, "")
	if code != 200 {
		t.Fatalf("uptime: %d %v", code, body)
	}
	var rep uptime.Report
	raw, _ := json.Marshal(body)
	json.Unmarshal(raw, &rep)
	if len(rep.Devices) != 3 || rep.Devices[0].ID != "den-a1" || rep.Devices[0].Down != 600 || *rep.Devices[0].UptimePct != 83.333 ||
		!rep.Devices[0].Breach || rep.Devices[0].Outages != 1 {
		t.Errorf("operator A's report = %+v", rep.Devices)
	}

	resp := f.do(f.as(viewer), "GET", "/api/v1/uptime?"+span+"&format=csv", "")
	text := readAll(resp)
	if !strings.HasPrefix(text, "\uFEFF") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %q %s", text[:min(20, len(text))], resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 7 || rows[0][3] != "Thiết bị / Device" || rows[1][4] != "Đèn A1" {
		t.Errorf("csv rows = %q, %v", rows, err)
	}

	resp = f.do(f.as(opB), "GET", "/api/v1/outages?"+span, "")
	if text = readAll(resp); resp.StatusCode != 200 || strings.TrimSpace(text) != "[]" {
		t.Errorf("operator B's outages = %d %s, want an empty list", resp.StatusCode, text)
	}
	resp = f.do(f.as(opA), "GET", "/api/v1/outages?"+span, "")
	var outs []uptime.Outage
	if err := json.Unmarshal([]byte(readAll(resp)), &outs); err != nil || len(outs) != 1 || outs[0].Cause != devices.CauseLWT || outs[0].Duration != 600 {
		t.Errorf("operator A's outages = %+v, %v", outs, err)
	}

	code, body = f.call(f.as(viewer), "GET", "/api/v1/uptime?"+span+"&source=influx", "")
	if msg, _ := body["error"].(string); code != 502 || body["code"] != codeUpstream || !strings.Contains(msg, "InfluxDB") {
		t.Errorf("unreachable InfluxDB: %d %v", code, body)
	}
	code, body = f.call(f.as(viewer), "GET", "/api/v1/uptime?"+span+"&area=khu11", "")
	if code != 400 || body["field"] != "area" {
		t.Errorf("another area from the local store: %d %v", code, body)
	}

	// Maintenance: declared for zone A, listed, refused to operator B, cancelled by A.
	code, body = f.call(f.as(opA), "POST", "/api/v1/maintenance",
		`{"target":{"zones":["ngo-a"]},"from":"2026-11-01T11:00:00+07:00","to":"2026-11-01T12:00:00+07:00","note":"thay bóng"}`)
	if code != 201 || body["status"] != "planned" || len(body["devices"].([]any)) != 3 {
		t.Fatalf("create maintenance: %d %v", code, body)
	}
	id := body["id"].(float64)
	if code, body = f.call(f.as(viewer), "GET", "/api/v1/maintenance", ""); code != 200 || len(body["maintenance"].([]any)) != 1 {
		t.Errorf("list: %d %v", code, body)
	}
	if code, body = f.call(f.as(opB), "GET", "/api/v1/maintenance", ""); code != 200 || len(body["maintenance"].([]any)) != 0 {
		t.Errorf("operator B lists %d %v", code, body)
	}
	path := fmt.Sprintf("/api/v1/maintenance/%d", int64(id))
	if code, _ = f.call(f.as(opB), "DELETE", path, ""); code != 403 {
		t.Errorf("operator B cancels zone A's window: %d", code)
	}
	if code, body = f.call(f.as(opA), "DELETE", path, ""); code != 200 || body["status"] != "cancelled" {
		t.Errorf("cancel: %d %v", code, body)
	}
	if code, body = f.call(f.as(opA), "DELETE", path, ""); code != 409 {
		t.Errorf("cancel twice: %d %v", code, body)
	}
	if _, ok := f.findAudit("maintenance.cancel", "ok"); !ok {
		t.Error("the cancellation is not audited")
	}
}
