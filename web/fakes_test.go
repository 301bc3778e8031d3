package web

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// fakeCommander confirms every device, unless fn is set.
type fakeCommander struct {
	fn func(ctx context.Context, req CommandRequest, u User) (CommandResult, error)
}

func (f *fakeCommander) Command(ctx context.Context, req CommandRequest, u User) (CommandResult, error) {
	if f.fn != nil {
		return f.fn(ctx, req, u)
	}
	res := CommandResult{ID: "cmd-1"}
	for _, d := range req.Devices {
		res.Results = append(res.Results, DeviceResult{Device: d.ID, Status: "confirmed"})
	}
	return res, nil
}

// fakeAnnouncer knows announcement ann-a (zone ngo-a) and ann-b (zone ngo-b).
type fakeAnnouncer struct{}

func (fakeAnnouncer) Announce(ctx context.Context, req AnnouncementRequest, u User) (Announcement, error) {
	return Announcement{ID: "ann-new", Title: req.Title, Priority: req.Priority, Status: "pending"}, nil
}

func (fakeAnnouncer) Announcement(ctx context.Context, id string) (Announcement, error) {
	switch id {
	case "ann-a":
		return Announcement{ID: id, Status: "done", Zones: []string{zoneA}}, nil
	case "ann-b":
		return Announcement{ID: id, Status: "done", Zones: []string{zoneB}}, nil
	}
	return Announcement{}, fmt.Errorf("announcement %q: %w", id, ErrNotFound)
}

func (fakeAnnouncer) Cancel(ctx context.Context, id string, u User) error { return nil }

// fakeMedia accepts any upload.
type fakeMedia struct{}

func (fakeMedia) Upload(ctx context.Context, ct string, body io.Reader, u User) (Media, error) {
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		return Media{}, err
	}
	return Media{ID: "m1", ContentType: ct, DurationS: float64(n) / 16000}, nil
}

// fakeScheduler knows schedules sch-a (zone ngo-a) and sch-b (zone ngo-b).
type fakeScheduler struct{}

func (fakeScheduler) Schedules(ctx context.Context) ([]Schedule, error) { return nil, nil }
func (s fakeScheduler) Schedule(ctx context.Context, id string) (Schedule, error) {
	switch id {
	case "sch-a":
		return Schedule{ID: id, Zones: []string{zoneA}}, nil
	case "sch-b":
		return Schedule{ID: id, Zones: []string{zoneB}}, nil
	}
	return Schedule{}, fmt.Errorf("schedule %q: %w", id, ErrNotFound)
}
func (fakeScheduler) CreateSchedule(ctx context.Context, req ScheduleRequest, u User) (Schedule, error) {
	return Schedule{ID: "sch-new", Name: req.Name}, nil
}
func (fakeScheduler) UpdateSchedule(ctx context.Context, id string, req ScheduleRequest, u User) (Schedule, error) {
	return Schedule{ID: id, Name: req.Name}, nil
}
func (fakeScheduler) DeleteSchedule(ctx context.Context, id string, u User) error { return nil }

// fakeUptime answers fixed reports.
type fakeUptime struct{}

func (fakeUptime) Uptime(ctx context.Context, q UptimeQuery) (any, error) {
	return map[string]any{"devices": []any{}, "zones": q.Zones}, nil
}
func (fakeUptime) WriteUptimeCSV(ctx context.Context, q UptimeQuery, w io.Writer) error {
	_, err := io.WriteString(w, "id,uptime_pct\n")
	return err
}
func (fakeUptime) Outages(ctx context.Context, q UptimeQuery) (any, error) { return []any{}, nil }
func (fakeUptime) Maintenance(ctx context.Context, req MaintenanceRequest, u User) (any, error) {
	return map[string]any{"devices": len(req.Devices)}, nil
}

// withHooks wires every fake capability.
func withHooks(o *Options) {
	o.Commander, o.Announcer, o.Media, o.Scheduler, o.Uptime = &fakeCommander{}, fakeAnnouncer{}, fakeMedia{}, fakeScheduler{}, fakeUptime{}
	o.DeviceAdmin = fakeDeviceAdmin{o.Devices}
	o.Alerts = fakeAlerts{}
}

// fakeDeviceAdmin assigns through the registry, as the daemon does.
type fakeDeviceAdmin struct{ src DeviceSource }

func (f fakeDeviceAdmin) AssignDevice(_ *http.Request, id string, a DeviceAssignment) (devices.Status, error) {
	return f.src.(*devices.Registry).Assign(id, a.Zone, devices.Kind(a.Kind), a.Name)
}

var (
	_ Commander      = (*fakeCommander)(nil)
	_ Announcer      = fakeAnnouncer{}
	_ MediaStore     = fakeMedia{}
	_ Scheduler      = fakeScheduler{}
	_ UptimeReporter = fakeUptime{}
	_ DeviceAdmin    = fakeDeviceAdmin{}
	_ DeviceSource   = (*devices.Registry)(nil)
)
