package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/announce"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/uptime"
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

func (fakeAnnouncer) Window(zone string, t time.Time) announce.ZoneWindow {
	if zone == zoneB {
		n := t.Add(time.Hour)
		return announce.ZoneWindow{Windows: []string{"17:00-18:00"}, NextOpen: &n}
	}
	return announce.ZoneWindow{Windows: []string{"00:00-24:00"}, Open: true}
}
func (fakeAnnouncer) Announce(ctx context.Context, req announce.Request, u User) (Announcement, error) {
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

func (fakeAnnouncer) History(ctx context.Context, from, to time.Time) ([]Announcement, error) {
	return []Announcement{{ID: "ann-a", Status: "done", Zones: []string{zoneA}}, {ID: "ann-b", Status: "done", Zones: []string{zoneB}}}, nil
}

func (fakeAnnouncer) Events(buffer int) (<-chan announce.Event, func()) {
	var h devices.Hub[announce.Event]
	return h.Subscribe(buffer)
}

// fakeMedia accepts any upload.
type fakeMedia struct{}

func (fakeMedia) Upload(ctx context.Context, ct string, body io.Reader, u User) (Media, error) {
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		return Media{}, err
	}
	return Media{ID: "m1", ContentType: ct, DurationS: float64(n) / 16000}, nil
}

func (fakeMedia) MediaList(ctx context.Context) ([]Media, error) { return []Media{{ID: "m1"}}, nil }

func (fakeMedia) DeleteMedia(ctx context.Context, id string) error {
	if id != "m1" {
		return fmt.Errorf("media %q: %w", id, ErrNotFound)
	}
	return nil
}

// Fetch knows one token, t1.mp3 (served from this very file).
func (fakeMedia) Fetch(ctx context.Context, token string) (string, string, error) {
	if token == "t1.mp3" {
		return "fakes_test.go", "audio/mpeg", nil
	}
	return "", "", fmt.Errorf("token: %w", ErrNotFound)
}

// fakeScheduler knows schedules sch-a (zone ngo-a) and sch-b (zone ngo-b).
type fakeScheduler struct{}

func (fakeScheduler) List(ctx context.Context, kind string) ([]Schedule, error) { return nil, nil }
func (s fakeScheduler) Get(ctx context.Context, id string) (Schedule, error) {
	switch id {
	case "sch-a":
		return Schedule{ID: id, Zones: []string{zoneA}}, nil
	case "sch-b":
		return Schedule{ID: id, Zones: []string{zoneB}}, nil
	}
	return Schedule{}, fmt.Errorf("schedule %q: %w", id, ErrNotFound)
}
func (fakeScheduler) Create(ctx context.Context, req ScheduleRequest, u User) (Schedule, error) {
	return Schedule{ID: "sch-new", Name: req.Name}, nil
}
func (fakeScheduler) Update(ctx context.Context, id string, req ScheduleRequest, u User) (Schedule, error) {
	return Schedule{ID: id, Name: req.Name}, nil
}
func (fakeScheduler) Delete(ctx context.Context, id string, u User) error { return nil }

// fakeUptime answers fixed reports; maintenance window 1 is in zone A.
type fakeUptime struct{}

func (fakeUptime) Uptime(ctx context.Context, q UptimeQuery) (*uptime.Report, error) {
	return &uptime.Report{Devices: []uptime.DeviceReport{}}, nil
}
func (fakeUptime) Outages(ctx context.Context, q UptimeQuery, fn func(uptime.Outage) error) error {
	return nil
}
func (fakeUptime) CreateMaintenance(ctx context.Context, req MaintenanceRequest, u User) (uptime.Maintenance, error) {
	ids := make([]string, len(req.Devices))
	for i, d := range req.Devices {
		ids[i] = d.ID
	}
	return uptime.Maintenance{ID: 2, Devices: ids}, nil
}
func (fakeUptime) ListMaintenance(ctx context.Context, from, to time.Time, zones []string) ([]uptime.Maintenance, error) {
	return []uptime.Maintenance{}, nil
}
func (fakeUptime) MaintenanceZones(ctx context.Context, id int64) ([]string, error) {
	if id == 1 {
		return []string{zoneA}, nil
	}
	return nil, fmt.Errorf("no maintenance %d: %w", id, ErrNotFound)
}
func (fakeUptime) CancelMaintenance(ctx context.Context, id int64, u User) (uptime.Maintenance, error) {
	return uptime.Maintenance{ID: id, Status: "cancelled"}, nil
}

// fakeLights shows no override nor fault and empty reports.
type fakeLights struct{}

func (fakeLights) LightStatus(id string) (lights.Status, bool) {
	return lights.Status{Faults: []lights.Fault{}}, true
}
func (fakeLights) Tonight(ids []string, now time.Time) []lights.ProgrammeRun {
	at := time.Date(2026, 12, 4, 17, 26, 0, 0, time.UTC)
	return []lights.ProgrammeRun{{Programme: "sch-a", Lights: ids, Date: "2026-12-04",
		Steps: []lights.RunStep{{At: "sunset+10m", Time: at, On: true, Brightness: 100}, {At: "23:00", Time: at.Add(5 * time.Hour)}}}}
}
func (fakeLights) ClearOverride(ctx context.Context, id string) (lights.Status, error) {
	return lights.Status{Faults: []lights.Fault{}}, nil
}
func (fakeLights) Report(ctx context.Context, req lights.ReportRequest) (lights.Report, error) {
	return lights.Report{From: req.From, To: req.To, Lights: []lights.LightReport{}, Zones: []lights.ZoneReport{}}, nil
}

// withHooks wires every fake capability.
func withHooks(o *Options) {
	o.Commander, o.Announcer, o.Media, o.Scheduler, o.Uptime = &fakeCommander{}, fakeAnnouncer{}, fakeMedia{}, fakeScheduler{}, fakeUptime{}
	o.DeviceAdmin = fakeDeviceAdmin{o.Devices}
	o.Alerts = fakeAlerts{}
	o.Lights = fakeLights{}
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
