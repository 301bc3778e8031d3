package uptime

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
	"github.com/influxdata/influxdb-client-go/v2/api"

	"github.com/hamlet-vn/hamlet/devices"
)

// InfluxOptions locate InfluxDB: the same keys as the daemon's influx section.
type InfluxOptions struct {
	URL, Token, Org, Bucket string
	// Timeout bounds each query. Default 60s.
	Timeout time.Duration
}

// Influx computes reports with Flux from what every area's hamletd writes
// to one InfluxDB: the availability transitions, the daemon heartbeats
// (so that time nobody watched is unknown there too) and maintenance.
type Influx struct {
	opts InfluxOptions
}

// NewInflux returns an Influx source; it has no side effects.
func NewInflux(opts InfluxOptions) *Influx {
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	return &Influx{opts: opts}
}

// influxService names InfluxDB in errors: the API answers 502 naming it.
const influxService = "InfluxDB"

// epoch starts the look-back for the state before a report.
var epoch = time.Unix(0, 0).UTC()

// run feeds a Builder from InfluxDB: per area the runs, then maintenance,
// then device by device the state before From and the transitions in range.
func (i *Influx) run(ctx context.Context, q Query, p Params) (*Builder, error) {
	client := influxdb2.NewClientWithOptions(i.opts.URL, i.opts.Token,
		influxdb2.DefaultOptions().SetHTTPRequestTimeout(uint(i.opts.Timeout/time.Second)))
	defer client.Close()
	qa := client.QueryAPI(i.opts.Org)
	area := q.Area
	if area == "all" {
		area = ""
	}
	p.Area, p.Source = "all", SourceInflux
	if area != "" {
		p.Area = area
	}
	now := time.Now()
	if p.Ongoing {
		now = p.To
	}
	unwatched, err := i.unwatched(ctx, qa, area, p.From, p.To, now)
	if err != nil {
		return nil, err
	}
	p.AreaUnwatched = unwatched
	maint, err := i.maintenance(ctx, qa, area, p.From, p.To)
	if err != nil {
		return nil, err
	}
	prior, err := i.prior(ctx, qa, area, q.Device, p.From)
	if err != nil {
		return nil, err
	}
	b := NewBuilder(p)
	f := &feeder{b: b, q: q, maint: maint}
	flux := fmt.Sprintf(`from(bucket: %s)
  |> range(start: %s, stop: %s)
  |> filter(fn: (r) => r._measurement == "availability" and (r._field == "state" or r._field == "cause")%s)
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> group(columns: ["area", "device"])
  |> sort(columns: ["_time"])
  |> keep(columns: ["_time", "area", "device", "kind", "zone", "state", "cause"])`,
		strconv.Quote(i.opts.Bucket), rfc(p.From), rfc(p.To), tagFilter(area, q.Device))
	err = i.query(ctx, qa, flux, func(r record) error {
		key := r.str("area") + "\x00" + r.str("device")
		if key != f.key {
			if err := f.flush(); err != nil {
				return err
			}
			f.start(key, r)
			if t, ok := prior[key]; ok {
				f.buf = append(f.buf, t.Transition)
				delete(prior, key)
			}
		}
		f.dev.Kind, f.dev.Zone = devices.Kind(r.str("kind")), r.str("zone")
		f.buf = append(f.buf, Transition{At: r.time(), State: devices.Availability(r.str("state")), Cause: devices.Cause(r.str("cause"))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := f.flush(); err != nil {
		return nil, err
	}
	// Devices whose last transition came before the report.
	for key, t := range prior {
		f.key, f.dev, f.buf = key, t.dev, append(f.buf[:0], t.Transition)
		if err := f.flush(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// feeder buffers one device's transitions (never more) and feeds them.
type feeder struct {
	b     *Builder
	q     Query
	maint map[string][]Interval
	key   string
	dev   Device
	buf   []Transition
}

func (f *feeder) start(key string, r record) {
	f.key, f.buf = key, f.buf[:0]
	f.dev = Device{Area: r.str("area"), ID: r.str("device")}
}

func (f *feeder) flush() error {
	if f.key == "" || !f.q.selects(f.dev) {
		return nil
	}
	f.b.Begin(f.dev, f.maint[f.key])
	for _, t := range f.buf {
		if err := f.b.Add(t); err != nil {
			return err
		}
	}
	return f.b.End()
}

// priorTransition is a device's last transition before the report.
type priorTransition struct {
	Transition
	dev Device
}

// prior returns, per area and device, the last transition before from.
func (i *Influx) prior(ctx context.Context, qa api.QueryAPI, area, device string, from time.Time) (map[string]priorTransition, error) {
	flux := fmt.Sprintf(`from(bucket: %s)
  |> range(start: %s, stop: %s)
  |> filter(fn: (r) => r._measurement == "availability" and (r._field == "state" or r._field == "cause")%s)
  |> group(columns: ["area", "device", "_field"])
  |> last()
  |> keep(columns: ["_time", "area", "device", "kind", "zone", "_field", "_value"])`,
		strconv.Quote(i.opts.Bucket), rfc(epoch), rfc(from), tagFilter(area, device))
	out := map[string]priorTransition{}
	err := i.query(ctx, qa, flux, func(r record) error {
		key := r.str("area") + "\x00" + r.str("device")
		t := out[key]
		t.dev = Device{Area: r.str("area"), ID: r.str("device"), Kind: devices.Kind(r.str("kind")), Zone: r.str("zone")}
		t.At = r.time()
		switch r.str("_field") {
		case "state":
			t.State = devices.Availability(r.str("_value"))
		case "cause":
			t.Cause = devices.Cause(r.str("_value"))
		}
		out[key] = t
		return nil
	})
	return out, err
}

// unwatched returns per area the time no run of its daemon covered. A run
// is its heartbeat points (first: start; last: stop or last heartbeat); the
// newest run of an area, with a heartbeat fresher than StaleAfter, is still
// going. The query reaches StaleAfter beyond the report so that runs across
// its edges are seen whole there.
func (i *Influx) unwatched(ctx context.Context, qa api.QueryAPI, area string, from, to, now time.Time) (map[string][]Interval, error) {
	base := fmt.Sprintf(`from(bucket: %s)
  |> range(start: %s, stop: %s)
  |> filter(fn: (r) => r._measurement == "daemon" and r._field == "run"%s)
  |> group(columns: ["area", "_value"])`,
		strconv.Quote(i.opts.Bucket), rfc(from.Add(-StaleAfter)), rfc(to.Add(StaleAfter)), tagFilter(area, ""))
	runs := map[string]map[int64]*Run{}
	collect := func(first bool) func(r record) error {
		return func(r record) error {
			a := r.str("area")
			if runs[a] == nil {
				runs[a] = map[int64]*Run{}
			}
			id, _ := r.values["_value"].(int64)
			run := runs[a][id]
			if run == nil {
				run = &Run{}
				runs[a][id] = run
			}
			if first {
				run.Start = r.time()
			} else {
				run.End = r.time()
			}
			return nil
		}
	}
	if err := i.query(ctx, qa, base+"\n  |> first()", collect(true)); err != nil {
		return nil, err
	}
	if err := i.query(ctx, qa, base+"\n  |> last()", collect(false)); err != nil {
		return nil, err
	}
	out := map[string][]Interval{}
	for a, byID := range runs {
		list := make([]Run, 0, len(byID))
		var newest *Run
		for _, r := range byID {
			if newest == nil || r.Start.After(newest.Start) {
				newest = r
			}
		}
		for _, r := range byID {
			run := *r
			if r == newest && now.Sub(r.End) <= StaleAfter {
				run.End = maxTime(run.End, now)
			}
			list = append(list, run)
		}
		out[a] = Unwatched(list, from, to)
	}
	return out, nil
}

// maintenance returns the maintenance windows overlapping [from, to) per area and device.
func (i *Influx) maintenance(ctx context.Context, qa api.QueryAPI, area string, from, to time.Time) (map[string][]Interval, error) {
	flux := fmt.Sprintf(`from(bucket: %s)
  |> range(start: %s, stop: %s)
  |> filter(fn: (r) => r._measurement == "maintenance" and (r._field == "start_ns" or r._field == "end_ns")%s)
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> filter(fn: (r) => r.end_ns > %d)
  |> keep(columns: ["area", "device", "start_ns", "end_ns"])`,
		strconv.Quote(i.opts.Bucket), rfc(epoch), rfc(to), tagFilter(area, ""), from.UnixNano())
	out := map[string][]Interval{}
	err := i.query(ctx, qa, flux, func(r record) error {
		s, _ := r.values["start_ns"].(int64)
		e, _ := r.values["end_ns"].(int64)
		key := r.str("area") + "\x00" + r.str("device")
		out[key] = append(out[key], Interval{time.Unix(0, s), time.Unix(0, e)})
		return nil
	})
	return out, err
}

// record is one row of a Flux result.
type record struct{ values map[string]any }

func (r record) str(k string) string { s, _ := r.values[k].(string); return s }
func (r record) time() time.Time     { t, _ := r.values["_time"].(time.Time); return t }

// query runs flux and hands each row to fn; an unreachable or failing
// InfluxDB is a *ServiceError.
func (i *Influx) query(ctx context.Context, qa api.QueryAPI, flux string, fn func(record) error) error {
	res, err := qa.Query(ctx, flux)
	if err != nil {
		return &ServiceError{Service: influxService, Err: err}
	}
	defer res.Close()
	for res.Next() {
		if err := fn(record{res.Record().Values()}); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return &ServiceError{Service: influxService, Err: err}
	}
	return nil
}

// tagFilter narrows a filter to one area and one device when given.
func tagFilter(area, device string) string {
	var b strings.Builder
	if area != "" {
		fmt.Fprintf(&b, " and r.area == %s", strconv.Quote(area))
	}
	if device != "" {
		fmt.Fprintf(&b, " and r.device == %s", strconv.Quote(device))
	}
	return b.String()
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
