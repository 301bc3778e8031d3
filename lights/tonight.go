package lights

import (
	"slices"
	"time"

	"github.com/hamlet-vn/hamlet/schedule"
)

// ProgrammeRun is one light programme's run for a night: its steps with
// their actual times, and which of the lights asked about it runs.
type ProgrammeRun struct {
	Programme string    `json:"programme"` // the schedule id
	Lights    []string  `json:"lights"`
	Date      string    `json:"date"`  // the evening the run starts (YYYY-MM-DD, area timezone)
	Steps     []RunStep `json:"steps"` // [] when the programme does not run that night
}

// RunStep is one step of a run at its actual time.
type RunStep struct {
	At         string    `json:"at"` // as written: "sunset+10m", "23:00"
	Time       time.Time `json:"time"`
	On         bool      `json:"on"`
	Brightness int       `json:"brightness,omitempty"`
}

// Tonight returns, for the given lights, the programmes that run them (as
// of the last Tick) with tonight's steps at their actual times: the run
// starting this evening, or before noon the run of the night in progress.
// Lights no programme runs are left out.
func (s *Service) Tonight(ids []string, now time.Time) []ProgrammeRun {
	pl := s.opts.Place
	loc := pl.Loc
	if loc == nil {
		loc = time.UTC
	}
	lt := now.In(loc)
	if lt.Hour() < 12 {
		lt = lt.AddDate(0, 0, -1)
	}
	date := time.Date(lt.Year(), lt.Month(), lt.Day(), 12, 0, 0, 0, loc)
	byLight := programmeFor(s.programmes())
	runs := map[string]*ProgrammeRun{}
	var order []string
	for _, id := range ids {
		p := byLight[id]
		if p == nil {
			continue
		}
		r := runs[p.ID]
		if r == nil {
			r = &ProgrammeRun{Programme: p.ID, Date: date.Format("2006-01-02"), Steps: []RunStep{}}
			steps, _ := p.Programme.StepsOn(date, pl) // a sun event that does not happen leaves its step out
			for _, t := range steps {
				r.Steps = append(r.Steps, runStep(t, loc))
			}
			runs[p.ID] = r
			order = append(order, p.ID)
		}
		r.Lights = append(r.Lights, id)
	}
	slices.Sort(order)
	out := make([]ProgrammeRun, 0, len(order))
	for _, id := range order {
		out = append(out, *runs[id])
	}
	return out
}

func runStep(t schedule.Timed, loc *time.Location) RunStep {
	rs := RunStep{At: t.Step.At, Time: t.Time.In(loc), On: t.Step.On}
	if rs.On {
		rs.Brightness = t.Step.Brightness
		if rs.Brightness == 0 { // "on" without a brightness is full
			rs.Brightness = 100
		}
	}
	return rs
}
