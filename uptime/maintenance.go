package uptime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// CreateMaintenance implements Reporter. req must be validated, with its
// target resolved to Devices.
func (s *Service) CreateMaintenance(ctx context.Context, req MaintenanceRequest, u accounts.User) (Maintenance, error) {
	if len(req.Devices) == 0 {
		return Maintenance{}, devices.Invalid("target", "Không có thiết bị nào / target selects no devices")
	}
	target, err := json.Marshal(req.Target)
	if err != nil {
		return Maintenance{}, err
	}
	w := store.MaintenanceWindow{From: req.FromTime, To: req.ToTime, Target: string(target), Note: req.Note, CreatedBy: u.Name}
	for _, d := range req.Devices {
		w.Devices = append(w.Devices, store.MaintenanceDevice{ID: d.ID, Zone: d.Zone})
	}
	id, err := s.opts.Store.CreateMaintenance(ctx, w)
	if err != nil {
		return Maintenance{}, err
	}
	s.opts.Logger.Info("maintenance declared", "id", id, "user", u.Name, "devices", len(w.Devices),
		"from", req.FromTime, "to", req.ToTime)
	m, err := s.get(ctx, id)
	if err == nil {
		s.export(m, req.Devices)
	}
	return m, err
}

// export writes the InfluxDB points of window m on ds.
func (s *Service) export(m Maintenance, ds []devices.Device) {
	if s.opts.Export == nil {
		return
	}
	points := make([]*write.Point, len(ds))
	for i, d := range ds {
		points[i] = telemetry.MaintenancePoint(s.opts.Area, d, m.ID, m.From, m.To)
	}
	// The window's times are a person's, not read from this box's clock:
	// a writer that holds points while the clock is wrong must not move them.
	if e, ok := s.opts.Export.(interface {
		AddExact(points []*write.Point, ack func())
	}); ok {
		e.AddExact(points, func() {})
		return
	}
	s.opts.Export.Add(points, func() {})
}

// ListMaintenance implements Reporter.
func (s *Service) ListMaintenance(ctx context.Context, from, to time.Time, zones []string) ([]Maintenance, error) {
	ws, err := s.opts.Store.MaintenanceWindows(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := []Maintenance{}
	for _, w := range ws {
		m := s.view(w)
		if len(zones) == 0 || allIn(m.Zones, zones) {
			out = append(out, m)
		}
	}
	return out, nil
}

// MaintenanceZones implements Reporter.
func (s *Service) MaintenanceZones(ctx context.Context, id int64) ([]string, error) {
	m, err := s.get(ctx, id)
	return m.Zones, err
}

// CancelMaintenance implements Reporter.
func (s *Service) CancelMaintenance(ctx context.Context, id int64, u accounts.User) (Maintenance, error) {
	ok, err := s.opts.Store.CancelMaintenance(ctx, id, u.Name)
	if err != nil {
		return Maintenance{}, err
	}
	m, err := s.get(ctx, id)
	if err != nil {
		return m, err
	}
	if !ok {
		return m, fmt.Errorf("Đợt bảo trì %d đã kết thúc hoặc đã bị hủy / maintenance %d is already %s: %w", id, id, m.Status, devices.ErrConflict)
	}
	s.opts.Logger.Info("maintenance cancelled", "id", id, "user", u.Name)
	if s.opts.Export != nil {
		w, err := s.opts.Store.MaintenanceWindowByID(ctx, id)
		if err != nil {
			return m, err
		}
		ds := make([]devices.Device, len(w.Devices))
		for i, d := range w.Devices {
			ds[i] = devices.Device{ID: d.ID, Zone: d.Zone}
		}
		s.export(m, ds)
	}
	return m, nil
}

// ParseMaintenanceID parses a window id from a path, wrapping devices.ErrNotFound.
func ParseMaintenanceID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("không có đợt bảo trì %q / no maintenance window %q: %w", s, s, devices.ErrNotFound)
	}
	return id, nil
}

func (s *Service) get(ctx context.Context, id int64) (Maintenance, error) {
	w, err := s.opts.Store.MaintenanceWindowByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Maintenance{}, fmt.Errorf("không có đợt bảo trì %d / no maintenance window %d: %w", id, id, devices.ErrNotFound)
	}
	if err != nil {
		return Maintenance{}, err
	}
	return s.view(w), nil
}

// view converts a stored window for the API.
func (s *Service) view(w store.MaintenanceWindow) Maintenance {
	loc, now := s.opts.Location, s.opts.Now()
	m := Maintenance{ID: w.ID, From: w.From.In(loc), To: w.To.In(loc), Note: w.Note, CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt.In(loc), CancelledBy: w.CancelledBy, Devices: []string{}, Zones: []string{}}
	_ = json.Unmarshal([]byte(w.Target), &m.Target)
	for _, d := range w.Devices {
		m.Devices = append(m.Devices, d.ID)
		if !slices.Contains(m.Zones, d.Zone) {
			m.Zones = append(m.Zones, d.Zone)
		}
	}
	slices.Sort(m.Zones)
	switch {
	case !w.CancelledAt.IsZero():
		c := w.CancelledAt.In(loc)
		m.CancelledAt, m.Status = &c, "cancelled"
	case now.Before(w.From):
		m.Status = "planned"
	case now.Before(w.To):
		m.Status = "active"
	default:
		m.Status = "over"
	}
	return m
}

func allIn(have, allowed []string) bool {
	for _, z := range have {
		if !slices.Contains(allowed, z) {
			return false
		}
	}
	return true
}
