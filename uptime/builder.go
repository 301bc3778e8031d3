package uptime

import (
	"cmp"
	"slices"
	"sort"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Params say what a Builder computes.
type Params struct {
	// From and To bound the report: [From, To). To must be after From.
	From, To time.Time
	// Location is the area's timezone, for days and times. Default UTC.
	Location *time.Location
	// Unwatched is the time nobody watched (see Unwatched): unknown for
	// every device.
	Unwatched []Interval
	// AreaUnwatched, when not nil, replaces Unwatched per area (each area
	// has its own daemon): a device of an area missing from it was never
	// watched.
	AreaUnwatched map[string][]Interval
	// SLO is the target uptime % per kind; kinds without one have none.
	SLO map[devices.Kind]float64
	// Daily adds the daily breakdown.
	Daily bool
	// Ongoing says To is now: an outage open at To is ongoing, not clipped.
	Ongoing bool
	// Outage, when set, receives every outage as soon as it is known, device
	// by device in time order. An error stops the report.
	Outage func(Outage) error
	// Area labels the report ("all" across areas); Source says where the
	// transitions came from.
	Area, Source string
}

// Builder computes a report from transitions fed one device at a time:
// Begin, Add each transition in time order (the last one before From
// first, when there is one), End; then Report. It holds one device's state
// at a time, never the transitions.
type Builder struct {
	p        Params
	days     []time.Time // day starts: From, then each midnight before To
	dayTally []tally
	devs     []DeviceReport
	a        acc
	err      error
}

// acc is the state of the device being fed.
type acc struct {
	dev      Device
	ov       []span
	oi, di   int
	have     bool
	prev     Transition
	segStart time.Time
	t        tally
	open     bool // an outage is open
	oStart   time.Time
	oEnd     time.Time
	oCause   devices.Cause
	oClipped bool
}

// NewBuilder returns a Builder for p.
func NewBuilder(p Params) *Builder {
	if p.Location == nil {
		p.Location = time.UTC
	}
	b := &Builder{p: p}
	if p.Daily {
		b.days = DayStarts(p.From, p.To, p.Location)
		b.dayTally = make([]tally, len(b.days))
	}
	return b
}

// DayStarts returns from and then every midnight in loc before to.
func DayStarts(from, to time.Time, loc *time.Location) []time.Time {
	days := []time.Time{from}
	t := from.In(loc)
	for {
		y, m, d := t.Date()
		t = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		if !t.Before(to) {
			return days
		}
		days = append(days, t)
	}
}

// Begin starts feeding device d, whose maintenance windows are maint.
func (b *Builder) Begin(d Device, maint []Interval) {
	unwatched := b.p.Unwatched
	if b.p.AreaUnwatched != nil {
		var ok bool
		if unwatched, ok = b.p.AreaUnwatched[d.Area]; !ok {
			unwatched = []Interval{{b.p.From, b.p.To}}
		}
	}
	ov := b.a.ov
	b.a = acc{dev: d, ov: buildOverlay(ov, unwatched, maint)}
}

// Add feeds the device's next transition. Transitions before From set the
// state at From; one earlier than the previous is taken as simultaneous.
func (b *Builder) Add(t Transition) error {
	a := &b.a
	if !a.have {
		// Before the first transition nothing is known: a device added in
		// the middle of the period is unknown until its first report.
		b.emit(b.p.From, t.At, StateUnknown, "")
		a.have, a.prev = true, t
		return b.err
	}
	if t.At.Before(a.prev.At) {
		t.At = a.prev.At
	}
	b.emit(a.prev.At, t.At, stateOf(a.prev.State), a.prev.Cause)
	a.prev = t
	return b.err
}

// End finishes the device begun last.
func (b *Builder) End() error {
	a := &b.a
	if a.have {
		b.emit(a.prev.At, b.p.To, stateOf(a.prev.State), a.prev.Cause)
	} else {
		b.emit(b.p.From, b.p.To, StateUnknown, "")
	}
	b.closeOutage()
	a.t.devices = 1
	b.devs = append(b.devs, DeviceReport{ID: a.dev.ID, Name: a.dev.Name, Area: a.dev.Area, Kind: a.dev.Kind,
		Zone: a.dev.Zone, Seconds: a.t.seconds(), t: a.t})
	return b.err
}

// emit counts [from, to) in state st (caused by cause), clipped to the
// report and overlaid with the unwatched time and maintenance.
func (b *Builder) emit(from, to time.Time, st State, cause devices.Cause) {
	a := &b.a
	a.segStart = from
	from, to = maxTime(from, b.p.From), minTime(to, b.p.To)
	if !from.Before(to) {
		return
	}
	for a.oi < len(a.ov) && !a.ov[a.oi].to.After(from) {
		a.oi++
	}
	pos := from
	for pos.Before(to) {
		if a.oi < len(a.ov) && !a.ov[a.oi].from.After(pos) {
			s := a.ov[a.oi]
			end := minTime(s.to, to)
			b.piece(pos, end, s.class, "")
			pos = end
			if !s.to.After(pos) {
				a.oi++
			}
			continue
		}
		end := to
		if a.oi < len(a.ov) && a.ov[a.oi].from.Before(to) {
			end = a.ov[a.oi].from
		}
		b.piece(pos, end, st, cause)
		pos = end
	}
}

// piece counts [from, to), which lies in one state.
func (b *Builder) piece(from, to time.Time, st State, cause devices.Cause) {
	a := &b.a
	a.t.d[st] += to.Sub(from)
	if b.p.Daily {
		for pos := from; pos.Before(to); {
			for a.di+1 < len(b.days) && !b.days[a.di+1].After(pos) {
				a.di++
			}
			end := to
			if a.di+1 < len(b.days) && b.days[a.di+1].Before(to) {
				end = b.days[a.di+1]
			}
			b.dayTally[a.di].d[st] += end.Sub(pos)
			pos = end
		}
	}
	if st != StateDown {
		b.closeOutage()
		return
	}
	if a.open && a.oEnd.Equal(from) {
		a.oEnd = to
		return
	}
	b.closeOutage()
	a.open, a.oStart, a.oEnd, a.oCause = true, from, to, cause
	a.oClipped = from.Equal(b.p.From) && a.segStart.Before(b.p.From)
}

// closeOutage counts the open outage and hands it to Params.Outage.
func (b *Builder) closeOutage() {
	a := &b.a
	if !a.open {
		return
	}
	a.open = false
	a.t.outages++
	if b.p.Daily {
		i := sort.Search(len(b.days), func(i int) bool { return b.days[i].After(a.oStart) }) - 1
		b.dayTally[max(i, 0)].outages++
	}
	if b.p.Outage == nil || b.err != nil {
		return
	}
	loc := b.p.Location
	o := Outage{Device: a.dev.ID, Name: a.dev.Name, Area: a.dev.Area, Kind: a.dev.Kind, Zone: a.dev.Zone,
		Start: a.oStart.In(loc), Duration: secs(a.oEnd.Sub(a.oStart)), Cause: a.oCause, CauseText: CauseText(a.oCause),
		StartClipped: a.oClipped}
	switch {
	case a.oEnd.Equal(b.p.To) && b.p.Ongoing:
		o.Ongoing = true
	default:
		end := a.oEnd.In(loc)
		o.End = &end
		o.EndClipped = a.oEnd.Equal(b.p.To)
	}
	b.err = b.p.Outage(o)
}

// Report returns the report of every device fed so far.
func (b *Builder) Report() *Report {
	loc := b.p.Location
	r := &Report{Area: b.p.Area, Source: b.p.Source, From: b.p.From.In(loc), To: b.p.To.In(loc),
		Timezone: loc.String(), Devices: b.devs}
	slices.SortFunc(r.Devices, func(x, y DeviceReport) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Zone, y.Zone), cmp.Compare(x.ID, y.ID))
	})
	var total rollup
	areas, zones, kinds := map[string]*rollup{}, map[[2]string]*rollup{}, map[devices.Kind]*rollup{}
	breaching := map[devices.Kind][]string{}
	for i := range r.Devices {
		d := &r.Devices[i]
		t := d.t
		total.add(t)
		into(areas, d.Area).add(t)
		into(zones, [2]string{d.Area, d.Zone}).add(t)
		into(kinds, d.Kind).add(t)
		if slo, ok := b.p.SLO[d.Kind]; ok {
			d.SLOPct = ptr(slo)
			if d.UptimePct != nil && *d.UptimePct < slo {
				d.Breach = true
				breaching[d.Kind] = append(breaching[d.Kind], d.ID)
			}
		}
	}
	r.Total = Rollup{Area: b.p.Area, Devices: total.devices, Seconds: total.seconds()}
	for _, k := range sortedKeys(areas, cmp.Compare[string]) {
		r.Areas = append(r.Areas, Rollup{Area: k, Devices: areas[k].devices, Seconds: areas[k].seconds()})
	}
	for _, k := range sortedKeys(zones, func(x, y [2]string) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) }) {
		r.Zones = append(r.Zones, Rollup{Area: k[0], Zone: k[1], Devices: zones[k].devices, Seconds: zones[k].seconds()})
	}
	for _, k := range sortedKeys(kinds, kindOrder) {
		r.Kinds = append(r.Kinds, Rollup{Kind: k, Devices: kinds[k].devices, Seconds: kinds[k].seconds()})
	}
	for _, k := range sortedKeys(b.p.SLO, kindOrder) {
		res := SLOResult{Kind: k, TargetPct: b.p.SLO[k], Met: true, Breaching: breaching[k]}
		if t, ok := kinds[k]; ok {
			res.UptimePct = t.seconds().UptimePct
			res.Met = res.UptimePct == nil || *res.UptimePct >= res.TargetPct
		}
		if res.Breaching == nil {
			res.Breaching = []string{}
		}
		r.SLO = append(r.SLO, res)
	}
	for i, start := range b.days {
		end := b.p.To
		if i+1 < len(b.days) {
			end = b.days[i+1]
		}
		r.Days = append(r.Days, Day{Date: start.In(loc).Format(time.DateOnly), From: start.In(loc), To: end.In(loc),
			Seconds: b.dayTally[i].seconds()})
	}
	if r.Devices == nil {
		r.Devices = []DeviceReport{}
	}
	return r
}

func into[K comparable](m map[K]*rollup, k K) *rollup {
	t, ok := m[k]
	if !ok {
		t = &rollup{}
		m[k] = t
	}
	return t
}

func sortedKeys[K comparable, V any](m map[K]V, c func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, c)
	return keys
}

// kindOrder sorts kinds in the domain's display order, unknown kinds last.
func kindOrder(a, b devices.Kind) int {
	ia, ib := slices.Index(devices.Kinds, a), slices.Index(devices.Kinds, b)
	if ia < 0 {
		ia = len(devices.Kinds)
	}
	if ib < 0 {
		ib = len(devices.Kinds)
	}
	return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
}
