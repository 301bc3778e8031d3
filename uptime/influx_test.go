package uptime_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
	"github.com/hamlet-vn/hamlet/uptime"
)

// areaWriter plays one area's hamletd: what it records in its own store it
// also writes to the shared InfluxDB, as the daemon does.
type areaWriter struct {
	area  string
	db    *store.DB
	now   time.Time
	run   int64
	fleet []devices.Device
	lines strings.Builder
}

func newAreaWriter(t *testing.T, area string, fleet []devices.Device) *areaWriter {
	w := &areaWriter{area: area, fleet: fleet}
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return w.now }
	w.db = db
	return w
}

func (w *areaWriter) point(p *write.Point) {
	w.lines.WriteString(write.PointToLineProtocol(p, time.Nanosecond))
}

// Add implements uptime.Points.
func (w *areaWriter) Add(ps []*write.Point, ack func()) {
	for _, p := range ps {
		w.point(p)
	}
	ack()
}

func (w *areaWriter) start(at time.Time) {
	w.now = at
	w.run, _ = w.db.StartRun(context.Background(), "test")
	w.point(telemetry.HeartbeatPoint(w.area, w.run, at))
	for _, d := range w.fleet {
		w.transition(d, devices.Unknown, devices.CauseDaemonStart, at)
	}
}

// beat records heartbeats every 5s up to until.
func (w *areaWriter) beat(until time.Time) {
	for t := w.now.Add(5 * time.Second); !t.After(until); t = t.Add(5 * time.Second) {
		w.now = t
		w.db.Heartbeat(context.Background(), w.run)
		w.point(telemetry.HeartbeatPoint(w.area, w.run, t))
	}
}

func (w *areaWriter) stop(at time.Time) {
	w.beat(at)
	w.now = at
	w.db.StopRun(context.Background(), w.run)
	w.point(telemetry.HeartbeatPoint(w.area, w.run, at))
}

func (w *areaWriter) transition(d devices.Device, a devices.Availability, c devices.Cause, at time.Time) {
	w.db.RecordTransitions(context.Background(), []devices.Transition{{Device: d, To: a, Cause: c, At: at}})
	w.point(telemetry.AvailabilityPoint(w.area, d, a, c, at))
}

func (w *areaWriter) catalogue() []uptime.Device {
	out := make([]uptime.Device, len(w.fleet))
	for i, d := range w.fleet {
		out[i] = uptime.Device{ID: d.ID, Kind: d.Kind, Zone: d.Zone}
	}
	return out
}

// history writes six hours for the area: two runs with a power cut between
// them (no stop), devices flapping with various causes, one device added
// late, one maintenance window.
func (w *areaWriter) history(t *testing.T, t0 time.Time, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	events := func(from, to time.Time) {
		var evs []struct {
			at time.Time
			d  devices.Device
		}
		for _, d := range w.fleet[:len(w.fleet)-1] {
			for at := from.Add(time.Duration(rng.IntN(600)) * time.Second); at.Before(to); at = at.Add(time.Duration(300+rng.IntN(3000)) * time.Second) {
				evs = append(evs, struct {
					at time.Time
					d  devices.Device
				}{at, d})
			}
		}
		state := map[string]bool{}
		for _, e := range evs {
			// Transitions must reach the store in time order per device; they do, per device.
			up := !state[e.d.ID]
			state[e.d.ID] = up
			a, c := devices.Online, devices.CauseActivity
			if !up {
				a, c = devices.Offline, []devices.Cause{devices.CauseLWT, devices.CauseTimeout, devices.CauseFrigate}[rng.IntN(3)]
			}
			w.transition(e.d, a, c, e.at)
		}
	}
	late := w.fleet[len(w.fleet)-1]
	w.start(t0)
	events(t0.Add(time.Second), t0.Add(150*time.Minute))
	w.transition(late, devices.Online, devices.CauseActivity, t0.Add(100*time.Minute))
	w.beat(t0.Add(150 * time.Minute)) // then the power goes: no stop
	w.start(t0.Add(170 * time.Minute))
	events(t0.Add(171*time.Minute), t0.Add(6*time.Hour))
	w.beat(t0.Add(4 * time.Hour))
	s := uptime.New(uptime.Options{Area: w.area, Store: w.db, Now: func() time.Time { return w.now },
		Devices: w.catalogue, Export: w})
	req := uptime.MaintenanceRequest{FromTime: t0.Add(3 * time.Hour), ToTime: t0.Add(5 * time.Hour), Devices: w.fleet[:2]}
	m, err := s.CreateMaintenance(context.Background(), req, accounts.User{Name: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	w.beat(t0.Add(4*time.Hour + 30*time.Minute))
	if _, err := s.CancelMaintenance(context.Background(), m.ID, accounts.User{Name: "admin"}); err != nil {
		t.Fatal(err)
	}
	w.stop(t0.Add(6 * time.Hour))
}

func fleet(area string) []devices.Device {
	return []devices.Device{
		{ID: "cam-cong", Kind: devices.Camera, Zone: "ngo-1", Protocol: devices.Frigate},
		{ID: "den-01", Kind: devices.Light, Zone: "ngo-1", Protocol: devices.Tasmota},
		{ID: "den-02", Kind: devices.Light, Zone: "ngo-2", Protocol: devices.Tasmota},
		{ID: "loa-01", Kind: devices.Speaker, Zone: "ngo-2", Protocol: devices.Native},
		{ID: "den-moi-" + area, Kind: devices.Light, Zone: "ngo-2", Protocol: devices.Tasmota}, // added late
	}
}

// Two areas' hamletd write to one real InfluxDB 1.8.10; each area's local
// report and the report computed with Flux agree, and the all-areas report
// is their union.
func TestLocalAndInfluxReportsAgree(t *testing.T) {
	influx := testsvc.StartInflux(t)
	t0 := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	writers := []*areaWriter{newAreaWriter(t, "khu10", fleet("khu10")), newAreaWriter(t, "khu11", fleet("khu11"))}
	start := time.Now()
	for i, w := range writers {
		w.history(t, t0, uint64(i+7))
		influx.Write(t, w.lines.String())
	}
	t.Logf("history written in %v", time.Since(start))
	defer func(start time.Time) { t.Logf("reports in %v", time.Since(start)) }(time.Now())
	src := uptime.NewInflux(uptime.InfluxOptions{URL: influx.URL(), Bucket: influx.Bucket()})
	ctx := context.Background()
	q := uptime.Query{From: t0.Add(30 * time.Minute), To: t0.Add(5*time.Hour + 30*time.Minute), Daily: true}
	later := func() time.Time { return t0.Add(24 * time.Hour) }

	var all []uptime.DeviceReport
	for _, w := range writers {
		local := uptime.New(uptime.Options{Area: w.area, Store: w.db, Devices: w.catalogue, Now: later, Influx: src})
		lr, err := local.Uptime(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		iq := q
		iq.Source, iq.Area = uptime.SourceInflux, w.area
		ir, err := local.Uptime(ctx, iq)
		if err != nil {
			t.Fatal(err)
		}
		if lr.Total.Unknown == 0 || lr.Total.Maintenance == 0 || lr.Total.Outages == 0 {
			t.Errorf("%s: the history must exercise unknown, maintenance and outages: %+v", w.area, lr.Total)
		}
		compare(t, w.area, lr, ir)
		all = append(all, lr.Devices...)

		lo, io := outages(t, local, q), outages(t, local, iq)
		if len(lo) == 0 || !reflect.DeepEqual(lo, io) {
			t.Errorf("%s: outages differ:\nlocal  %v\ninflux %v", w.area, lo, io)
		}
	}
	s := uptime.New(uptime.Options{Area: "khu10", Now: later, Influx: src})
	iq := q
	iq.Source = uptime.SourceInflux
	ir, err := s.Uptime(ctx, iq)
	if err != nil {
		t.Fatal(err)
	}
	if ir.Area != "all" || len(ir.Areas) != 2 || len(ir.Devices) != len(all) {
		t.Fatalf("all areas: area %q, %d areas, %d devices; want all, 2, %d", ir.Area, len(ir.Areas), len(ir.Devices), len(all))
	}
	for i := range all {
		all[i].Name = ""
		if got := ir.Devices[i]; !sameRow(got, all[i]) {
			t.Errorf("all areas: device %s/%s = %+v, want %+v", got.Area, got.ID, got.Seconds, all[i].Seconds)
		}
	}
}

// An unreachable InfluxDB is a ServiceError naming it.
func TestInfluxUnreachable(t *testing.T) {
	src := uptime.NewInflux(uptime.InfluxOptions{URL: "http://127.0.0.1:1", Bucket: "hamlet/autogen", Timeout: 2 * time.Second})
	s := uptime.New(uptime.Options{Influx: src})
	_, err := s.Uptime(context.Background(), uptime.Query{From: time.Now().Add(-time.Hour), To: time.Now(), Source: uptime.SourceInflux})
	var se *uptime.ServiceError
	if !errors.As(err, &se) || se.Service != "InfluxDB" {
		t.Fatalf("error = %v, want a ServiceError naming InfluxDB", err)
	}
}

func compare(t *testing.T, area string, l, i *uptime.Report) {
	t.Helper()
	if len(l.Devices) != len(i.Devices) {
		t.Fatalf("%s: local %d devices, influx %d", area, len(l.Devices), len(i.Devices))
	}
	for k := range l.Devices {
		if !sameRow(l.Devices[k], i.Devices[k]) {
			t.Errorf("%s: device %s: local %+v, influx %+v", area, l.Devices[k].ID, l.Devices[k].Seconds, i.Devices[k].Seconds)
		}
	}
	if !reflect.DeepEqual(l.Total.Seconds, i.Total.Seconds) || !reflect.DeepEqual(l.Zones, i.Zones) ||
		!reflect.DeepEqual(l.Kinds, i.Kinds) || !reflect.DeepEqual(l.SLO, i.SLO) || !reflect.DeepEqual(l.Days, i.Days) {
		t.Errorf("%s: rollups differ:\nlocal  %+v %+v\ninflux %+v %+v", area, l.Total, l.Zones, i.Total, i.Zones)
	}
}

func sameRow(a, b uptime.DeviceReport) bool {
	a.Name, b.Name = "", ""
	return reflect.DeepEqual(a, b)
}

func outages(t *testing.T, s *uptime.Service, q uptime.Query) []string {
	t.Helper()
	var out []string
	err := s.Outages(context.Background(), q, func(o uptime.Outage) error {
		end := "ongoing"
		if o.End != nil {
			end = o.End.UTC().Format(time.RFC3339Nano)
		}
		out = append(out, fmt.Sprintf("%s/%s %s-%s %s %v", o.Area, o.Device, o.Start.UTC().Format(time.RFC3339Nano), end, o.Cause, o.StartClipped))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
