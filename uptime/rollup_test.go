package uptime

import (
	"reflect"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

func TestUnwatched(t *testing.T) {
	cases := []struct {
		name string
		runs []Run
		want []Interval
	}{
		{"no run: nothing watched", nil, []Interval{iv(0, 100)}},
		{"one run covering all", []Run{{m(-10), m(200)}}, nil},
		{"clean restart leaves a gap", []Run{{m(-10), m(30)}, {m(50), m(200)}}, []Interval{iv(30, 50)}},
		// A power cut: the run has no stop; its end is its last heartbeat.
		{"power cut then start later, runs unsorted", []Run{{m(60), m(90)}, {m(-10), m(42)}}, []Interval{iv(42, 60), iv(90, 100)}},
		{"overlapping runs", []Run{{m(0), m(50)}, {m(40), m(60)}, {m(55), m(70)}}, []Interval{iv(70, 100)}},
		{"first run starts mid-report", []Run{{m(20), m(500)}}, []Interval{iv(0, 20)}},
	}
	for _, tc := range cases {
		if got := Unwatched(tc.runs, m(0), m(100)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Unwatched = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDailyAtMidnightInHoChiMinhCity(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, hcm) // 2026-10-31T17:00Z
	to := time.Date(2026, 11, 3, 0, 0, 0, 0, hcm)
	at := func(d, h, mi int) time.Time { return time.Date(2026, 11, d, h, mi, 0, 0, hcm) }
	b := NewBuilder(Params{From: from, To: to, Location: hcm, Daily: true})
	b.Begin(Device{ID: "den-1", Kind: devices.Light}, nil)
	for _, tr := range []Transition{
		{At: at(1, 0, 0), State: devices.Online},
		{At: at(1, 23, 30), State: devices.Offline, Cause: devices.CauseLWT}, // across midnight
		{At: at(2, 0, 30), State: devices.Online},
	} {
		b.Add(tr)
	}
	b.End()
	r := b.Report()
	if len(r.Days) != 2 {
		t.Fatalf("days = %+v, want 2", r.Days)
	}
	d1, d2 := r.Days[0], r.Days[1]
	if d1.Date != "2026-11-01" || d2.Date != "2026-11-02" || !d2.From.Equal(time.Date(2026, 11, 1, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("days = %s from %s, %s from %s", d1.Date, d1.From, d2.Date, d2.From)
	}
	if d1.Down != 1800 || d2.Down != 1800 || d1.Up != 86400-1800 || d2.Up != 86400-1800 {
		t.Errorf("day 1 up %v down %v, day 2 up %v down %v", d1.Up, d1.Down, d2.Up, d2.Down)
	}
	// The outage belongs to the day it started on.
	if d1.Outages != 1 || d2.Outages != 0 {
		t.Errorf("outages per day = %d, %d; want 1, 0", d1.Outages, d2.Outages)
	}
	if got := DayStarts(from, to, hcm); len(got) != 2 || got[1].In(hcm).Hour() != 0 {
		t.Errorf("DayStarts = %v", got)
	}
}

func TestRollupsSLOAndMeans(t *testing.T) {
	b := NewBuilder(Params{From: m(0), To: m(100), Area: "khu10",
		SLO: map[devices.Kind]float64{devices.Camera: 99, devices.Light: 98, devices.Speaker: 97}})
	feed := func(d Device, ts ...Transition) {
		b.Begin(d, nil)
		for _, tr := range ts {
			b.Add(tr)
		}
		b.End()
	}
	feed(Device{Area: "khu10", ID: "cam-1", Kind: devices.Camera, Zone: "z1"},
		on(-1), off(10, devices.CauseFrigate), on(20), off(50, devices.CauseFrigate), on(60)) // 80 up, 20 down, 2 outages
	feed(Device{Area: "khu10", ID: "den-1", Kind: devices.Light, Zone: "z1"}, on(-1))  // 100 up
	feed(Device{Area: "khu10", ID: "den-2", Kind: devices.Light, Zone: "z2"}, unk(-1)) // unknown all along
	r := b.Report()

	cam := r.Devices[0]
	if cam.ID != "cam-1" || *cam.UptimePct != 80 || *cam.MTTR != 600 || *cam.MTBF != 2400 || !cam.Breach || *cam.SLOPct != 99 {
		t.Errorf("cam-1 = %+v", cam)
	}
	if r.Devices[2].UptimePct != nil || r.Devices[2].Breach {
		t.Errorf("den-2 with no known time must have a null uptime and no breach: %+v", r.Devices[2])
	}
	if r.Total.Devices != 3 || r.Total.Up != 180*60 || r.Total.Down != 20*60 || r.Total.Unknown != 100*60 || *r.Total.UptimePct != 90 ||
		r.Total.Outages != 2 || *r.Total.MTTR != 600 {
		t.Errorf("total = %+v", r.Total)
	}
	if len(r.Zones) != 2 || r.Zones[0].Zone != "z1" || r.Zones[0].Devices != 2 || *r.Zones[0].UptimePct != 90 || r.Zones[1].UptimePct != nil {
		t.Errorf("zones = %+v", r.Zones)
	}
	if len(r.Kinds) != 2 || r.Kinds[0].Kind != devices.Light || r.Kinds[1].Kind != devices.Camera {
		t.Errorf("kinds = %+v", r.Kinds)
	}
	if len(r.Areas) != 1 || r.Areas[0].Area != "khu10" {
		t.Errorf("areas = %+v", r.Areas)
	}
	want := []SLOResult{
		{Kind: devices.Light, TargetPct: 98, UptimePct: ptr(100.0), Met: true, Breaching: []string{}},
		{Kind: devices.Camera, TargetPct: 99, UptimePct: ptr(80.0), Met: false, Breaching: []string{"cam-1"}},
		{Kind: devices.Speaker, TargetPct: 97, Met: true, Breaching: []string{}},
	}
	if !reflect.DeepEqual(r.SLO, want) {
		t.Errorf("slo = %+v, want %+v", r.SLO, want)
	}
}
