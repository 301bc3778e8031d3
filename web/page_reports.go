package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/uptime"
)

// maxReportDays bounds the period of Báo cáo (one uptime query per day).
const maxReportDays = 31

// reportDevice is one device's row on Báo cáo: its name and its day bars.
type reportDevice struct {
	ID, Name, Zone, Kind string
	Area                 string // shown when the report covers every area
	UptimePct            float64
	Bars                 template.HTML // the SVG, drawn here
}

// outageView is one outage as the page shows it.
type outageView struct {
	Device, Start, End, Duration, Cause string
}

// reportsData is Báo cáo's content.
type reportsData struct {
	From, To, Kind, Zone string // the period picker's values
	Zones                []Zone
	Error                string // a bad picker value (a message key)
	Available            bool
	// Influx: InfluxDB is configured, so "Tất cả các khu" (every area, from
	// InfluxDB) is offered; AllAreas: it is chosen (scope=all).
	Influx, AllAreas bool
	Upstream         string // InfluxDB did not answer: the API's message
	Days             []string
	Devices          []reportDevice
	Outages          []outageView
	CSV              string // the CSV download link
}

// pageReports is GET /reports?from=&to=&kind=&zone= (Báo cáo): a bar per
// device per day (up, down, unknown, maintenance), drawn as SVG here from
// one uptime query per day, the outage list and the CSV link.
func (s *Server) pageReports(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "reports", "Báo cáo")
	q := r.URL.Query()
	loc := s.opts.Location
	today := s.opts.Now().In(loc)
	d := reportsData{From: q.Get("from"), To: q.Get("to"), Kind: q.Get("kind"), Zone: q.Get("zone"),
		Available: s.available("uptime")}
	if ic, ok := s.opts.Uptime.(interface{ InfluxConfigured() bool }); ok && ic.InfluxConfigured() {
		d.Influx = true
		d.AllAreas = q.Get("scope") == "all"
	}
	for _, z := range s.zones() {
		if p.User.MayZone(z.ID) {
			d.Zones = append(d.Zones, z)
		}
	}
	if d.To == "" {
		d.To = today.Format(time.DateOnly)
	}
	if d.From == "" {
		d.From = today.AddDate(0, 0, -6).Format(time.DateOnly)
	}
	from, err1 := time.ParseInLocation(time.DateOnly, d.From, loc)
	to, err2 := time.ParseInLocation(time.DateOnly, d.To, loc)
	kind, errKind := devices.ParseKind(d.Kind)
	switch {
	case err1 != nil || err2 != nil || to.Before(from) || (d.Kind != "" && errKind != nil) || (d.Zone != "" && !p.User.MayZone(d.Zone)) || (d.Zone != "" && !s.knownZone(d.Zone)):
		d.Error = "Ngày không hợp lệ"
	case to.Sub(from) >= maxReportDays*24*time.Hour:
		d.Error = "Khoảng thời gian tối đa 31 ngày"
	}
	if d.Error != "" || !d.Available {
		p.Data = d
		s.render(w, r, http.StatusOK, p)
		return
	}
	if d.Kind == "" {
		kind = ""
	}
	csv := url.Values{"from": {d.From}, "to": {d.To}, "format": {"csv"}}
	if d.Kind != "" {
		csv.Set("kind", d.Kind)
	}
	if d.Zone != "" {
		csv.Set("zone", d.Zone)
	}
	base := UptimeQuery{Kind: kind, Zone: d.Zone, Zones: p.User.Zones}
	if d.AllAreas { // as GET /api/v1/uptime?source=influx&area=all
		csv.Set("source", uptime.SourceInflux)
		csv.Set("area", "all")
		base.Source, base.Area = uptime.SourceInflux, "all"
	}
	d.CSV = "/api/v1/uptime?" + csv.Encode()

	perDay := map[string][]uptime.DeviceReport{} // device → one row per day
	names := map[string]uptime.DeviceReport{}
	var order []string
	days := 0
	for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
		q := base
		q.From, q.To = day, day.AddDate(0, 0, 1)
		if now := s.opts.Now(); q.To.After(now) {
			q.To = now // today so far: the rest of the day is not unknown, it has not happened
		}
		if !q.To.After(q.From) {
			break
		}
		d.Days = append(d.Days, day.Format("02/01"))
		rep, err := s.opts.Uptime.Uptime(r.Context(), q)
		if err != nil {
			d.reportFailed(s, err)
			break
		}
		for _, row := range rep.Devices {
			if _, seen := perDay[row.ID]; !seen {
				order = append(order, row.ID)
				perDay[row.ID] = make([]uptime.DeviceReport, days)
				names[row.ID] = row
			}
			perDay[row.ID] = append(perDay[row.ID], row)
		}
		days++
		for id := range perDay {
			for len(perDay[id]) < days {
				perDay[id] = append(perDay[id], uptime.DeviceReport{})
			}
		}
	}
	if d.Error != "" {
		p.Data = d
		s.render(w, r, http.StatusOK, p)
		return
	}
	for _, id := range order {
		n := names[id]
		rd := reportDevice{ID: id, Name: n.Name, Zone: n.Zone, Kind: string(n.Kind), Area: n.Area}
		if rd.Name == "" {
			rd.Name = id
		}
		var up, total float64
		for _, row := range perDay[id] {
			up += row.Up
			total += row.Up + row.Down // unknown and maintenance do not count against uptime
		}
		if total > 0 {
			rd.UptimePct = 100 * up / total
		}
		rd.Bars = dayBars(rd.Name, d.Days, perDay[id], p.L)
		d.Devices = append(d.Devices, rd)
	}
	sort.SliceStable(d.Devices, func(i, j int) bool {
		a, b := d.Devices[i], d.Devices[j]
		if a.Area != b.Area {
			return a.Area < b.Area
		}
		if a.Zone != b.Zone {
			return a.Zone < b.Zone
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
	oq := base
	oq.From, oq.To = from, to.AddDate(0, 0, 1)
	if now := s.opts.Now(); oq.To.After(now) {
		oq.To = now
	}
	err := s.opts.Uptime.Outages(r.Context(), oq, func(o uptime.Outage) error {
		name := o.Name
		if name == "" {
			name = o.Device
		}
		ov := outageView{Device: name, Start: o.Start.In(loc).Format("02/01 15:04"), Cause: o.CauseText,
			Duration: (time.Duration(o.Duration) * time.Second).String()}
		if ov.Cause == "" {
			ov.Cause = string(o.Cause)
		}
		if o.End != nil {
			ov.End = o.End.In(loc).Format("02/01 15:04")
		}
		d.Outages = append(d.Outages, ov)
		if len(d.Outages) >= maxReportOutages {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) && d.Error == "" {
		d.reportFailed(s, err)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, p)
}

// reportFailed records why the report could not be drawn: InfluxDB did not
// answer (the API would say 502), or another failure.
func (d *reportsData) reportFailed(s *Server, err error) {
	var se *uptime.ServiceError
	if errors.As(err, &se) {
		s.opts.Logger.Warn("report source unavailable for the reports page", "service", se.Service, "err", se.Err)
		d.Error = "Không lấy được số liệu của các khu: InfluxDB không trả lời. Hãy xem Khu này hoặc thử lại sau."
		d.Upstream = fmt.Sprintf("Không kết nối được %s / %s did not answer: %v", se.Service, se.Service, se.Err)
		return
	}
	s.opts.Logger.Error("uptime report for the reports page failed", "err", err)
	d.Error = "Không có dữ liệu"
}

// maxReportOutages bounds the outage list on the page (the CSV has all).
const maxReportOutages = 500

// errEnough stops the outage walk once the page has enough.
var errEnough = errors.New("enough outages for the page")
