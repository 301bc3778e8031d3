package uptime

import (
	"math"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Report is the uptime report for [From, To): per device, per zone, per
// kind, per area and in total, with the SLO per kind and, when asked, a
// daily breakdown. Devices are in area, zone, id order.
type Report struct {
	// Area is the area id the report covers, or "all" across areas.
	Area string `json:"area"`
	// Source is "local" (this box's store) or "influx" (InfluxDB, across areas).
	Source   string         `json:"source"`
	From     time.Time      `json:"from"`
	To       time.Time      `json:"to"`
	Total    Rollup         `json:"total"`
	Areas    []Rollup       `json:"areas"`
	Zones    []Rollup       `json:"zones"`
	Kinds    []Rollup       `json:"kinds"`
	SLO      []SLOResult    `json:"slo"`
	Devices  []DeviceReport `json:"devices"`
	Days     []Day          `json:"days,omitempty"`
	Timezone string         `json:"timezone"`
}

// Seconds are the figures every row of the report carries. UptimePct is
// up / (up + down) × 100, null when both are zero; MTTR is the down time per
// outage and MTBF the up time per outage, null without outages.
type Seconds struct {
	Up          float64  `json:"up_s"`
	Down        float64  `json:"down_s"`
	Unknown     float64  `json:"unknown_s"`
	Maintenance float64  `json:"maintenance_s"`
	UptimePct   *float64 `json:"uptime_pct"`
	Outages     int      `json:"outages"`
	MTTR        *float64 `json:"mttr_s"`
	MTBF        *float64 `json:"mtbf_s"`
}

// DeviceReport is one device's row.
type DeviceReport struct {
	ID   string       `json:"id"`
	Name string       `json:"name"`
	Area string       `json:"area"`
	Kind devices.Kind `json:"kind"`
	Zone string       `json:"zone"`
	Seconds
	// SLOPct is the target of the device's kind, when one is configured;
	// Breach says the device's uptime is below it.
	SLOPct *float64 `json:"slo_pct"`
	Breach bool     `json:"breach"`

	t tally // exact durations, for the rollups
}

// Rollup sums the devices of one area, zone or kind (or all of them).
type Rollup struct {
	Area    string       `json:"area,omitempty"`
	Zone    string       `json:"zone,omitempty"`
	Kind    devices.Kind `json:"kind,omitempty"`
	Devices int          `json:"devices"`
	Seconds
}

// SLOResult is one kind's target and the devices that breach it.
type SLOResult struct {
	Kind      devices.Kind `json:"kind"`
	TargetPct float64      `json:"target_pct"`
	UptimePct *float64     `json:"uptime_pct"`
	Met       bool         `json:"met"`
	Breaching []string     `json:"breaching"`
}

// Day is one day (in the area's timezone) of the daily breakdown; the first
// and last may be partial.
type Day struct {
	Date string    `json:"date"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Seconds
}

// Outage is one interval in which a device was known to be down. Start and
// End are clipped to the report; StartClipped says it began earlier, and an
// outage still open at the end of a report that reaches now is Ongoing
// (End null), else EndClipped.
type Outage struct {
	Device       string        `json:"device"`
	Name         string        `json:"name"`
	Area         string        `json:"area"`
	Kind         devices.Kind  `json:"kind"`
	Zone         string        `json:"zone"`
	Start        time.Time     `json:"start"`
	End          *time.Time    `json:"end"`
	Duration     float64       `json:"duration_s"`
	Cause        devices.Cause `json:"cause"`
	CauseText    string        `json:"cause_text"`
	StartClipped bool          `json:"start_clipped"`
	EndClipped   bool          `json:"end_clipped"`
	Ongoing      bool          `json:"ongoing"`
}

// CauseText explains an outage's cause, Vietnamese first.
func CauseText(c devices.Cause) string {
	switch c {
	case devices.CauseLWT:
		return "Thiết bị báo mất kết nối (di chúc MQTT) / Last Will or availability topic"
	case devices.CauseTimeout:
		return "Im lặng quá thời hạn / silence timeout"
	case devices.CauseFrigate:
		return "Camera ngừng truyền hình ảnh / camera not streaming"
	}
	return "Không rõ nguyên nhân / unknown cause"
}

// tally accumulates one device's (or one day's) time per state, exactly,
// and its outages.
type tally struct {
	d       [numStates]time.Duration
	outages int
	devices int
}

// rollup sums tallies in seconds: a thousand device-years overflow
// nanoseconds in an int64.
type rollup struct {
	s       [numStates]float64
	outages int
	devices int
}

func (r *rollup) add(t tally) {
	for i := range r.s {
		r.s[i] += t.d[i].Seconds()
	}
	r.outages += t.outages
	r.devices += t.devices
}

// seconds converts r to the report's figures.
func (r rollup) seconds() Seconds {
	return toSeconds(r.s, r.outages)
}

// seconds converts t to the report's figures.
func (t tally) seconds() Seconds {
	var s [numStates]float64
	for i, d := range t.d {
		s[i] = d.Seconds()
	}
	return toSeconds(s, t.outages)
}

// toSeconds returns the report's figures for s seconds per state and n outages.
func toSeconds(s [numStates]float64, n int) Seconds {
	out := Seconds{
		Up: round(s[StateUp]), Down: round(s[StateDown]), Unknown: round(s[StateUnknown]),
		Maintenance: round(s[StateMaintenance]), Outages: n,
	}
	if known := s[StateUp] + s[StateDown]; known > 0 {
		out.UptimePct = ptr(round(s[StateUp] / known * 100))
	}
	if n > 0 {
		out.MTTR = ptr(round(s[StateDown] / float64(n)))
		out.MTBF = ptr(round(s[StateUp] / float64(n)))
	}
	return out
}

func secs(d time.Duration) float64 { return round(d.Seconds()) }

// round keeps three decimals: milliseconds, or thousandths of a percent.
func round(x float64) float64 { return math.Round(x*1000) / 1000 }

func ptr[T any](v T) *T { return &v }
