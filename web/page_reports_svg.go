package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/hamlet-vn/hamlet/uptime"
	"github.com/hamlet-vn/hamlet/web/ui"
)

// The report's colours, distinct and at least 3:1 against white (WCAG 1.4.11).
const (
	colourUp          = "#2e7d32"
	colourDown        = "#c62828"
	colourUnknown     = "#757575"
	colourMaintenance = "#1565c0"
)

// dayBars draws one device's days as an SVG of stacked bars: from the
// bottom up, up, maintenance, unknown and down time, each in its colour, a
// title per day for the numbers. An empty day is an outlined empty bar.
func dayBars(name string, days []string, rows []uptime.DeviceReport, l ui.Lang) template.HTML {
	const barW, gap, h = 18, 6, 48
	width := len(days)*(barW+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bars" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		width, h+16, width, h+16, template.HTMLEscapeString(name))
	for i, day := range days {
		x := gap + i*(barW+gap)
		var row uptime.DeviceReport
		if i < len(rows) {
			row = rows[i]
		}
		total := row.Up + row.Down + row.Unknown + row.Maintenance
		fmt.Fprintf(&b, `<g><title>%s: %s %s, %s %s, %s %s, %s %s</title>`, day,
			l.T("Hoạt động"), dur(row.Up), l.T("Mất kết nối"), dur(row.Down),
			l.T("Không rõ"), dur(row.Unknown), l.T("Bảo trì"), dur(row.Maintenance))
		if total <= 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="1" width="%d" height="%d" fill="none" stroke="%s"/>`, x, barW, h-2, colourUnknown)
		}
		y := float64(h)
		for _, seg := range []struct {
			s      float64
			colour string
		}{{row.Up, colourUp}, {row.Maintenance, colourMaintenance}, {row.Unknown, colourUnknown}, {row.Down, colourDown}} {
			if seg.s <= 0 || total <= 0 {
				continue
			}
			sh := float64(h) * seg.s / total
			y -= sh
			fmt.Fprintf(&b, `<rect x="%d" y="%.2f" width="%d" height="%.2f" fill="%s"/>`, x, y, barW, sh, seg.colour)
		}
		fmt.Fprintf(&b, `</g><text x="%d" y="%d" font-size="9" text-anchor="middle" fill="#111">%s</text>`,
			x+barW/2, h+12, template.HTMLEscapeString(day[:2]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// dur writes seconds as hours and minutes, "3h05".
func dur(s float64) string {
	m := int(s / 60)
	return fmt.Sprintf("%dh%02d", m/60, m%60)
}
