package web

import (
	"errors"
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
	Days                 []string
	Devices              []reportDevice
	Outages              []outageView
	CSV                  string // the CSV download link
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
	for _, z := range s.opts.Zones {
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
	d.CSV = "/api/v1/uptime?" + csv.Encode()

	base := UptimeQuery{Kind: kind, Zone: d.Zone, Zones: p.User.Zones}
	perDay := map[string][]uptime.DeviceReport{} // device → one row per day
	names := map[string]uptime.DeviceReport{}
	var order []string
	days := 0
	for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
		q := base
		q.From, q.To = day, day.AddDate(0, 0, 1)
		d.Days = append(d.Days, day.Format("02/01"))
		rep, err := s.opts.Uptime.Uptime(r.Context(), q)
		if err != nil {
			s.opts.Logger.Error("uptime report for the reports page failed", "err", err)
			d.Error = "Không có dữ liệu"
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
	for _, id := range order {
		n := names[id]
		rd := reportDevice{ID: id, Name: n.Name, Zone: n.Zone, Kind: string(n.Kind)}
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
	if err != nil && !errors.Is(err, errEnough) {
		s.opts.Logger.Error("outage list for the reports page failed", "err", err)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, p)
}

// maxReportOutages bounds the outage list on the page (the CSV has all).
const maxReportOutages = 500

// errEnough stops the outage walk once the page has enough.
var errEnough = errors.New("enough outages for the page")
