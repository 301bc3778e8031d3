package web

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/uptime"
)

// dayUptime reports den-a1 up all day and den-b1 down for 6 hours of each
// day, kept inside the query's zones; one outage of den-b1.
type dayUptime struct{ fakeUptime }

func (dayUptime) Uptime(ctx context.Context, q UptimeQuery) (*uptime.Report, error) {
	if q.To.Sub(q.From) != 24*time.Hour {
		return nil, io.ErrUnexpectedEOF
	}
	rep := &uptime.Report{}
	for _, r := range []uptime.DeviceReport{
		{ID: "den-a1", Name: "Đèn A1", Kind: devices.Light, Zone: zoneA, Seconds: uptime.Seconds{Up: 86400}},
		{ID: "den-b1", Name: "Đèn B1", Kind: devices.Light, Zone: zoneB, Seconds: uptime.Seconds{Up: 64800, Down: 21600}},
	} {
		if len(q.Zones) == 0 || r.Zone == q.Zones[0] {
			rep.Devices = append(rep.Devices, r)
		}
	}
	return rep, nil
}

func (dayUptime) Outages(ctx context.Context, q UptimeQuery, fn func(uptime.Outage) error) error {
	if len(q.Zones) > 0 && q.Zones[0] != zoneB {
		return nil
	}
	start := time.Date(2026, 10, 31, 2, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	end := start.Add(6 * time.Hour)
	return fn(uptime.Outage{Device: "den-b1", Name: "Đèn B1", Start: start, End: &end, Duration: 21600, Cause: "lwt", CauseText: "lwt"})
}

func TestReportsPageDrawsDayBars(t *testing.T) {
	f := newFixture(t, nil)
	if _, body := f.page(f.as(viewer), "GET", "/reports", ""); !strings.Contains(body, "Báo cáo chưa sẵn sàng") {
		t.Fatal("without the uptime capability the page says it is not available yet")
	}
	f = newFixture(t, func(o *Options) { o.Uptime = dayUptime{} })
	resp, body := f.page(f.as(viewer), "GET", "/reports?from=2026-10-29&to=2026-10-31&kind=light", "")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /reports: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<svg class="bars"`, `fill="#c62828"`, `fill="#2e7d32"`, "Đèn A1", "Đèn B1", "75.0%", "100.0%",
		`href="/api/v1/uptime?format=csv&amp;from=2026-10-29&amp;kind=light&amp;to=2026-10-31"`, "lwt", "31/10 02:00",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("reports page lacks %q", want)
		}
	}
	if strings.Count(body, `<g><title>`) != 6 {
		t.Errorf("want 3 days × 2 devices of bars, got %d", strings.Count(body, `<g><title>`))
	}
	// Operator A's report stays in zone A.
	_, body = f.page(f.as(opA), "GET", "/reports?from=2026-10-30&to=2026-10-31", "")
	if strings.Contains(body, "Đèn B1") || !strings.Contains(body, "Đèn A1") {
		t.Error("operator A sees zone B's devices")
	}
	for _, bad := range []string{"?from=2026-13-01", "?from=2026-10-01&to=2026-12-01", "?zone=ngo-b&from=2026-10-30"} {
		_, body := f.page(f.as(opA), "GET", "/reports"+bad, "")
		if !strings.Contains(body, `class="err"`) || strings.Contains(body, "<svg class=\"bars\"") {
			t.Errorf("GET /reports%s: no error shown", bad)
		}
	}
}

// influxUptime is dayUptime with InfluxDB configured; down makes every
// source=influx query fail as the uptime capability does when InfluxDB does
// not answer. It records the sources asked for.
type influxUptime struct {
	dayUptime
	down    bool
	sources *[]string
}

func (u influxUptime) InfluxConfigured() bool { return true }

func (u influxUptime) Uptime(ctx context.Context, q UptimeQuery) (*uptime.Report, error) {
	*u.sources = append(*u.sources, q.Source+"/"+q.Area)
	if u.down && q.Source == uptime.SourceInflux {
		return nil, &uptime.ServiceError{Service: "InfluxDB", Err: io.ErrClosedPipe}
	}
	rep, err := u.dayUptime.Uptime(ctx, q)
	if err == nil && q.Source == uptime.SourceInflux {
		rep.Devices = append(rep.Devices, uptime.DeviceReport{ID: "den-x", Name: "Đèn khu 11", Area: "khu11", Kind: devices.Light, Zone: zoneA, Seconds: uptime.Seconds{Up: 86400}})
	}
	return rep, err
}

// TestReportsPageAcrossAreas: "Khu này / Tất cả các khu" shows only when
// InfluxDB is configured; "all" asks source=influx&area=all (and so does
// the CSV link); InfluxDB not answering is said in words, first Vietnamese.
func TestReportsPageAcrossAreas(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Uptime = dayUptime{} })
	if _, body := f.page(f.as(viewer), "GET", "/reports", ""); strings.Contains(body, `name="scope"`) {
		t.Error("the scope choice shows without InfluxDB")
	}
	var sources []string
	f = newFixture(t, func(o *Options) { o.Uptime = influxUptime{sources: &sources} })
	_, body := f.page(f.as(viewer), "GET", "/reports?from=2026-10-30&to=2026-10-31", "")
	if !strings.Contains(body, `value="all">Tất cả các khu`) || !strings.Contains(body, `value="local" checked>Khu này`) || strings.Contains(body, "khu11") {
		t.Errorf("this area by default, with the choice: %s", body)
	}
	if strings.Join(sources, ",") != "/,/" {
		t.Errorf("this area asked %v", sources)
	}
	sources = nil
	_, body = f.page(f.as(viewer), "GET", "/reports?from=2026-10-30&to=2026-10-31&scope=all", "")
	for _, want := range []string{`value="all" checked>`, "khu11 · </span>Đèn khu 11", "area=all", "source=influx"} {
		if !strings.Contains(body, want) {
			t.Errorf("every area: page lacks %q", want)
		}
	}
	if strings.Join(sources, ",") != "influx/all,influx/all" {
		t.Errorf("every area asked %v", sources)
	}
	f = newFixture(t, func(o *Options) { o.Uptime = influxUptime{down: true, sources: &sources} })
	_, body = f.page(f.as(viewer), "GET", "/reports?scope=all", "")
	for _, want := range []string{"InfluxDB không trả lời", "Không kết nối được InfluxDB / InfluxDB did not answer", `id="report-local"`, "scope=local"} {
		if !strings.Contains(body, want) {
			t.Errorf("InfluxDB down: page lacks %q", want)
		}
	}
	if strings.Contains(body, `<svg class="bars"`) {
		t.Error("InfluxDB down: bars drawn anyway")
	}
	if _, body = f.page(f.as(viewer), "GET", "/reports?from=2026-10-30&to=2026-10-31", ""); !strings.Contains(body, `<svg class="bars"`) {
		t.Error("InfluxDB down: this area's report should still draw")
	}
}
