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
