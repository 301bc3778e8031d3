package uptime

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes the report as aligned text for a terminal: devices,
// then zones, kinds and areas, the total, the SLO and, when present, days.
func WriteTable(w io.Writer, r *Report) error {
	loc := r.From.Location()
	fmt.Fprintf(w, "Báo cáo hoạt động thiết bị / Uptime report: khu / area %s, %s → %s (%s), nguồn / source %s\n\n",
		r.Area, r.From.In(loc).Format("2006-01-02 15:04"), r.To.In(loc).Format("2006-01-02 15:04"), r.Timezone, r.Source)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	head := "HOẠT ĐỘNG / UPTIME\tMẤT / DOWN\tKHÔNG RÕ / UNKNOWN\tBẢO TRÌ / MAINTENANCE\tSỰ CỐ / OUTAGES\tMTTR\tMTBF"
	fmt.Fprintln(tw, "THIẾT BỊ / DEVICE\tLOẠI / KIND\tKHU VỰC / ZONE\t"+head+"\tMỤC TIÊU / SLO")
	for _, d := range r.Devices {
		slo := "-"
		if d.SLOPct != nil {
			slo = fmt.Sprintf("%g%%", *d.SLOPct)
			if d.Breach {
				slo += " ✗ dưới mục tiêu / breach"
			}
		}
		id := d.ID
		if r.Area == "all" {
			id = d.Area + "/" + d.ID
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, d.Kind, orDash(d.Zone), row(d.Seconds), slo)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "NHÓM / GROUP\tTHIẾT BỊ / DEVICES\t\t"+head)
	for _, g := range r.Zones {
		name := "khu vực / zone " + orDash(g.Zone)
		if r.Area == "all" {
			name = "khu vực / zone " + g.Area + "/" + orDash(g.Zone)
		}
		fmt.Fprintf(tw, "%s\t%d\t\t%s\n", name, g.Devices, row(g.Seconds))
	}
	for _, g := range r.Kinds {
		fmt.Fprintf(tw, "loại / kind %s\t%d\t\t%s\n", g.Kind, g.Devices, row(g.Seconds))
	}
	if len(r.Areas) > 1 {
		for _, g := range r.Areas {
			fmt.Fprintf(tw, "khu / area %s\t%d\t\t%s\n", g.Area, g.Devices, row(g.Seconds))
		}
	}
	fmt.Fprintf(tw, "TỔNG / TOTAL\t%d\t\t%s\n", r.Total.Devices, row(r.Total.Seconds))
	if len(r.Days) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintln(tw, "NGÀY / DAY\t\t\t"+head)
		for _, d := range r.Days {
			fmt.Fprintf(tw, "%s\t\t\t%s\n", d.Date, row(d.Seconds))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, s := range r.SLO {
		state := "đạt / met"
		if !s.Met {
			state = "KHÔNG ĐẠT / MISSED"
		}
		breaching := "không có / none"
		if len(s.Breaching) > 0 {
			breaching = strings.Join(s.Breaching, ", ")
		}
		_, err := fmt.Fprintf(w, "Mục tiêu / SLO %s %g%%: %s %s; dưới mục tiêu / breaching: %s\n", s.Kind, s.TargetPct, pct(s.UptimePct), state, breaching)
		if err != nil {
			return err
		}
	}
	return nil
}

// row formats the figures of one row.
func row(s Seconds) string {
	return strings.Join([]string{pct(s.UptimePct), dur(s.Down), dur(s.Unknown), dur(s.Maintenance),
		fmt.Sprint(s.Outages), optDur(s.MTTR), optDur(s.MTBF)}, "\t")
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f%%", *p)
}

func optDur(p *float64) string {
	if p == nil {
		return "-"
	}
	return dur(*p)
}

// dur formats seconds as 3d04h05m, 4h05m06s or 12.5s.
func dur(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Second)
	switch {
	case s == 0:
		return "0"
	case d < time.Minute:
		return fmt.Sprintf("%gs", s)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm%02ds", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dd%02dh%02dm", int(d.Hours())/24, int(d.Hours())%24, int(d.Minutes())%60)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
