package lights

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// ReportRequest selects the days of a burning-hours report.
type ReportRequest struct {
	From, To string   // YYYY-MM-DD in the area's timezone, inclusive
	Zones    []string // when non-empty, only lights of these zones
}

// Report is GET /api/v1/lights/report: hours on and kWh per light and day,
// with totals per light and per zone.
type Report struct {
	From   string        `json:"from"`
	To     string        `json:"to"`
	Lights []LightReport `json:"lights"`
	Zones  []ZoneReport  `json:"zones"`
}

// LightReport is one light's days and totals.
type LightReport struct {
	ID        string      `json:"id"`
	Zone      string      `json:"zone"`
	HoursOn   float64     `json:"hours_on"`
	EnergyKWh float64     `json:"energy_kwh"`
	Days      []DayReport `json:"days"`
}

// DayReport is one light's burning time and energy on one day.
type DayReport struct {
	Date      string  `json:"date"`
	HoursOn   float64 `json:"hours_on"`
	EnergyKWh float64 `json:"energy_kwh"`
}

// ZoneReport is a zone's totals.
type ZoneReport struct {
	Zone      string  `json:"zone"`
	Lights    int     `json:"lights"`
	HoursOn   float64 `json:"hours_on"`
	EnergyKWh float64 `json:"energy_kwh"`
}

// maxReportDays bounds a report's range.
const maxReportDays = 366

// Report returns the burning hours and energy of the days asked for. Bad
// dates are *devices.FieldError naming from or to.
func (s *Service) Report(ctx context.Context, req ReportRequest) (Report, error) {
	from, err := time.Parse(time.DateOnly, req.From)
	if err != nil {
		return Report{}, devices.Invalid("from", "Ngày bắt đầu phải có dạng YYYY-MM-DD / from must be a date YYYY-MM-DD, not %q", req.From)
	}
	to, err := time.Parse(time.DateOnly, req.To)
	if err != nil {
		return Report{}, devices.Invalid("to", "Ngày kết thúc phải có dạng YYYY-MM-DD / to must be a date YYYY-MM-DD, not %q", req.To)
	}
	if to.Before(from) || to.Sub(from) > maxReportDays*24*time.Hour {
		return Report{}, devices.Invalid("to", "Khoảng ngày không hợp lệ / to must be on or after from, at most %d days later", maxReportDays)
	}
	if s.opts.Burns == nil {
		return Report{}, fmt.Errorf("lights: burning hours are not kept")
	}
	s.flushBurn(ctx, s.opts.Now()) // include the time up to now
	days, err := s.opts.Burns.Burns(ctx, req.From, req.To)
	if err != nil {
		return Report{}, err
	}
	out := Report{From: req.From, To: req.To, Lights: []LightReport{}, Zones: []ZoneReport{}}
	byLight := map[string]int{}
	zones := map[string]*ZoneReport{}
	for _, d := range days {
		if len(req.Zones) > 0 && !slices.Contains(req.Zones, d.Zone) {
			continue
		}
		i, ok := byLight[d.Light]
		if !ok {
			i = len(out.Lights)
			byLight[d.Light] = i
			out.Lights = append(out.Lights, LightReport{ID: d.Light, Zone: d.Zone})
			z := zones[d.Zone]
			if z == nil {
				z = &ZoneReport{Zone: d.Zone}
				zones[d.Zone] = z
			}
			z.Lights++
		}
		l := &out.Lights[i]
		h, e := d.OnSeconds/3600, d.EnergyKWh
		l.Days = append(l.Days, DayReport{Date: d.Day, HoursOn: round(h), EnergyKWh: round(e)})
		l.HoursOn += h
		l.EnergyKWh += e
		zones[d.Zone].HoursOn += h
		zones[d.Zone].EnergyKWh += e
	}
	for i := range out.Lights {
		out.Lights[i].HoursOn, out.Lights[i].EnergyKWh = round(out.Lights[i].HoursOn), round(out.Lights[i].EnergyKWh)
	}
	for _, z := range zones {
		z.HoursOn, z.EnergyKWh = round(z.HoursOn), round(z.EnergyKWh)
		out.Zones = append(out.Zones, *z)
	}
	slices.SortFunc(out.Zones, func(a, b ZoneReport) int {
		if a.Zone < b.Zone {
			return -1
		}
		if a.Zone > b.Zone {
			return 1
		}
		return 0
	})
	return out, nil
}

// round keeps three decimals.
func round(v float64) float64 { return math.Round(v*1000) / 1000 }
