package announce

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// schedulePrefix starts the id of a recurring announcement.
const schedulePrefix = "sch-"

func isScheduleID(id string) bool { return strings.HasPrefix(id, schedulePrefix) }

// cronParser reads standard five-field cron expressions and @descriptors.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseCron parses a five-field cron expression ("30 17 * * *") or a
// descriptor (@daily).
func ParseCron(expr string) (cron.Schedule, error) {
	if strings.HasPrefix(strings.TrimSpace(expr), "@every") {
		return nil, errors.New("@every is not supported; use five fields such as \"30 17 * * *\"")
	}
	return cronParser.Parse(expr)
}

// maxOccurrences bounds how many past occurrences one tick settles per
// schedule (after a long outage, older ones are skipped, not listed).
const maxOccurrences = 500

// createSchedule stores a recurring announcement.
func (s *Service) createSchedule(ctx context.Context, req Request, u accounts.User) (Announcement, error) {
	sched, err := ParseCron(req.Cron)
	if err != nil {
		return Announcement{}, devices.Invalid("cron", "Biểu thức cron không hợp lệ / cron %q: %v", req.Cron, err)
	}
	now := s.opts.Now()
	if sched.Next(now.In(s.opts.Location)).IsZero() {
		return Announcement{}, devices.Invalid("cron", "Biểu thức cron không bao giờ đến / cron %q never fires", req.Cron)
	}
	body, err := json.Marshal(struct {
		Request
		Devices []devices.Device `json:"devices"`
	}{req, req.Devices})
	if err != nil {
		return Announcement{}, err
	}
	id := newID(schedulePrefix)
	if _, err := s.opts.DB.ExecContext(ctx, `INSERT INTO announce_schedules (id, request, cron, created, created_by) VALUES (?, ?, ?, ?, ?)`,
		id, body, req.Cron, ts(now), u.Name); err != nil {
		return Announcement{}, fmt.Errorf("announce: schedule: %w", err)
	}
	return s.scheduleView(ctx, id)
}

// schedRow is a stored recurring announcement.
type schedRow struct {
	id, cron, by string
	at           time.Time // a one-off programme's time (cron empty)
	created      time.Time
	req          Request
}

func (s *Service) schedules(ctx context.Context, id string) ([]schedRow, error) {
	q := `SELECT id, request, cron, created, created_by FROM announce_schedules WHERE deleted = 0`
	args := []any{}
	if id != "" {
		q += ` AND id = ?`
		args = append(args, id)
	}
	rows, err := s.opts.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("announce: schedules: %w", err)
	}
	defer rows.Close()
	var out []schedRow
	for rows.Next() {
		var r schedRow
		var body []byte
		var created string
		if err := rows.Scan(&r.id, &body, &r.cron, &created, &r.by); err != nil {
			return nil, err
		}
		var b struct {
			Request
			Devices []devices.Device `json:"devices"`
		}
		if err := json.Unmarshal(body, &b); err != nil {
			return nil, err
		}
		r.req, r.created = b.Request, parseTS(created)
		r.req.Devices = b.Devices
		out = append(out, r)
	}
	return out, rows.Err()
}

// scheduleView shows a recurring announcement as an Announcement whose
// status is scheduled and whose At is the next occurrence.
func (s *Service) scheduleView(ctx context.Context, id string) (Announcement, error) {
	rows, err := s.schedules(ctx, id)
	if err != nil {
		return Announcement{}, err
	}
	if len(rows) == 0 {
		return Announcement{}, fmt.Errorf("schedule %q: %w", id, devices.ErrNotFound)
	}
	r := rows[0]
	a := Announcement{ID: r.id, Title: r.req.Title, Priority: r.req.Priority, Status: Scheduled, Text: r.req.Text,
		MediaID: r.req.MediaID, Repeat: r.req.Repeat, Volume: r.req.Volume, By: r.by, Created: r.created, Schedule: r.cron,
		Deliveries: []Delivery{}}
	if sched, err := ParseCron(r.cron); err == nil {
		a.At = sched.Next(s.opts.Now().In(s.opts.Location))
	}
	for _, d := range r.req.Devices {
		if !containsStr(a.Zones, d.Zone) {
			a.Zones = append(a.Zones, d.Zone)
		}
	}
	return a, nil
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// deleteSchedule stops a recurring announcement (its past occurrences stay).
func (s *Service) deleteSchedule(ctx context.Context, id string) error {
	res, err := s.opts.DB.ExecContext(ctx, `UPDATE announce_schedules SET deleted = 1 WHERE id = ? AND deleted = 0`, id)
	if err != nil {
		return fmt.Errorf("announce: delete schedule: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("schedule %q: %w", id, devices.ErrNotFound)
	}
	return nil
}

// runSchedules settles every due occurrence of every recurring
// announcement: within Grace of its time it is claimed and played (late if
// need be); after that it is recorded as missed. The claim (occurrence row)
// and the announcement are written in one transaction before anything is
// published, and the occurrence's primary key refuses a second claim: an
// occurrence plays at most once across restarts, and exactly once when the
// daemon runs within Grace of it.
func (s *Service) runSchedules(ctx context.Context) {
	rows, err := s.schedules(ctx, "")
	if err != nil {
		s.log.Error("schedules not read", "err", err)
		return
	}
	rows = append(rows, s.programmeRows(ctx)...)
	now := s.opts.Now()
	for _, sc := range rows {
		if sc.cron == "" {
			s.runOnce(ctx, sc, now)
			continue
		}
		sched, err := ParseCron(sc.cron)
		if err != nil {
			continue
		}
		var last sql.NullString
		if err := s.opts.DB.QueryRowContext(ctx, `SELECT MAX(due) FROM announce_occurrences WHERE schedule = ?`, sc.id).Scan(&last); err != nil {
			s.log.Error("schedule occurrences not read", "schedule", sc.id, "err", err)
			continue
		}
		from := sc.created
		if last.Valid {
			from = parseTS(last.String)
		}
		// Occurrences older than a day are not recorded (a programme first
		// seen after a long outage does not list every day as missed).
		from = laterOf(from, now.Add(-24*time.Hour))
		for i, due := 0, sched.Next(from.In(s.opts.Location)); i < maxOccurrences && !due.IsZero() && !due.After(now); i, due = i+1, sched.Next(due) {
			if err := s.occur(ctx, sc, due, now); err != nil {
				s.log.Error("schedule occurrence not settled", "schedule", sc.id, "due", due, "err", err)
				break
			}
		}
	}
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// runOnce settles a one-off programme once its time has come.
func (s *Service) runOnce(ctx context.Context, sc schedRow, now time.Time) {
	if sc.at.IsZero() || sc.at.After(now) || now.Sub(sc.at) > 24*time.Hour {
		return
	}
	if err := s.occur(ctx, sc, sc.at, now); err != nil {
		s.log.Error("schedule occurrence not settled", "schedule", sc.id, "due", sc.at, "err", err)
	}
}

// occur claims one occurrence: played when within Grace, else missed.
func (s *Service) occur(ctx context.Context, sc schedRow, due, now time.Time) error {
	missed := now.Sub(due) > s.opts.Grace
	req := sc.req
	req.AtTime = due
	var r *record
	var err error
	if missed {
		r = s.missedRecord(req, sc, due, now)
	} else {
		at := due
		if req.Priority != string(devices.Emergency) {
			at = s.deferToWindows(req.Devices, due)
		}
		if r, err = s.build(ctx, req, req.Devices, sc.by, now, at, sc.id); err != nil {
			return err
		}
	}
	r.Status = overall(&r.Announcement, now)
	tx, err := s.opts.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	outcome := "played"
	if missed {
		outcome = Missed
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO announce_occurrences (schedule, due, announcement, outcome, claimed)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, sc.id, ts(due), r.ID, outcome, ts(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already claimed
	}
	if err := saveTx(ctx, tx, r); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.hub.Publish(Event{Announcement: r.ID, Zones: r.Zones, Status: r.Status, At: now})
	if missed {
		s.log.Warn("scheduled announcement missed", "schedule", sc.id, "due", due)
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.launch(r, now)
	return nil
}

// missedRecord is the record of an occurrence found after its grace period.
func (s *Service) missedRecord(req Request, sc schedRow, due, now time.Time) *record {
	r := &record{Announcement: Announcement{ID: newID("ann-"), Title: req.Title, Priority: req.Priority, Text: req.Text,
		MediaID: req.MediaID, Repeat: req.Repeat, Volume: req.Volume, By: sc.by, Created: now, At: due, Expires: due,
		Schedule: sc.id, Status: Missed}, Targets: req.Devices}
	reason := fmt.Sprintf("Lỡ lịch: hamletd không chạy lúc %s / missed: the daemon was not running at %s",
		due.In(s.opts.Location).Format("15:04 02/01/2006"), due.Format(time.RFC3339))
	for _, d := range req.Devices {
		if !containsStr(r.Zones, d.Zone) {
			r.Zones = append(r.Zones, d.Zone)
		}
		r.Deliveries = append(r.Deliveries, Delivery{Device: d.ID, Zone: d.Zone, Status: Failed, Error: reason, Updated: now})
	}
	return r
}

// missOverdue marks as missed the one-off scheduled announcements that a
// restart found more than Grace after their time without any delivery
// started. s.mu is held.
func (s *Service) missOverdue(now time.Time) {
	for _, r := range s.open {
		if !r.At.After(r.Created.Add(pastSlack)) || now.Sub(r.At) <= s.opts.Grace {
			continue
		}
		started := false
		for _, dl := range r.Deliveries {
			if dl.Status != Pending && dl.Status != Offline {
				started = true
			}
		}
		if started {
			continue
		}
		r.Status = Missed
		for i := range r.Deliveries {
			s.speaker(r.Deliveries[i].Device).remove(r)
			s.setDelivery(r, &r.Deliveries[i], Failed, "Lỡ lịch / missed: the daemon was not running at the time", now)
		}
		s.persist(r)
	}
}
