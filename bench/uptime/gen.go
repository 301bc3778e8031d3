package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
	"github.com/hamlet-vn/hamlet/uptime"
)

// fleet returns n devices over 10 zones: 40% lights, 30% cameras, 30% speakers.
func fleet(n int) []devices.Device {
	out := make([]devices.Device, n)
	for i := range out {
		kind, proto := devices.Light, devices.Tasmota
		switch {
		case i%10 >= 7:
			kind, proto = devices.Speaker, devices.Native
		case i%10 >= 4:
			kind, proto = devices.Camera, devices.Frigate
		}
		out[i] = devices.Device{ID: fmt.Sprintf("%s-%04d", kind, i), Kind: kind, Zone: fmt.Sprintf("ngo-%d", i%10), Protocol: proto}
	}
	return out
}

// history is a generated year of one area: runs (monthly restarts, one
// power cut), each device's transitions and a few maintenance windows.
type history struct {
	area        string
	from, to    time.Time
	fleet       []devices.Device
	perDevice   int
	transitions int
	runs        []uptime.Run
	crashed     int // index of the run that ended in a power cut
}

// runs returns monthly runs separated by short gaps; run 5 ends in a power cut.
func (h *history) plan() {
	start := h.from
	for i := 0; start.Before(h.to); i++ {
		end := start.AddDate(0, 1, 0)
		if end.After(h.to) {
			end = h.to
		}
		h.runs = append(h.runs, uptime.Run{Start: start, End: end})
		start = end.Add(time.Duration(2+i%7) * time.Minute)
	}
	h.crashed = 5
}

// each calls fn with every transition of the year, device by device in time
// order: an unknown one at each run's start, then flaps (outages of 1–120
// minutes with the kind's causes) at about perDevice per device.
func (h *history) each(fn func(d devices.Device, t devices.Transition) error) error {
	rng := rand.New(rand.NewPCG(42, 7))
	h.transitions = 0
	span := h.to.Sub(h.from)
	for _, d := range h.fleet {
		gap := span / time.Duration(h.perDevice/2)
		at := h.from
		run := 0
		up := true
		emit := func(a devices.Availability, c devices.Cause, t time.Time) error {
			h.transitions++
			return fn(d, devices.Transition{Device: d, To: a, Cause: c, At: t})
		}
		if err := emit(devices.Unknown, devices.CauseDaemonStart, at); err != nil {
			return err
		}
		if err := emit(devices.Online, devices.CauseActivity, at.Add(time.Second)); err != nil {
			return err
		}
		at = at.Add(time.Second)
		for {
			step := gap/2 + time.Duration(rng.Int64N(int64(gap)))
			if !up {
				step = time.Duration(1+rng.IntN(120)) * time.Minute
			}
			next := at.Add(step)
			for run+1 < len(h.runs) && !h.runs[run+1].Start.After(next) {
				run++
				if err := emit(devices.Unknown, devices.CauseDaemonStart, h.runs[run].Start); err != nil {
					return err
				}
				up = false // comes back online at once below
			}
			if !next.Before(h.to) {
				break
			}
			up = !up
			a, c := devices.Online, devices.CauseActivity
			if !up {
				a = devices.Offline
				c = []devices.Cause{devices.CauseLWT, devices.CauseTimeout}[rng.IntN(2)]
				if d.Kind == devices.Camera && rng.IntN(2) == 0 {
					c = devices.CauseFrigate
				}
			}
			if err := emit(a, c, next); err != nil {
				return err
			}
			at = next
		}
	}
	return nil
}

// writeStore records the year in db: runs, transitions in batches, maintenance.
func (h *history) writeStore(ctx context.Context, db *store.DB) error {
	now := h.from
	db.Now = func() time.Time { return now }
	for i, r := range h.runs {
		now = r.Start
		id, err := db.StartRun(ctx, "bench")
		if err != nil {
			return err
		}
		now = r.End
		if i == h.crashed {
			err = db.Heartbeat(ctx, id) // the power goes: no stop
		} else {
			err = db.StopRun(ctx, id)
		}
		if err != nil {
			return err
		}
	}
	batch := make([]devices.Transition, 0, 10000)
	err := h.each(func(_ devices.Device, t devices.Transition) error {
		batch = append(batch, t)
		if len(batch) == cap(batch) {
			err := db.RecordTransitions(ctx, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := db.RecordTransitions(ctx, batch); err != nil {
		return err
	}
	for i, w := range h.maintenance() {
		if _, err := db.CreateMaintenance(ctx, w); err != nil {
			return fmt.Errorf("maintenance %d: %w", i, err)
		}
	}
	return nil
}

// maintenance returns 24 windows of 4 hours, each on the devices of one zone.
func (h *history) maintenance() []store.MaintenanceWindow {
	var out []store.MaintenanceWindow
	for i := range 24 {
		from := h.from.Add(time.Duration(i) * 15 * 24 * time.Hour).Add(9 * time.Hour)
		w := store.MaintenanceWindow{From: from, To: from.Add(4 * time.Hour), Target: "{}", CreatedBy: "bench"}
		for _, d := range h.fleet {
			if d.Zone == fmt.Sprintf("ngo-%d", i%10) {
				w.Devices = append(w.Devices, store.MaintenanceDevice{ID: d.ID, Zone: d.Zone})
			}
		}
		out = append(out, w)
	}
	return out
}

// points appends to l, calling flush when it holds enough, the InfluxDB
// points of the same year in line protocol: heartbeats (every minute here,
// to keep the load quick; the daemon writes one every 5 s), availability
// and maintenance.
func (h *history) points(l *telemetry.Lines, flush func() error) error {
	add := func(err error) error {
		if err != nil || l.Points() < 20000 {
			return err
		}
		return flush()
	}
	for i, r := range h.runs {
		for t := r.Start; ; t = t.Add(time.Minute) {
			if t.After(r.End) {
				t = r.End
			}
			if err := add(l.AppendPoint(telemetry.HeartbeatPoint(h.area, int64(i+1), t), t)); err != nil {
				return err
			}
			if !t.Before(r.End) {
				break
			}
		}
	}
	err := h.each(func(d devices.Device, t devices.Transition) error {
		return add(l.AppendPoint(telemetry.AvailabilityPoint(h.area, d, t.To, t.Cause, t.At), t.At))
	})
	if err != nil {
		return err
	}
	for i, w := range h.maintenance() {
		for _, d := range w.Devices {
			if err := add(l.AppendPoint(telemetry.MaintenancePoint(h.area, devices.Device{ID: d.ID}, int64(i+1), w.From, w.To), w.From)); err != nil {
				return err
			}
		}
	}
	return nil
}
