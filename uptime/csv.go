package uptime

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// bom makes spreadsheet programs read the CSV as UTF-8, so Vietnamese shows right.
const bom = "\uFEFF"

// Column headers: Vietnamese, then English.
var (
	deviceHeader = []string{"Khu dân cư / Area", "Khu vực / Zone", "Loại / Kind", "Thiết bị / Device", "Tên / Name",
		"Hoạt động (giây) / Up (s)", "Mất kết nối (giây) / Down (s)", "Không rõ (giây) / Unknown (s)",
		"Bảo trì (giây) / Maintenance (s)", "Tỷ lệ hoạt động (%) / Uptime (%)", "Số sự cố / Outages",
		"Thời gian khắc phục trung bình (giây) / MTTR (s)", "Thời gian giữa hai sự cố trung bình (giây) / MTBF (s)",
		"Mục tiêu (%) / SLO (%)", "Dưới mục tiêu / Breaches SLO"}
	dayHeader = []string{"Ngày / Date", "Hoạt động (giây) / Up (s)", "Mất kết nối (giây) / Down (s)",
		"Không rõ (giây) / Unknown (s)", "Bảo trì (giây) / Maintenance (s)", "Tỷ lệ hoạt động (%) / Uptime (%)",
		"Số sự cố / Outages"}
	outageHeader = []string{"Khu dân cư / Area", "Khu vực / Zone", "Loại / Kind", "Thiết bị / Device", "Tên / Name",
		"Bắt đầu / Start", "Kết thúc / End", "Thời lượng (giây) / Duration (s)", "Nguyên nhân / Cause",
		"Mô tả / Description", "Đang tiếp diễn / Ongoing"}
)

// WriteCSV writes the report as CSV (UTF-8 with a BOM): one row per device,
// or per day when the report has the daily breakdown.
func WriteCSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if len(r.Days) > 0 {
		cw.Write(dayHeader)
		for _, d := range r.Days {
			cw.Write(append([]string{d.Date}, figures(d.Seconds)...))
		}
	} else {
		cw.Write(deviceHeader)
		for _, d := range r.Devices {
			row := append([]string{d.Area, d.Zone, string(d.Kind), d.ID, d.Name}, figures(d.Seconds)...)
			row = append(row, num(d.MTTR), num(d.MTBF), num(d.SLOPct), yes(d.Breach))
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// figures are the up, down, unknown, maintenance, uptime and outage columns.
func figures(s Seconds) []string {
	return []string{f(s.Up), f(s.Down), f(s.Unknown), f(s.Maintenance), num(s.UptimePct), strconv.Itoa(s.Outages)}
}

func f(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// num formats an optional figure; null is an empty cell.
func num(p *float64) string {
	if p == nil {
		return ""
	}
	return f(*p)
}

func yes(b bool) string {
	if b {
		return "có / yes"
	}
	return ""
}

// OutageCSV writes outages as CSV rows as they come.
type OutageCSV struct {
	cw     *csv.Writer
	w      io.Writer
	header bool
}

// NewOutageCSV returns an OutageCSV writing to w; the BOM and header go out
// with the first row or Flush.
func NewOutageCSV(w io.Writer) *OutageCSV { return &OutageCSV{cw: csv.NewWriter(w), w: w} }

// Write writes one outage.
func (o *OutageCSV) Write(x Outage) error {
	o.start()
	end := ""
	if x.End != nil {
		end = x.End.Format(time.RFC3339)
	}
	return o.cw.Write([]string{x.Area, x.Zone, string(x.Kind), x.Device, x.Name, x.Start.Format(time.RFC3339), end,
		f(x.Duration), string(x.Cause), x.CauseText, yes(x.Ongoing)})
}

// Flush writes what is buffered.
func (o *OutageCSV) Flush() error {
	o.start()
	o.cw.Flush()
	return o.cw.Error()
}

func (o *OutageCSV) start() {
	if !o.header {
		o.header = true
		io.WriteString(o.w, bom)
		o.cw.Write(outageHeader)
	}
}
