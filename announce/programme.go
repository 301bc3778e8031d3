package announce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Programme is an announcement programme kept by the schedule capability
// (/api/v1/schedules, kind "announcement"): its targets and its programme,
// {"title", "text" | "media_id", "priority", "repeat", "volume", "cron" | "at"}.
type Programme struct {
	ID        string
	Targets   devices.Target
	Program   json.RawMessage
	Enabled   bool
	Created   time.Time
	CreatedBy string
}

// programme is the JSON of an announcement programme.
type programme struct {
	Title    string `json:"title"`
	Text     string `json:"text,omitempty"`
	MediaID  string `json:"media_id,omitempty"`
	Priority string `json:"priority,omitempty"`
	Repeat   int    `json:"repeat,omitempty"`
	Volume   *int   `json:"volume,omitempty"`
	Cron     string `json:"cron,omitempty"`
	At       string `json:"at,omitempty"`
}

// parseProgramme reads an announcement programme into a request (without
// targets); errors are *devices.FieldError naming "program.<field>".
func parseProgramme(raw json.RawMessage) (Request, error) {
	var p programme
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Request{}, devices.Invalid("program", "Chương trình thông báo không hợp lệ / bad announcement programme: %v", err)
	}
	if (p.Cron == "") == (p.At == "") {
		return Request{}, devices.Invalid("program", "Cần đúng một trong cron hoặc at / the programme needs exactly one of \"cron\" or \"at\"")
	}
	req := Request{Title: p.Title, Text: p.Text, MediaID: p.MediaID, Priority: p.Priority, Repeat: p.Repeat, Volume: p.Volume,
		Cron: p.Cron, At: p.At, Targets: devices.Target{All: true}}
	if fe := req.Check(); fe != nil {
		fe.Field = "program." + fe.Field
		return Request{}, fe
	}
	return req, nil
}

// ValidateProgramme checks an announcement programme for the schedule
// capability (schedule.Service.Register): its fields, its cron or a future
// at, and that its media exists.
func (s *Service) ValidateProgramme(raw json.RawMessage) error {
	req, err := parseProgramme(raw)
	if err != nil {
		return err
	}
	if !req.AtTime.IsZero() && req.AtTime.Before(s.opts.Now().Add(-pastSlack)) {
		return devices.Invalid("program.at", "Thời điểm đã qua / at %s is in the past", req.At)
	}
	if req.MediaID != "" {
		if _, _, err := s.mediaFile(context.Background(), req.MediaID); err != nil {
			if errors.Is(err, devices.ErrNotFound) {
				return devices.Invalid("program.media_id", "Không tìm thấy tệp âm thanh / unknown media_id %q", req.MediaID)
			}
			return err
		}
	}
	return nil
}

// ProgrammeNext returns the next occurrence after t of an announcement
// programme (for the schedule API's "next").
func (s *Service) ProgrammeNext(raw json.RawMessage, t time.Time) (time.Time, bool) {
	req, err := parseProgramme(raw)
	if err != nil {
		return time.Time{}, false
	}
	if req.Cron != "" {
		sched, err := ParseCron(req.Cron)
		if err != nil {
			return time.Time{}, false
		}
		next := sched.Next(t.In(s.opts.Location))
		return next, !next.IsZero()
	}
	return req.AtTime, req.AtTime.After(t)
}

// programmeRows returns the enabled announcement programmes of the schedule
// capability as schedule rows, their targets resolved now.
func (s *Service) programmeRows(ctx context.Context) []schedRow {
	if s.opts.Programmes == nil {
		return nil
	}
	ps, err := s.opts.Programmes(ctx)
	if err != nil {
		s.log.Error("announcement programmes not read", "err", err)
		return nil
	}
	var out []schedRow
	for _, p := range ps {
		if !p.Enabled {
			continue
		}
		req, err := parseProgramme(p.Program)
		if err != nil {
			s.log.Warn("announcement programme skipped", "schedule", p.ID, "err", err)
			continue
		}
		if s.opts.Resolve != nil {
			for _, d := range s.opts.Resolve(p.Targets) {
				if d.Kind == devices.Speaker {
					req.Devices = append(req.Devices, d)
				}
			}
		}
		out = append(out, schedRow{id: programmePrefix + p.ID, cron: req.Cron, at: req.AtTime, by: p.CreatedBy, created: p.Created, req: req})
	}
	return out
}

// programmePrefix marks the occurrences of the schedule capability's programmes.
const programmePrefix = "schedule:"
