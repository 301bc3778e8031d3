package schedule

import (
	"encoding/json"
	"time"
)

// Night is a light programme's run for one evening, each step at its actual
// time: what the API shows as a light schedule's "tonight".
type Night struct {
	Date  string      `json:"date"`  // the evening the run starts (YYYY-MM-DD, area timezone)
	Steps []NightStep `json:"steps"` // [] when no run starts that evening (another weekday, an "off" exception)
}

// NightStep is one step of a Night at its actual time.
type NightStep struct {
	At         string    `json:"at"` // as written: "sunset+10m", "23:00"
	Time       time.Time `json:"time"`
	On         bool      `json:"on"`
	Brightness int       `json:"brightness,omitempty"` // 1-100 on an "on" step (omitted or 0 written means 100)
}

// Evening returns the date "tonight" means at now in loc: today, or before
// noon the evening before (the night in progress).
func Evening(now time.Time, loc *time.Location) time.Time {
	lt := now.In(loc)
	if lt.Hour() < 12 {
		lt = lt.AddDate(0, 0, -1)
	}
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
}

// Night returns the run that starts on date's evening at pl, each step at
// its actual instant in pl's timezone. A step whose sun event does not
// happen that day is left out.
func (p Programme) Night(date time.Time, pl Place) Night {
	y, m, d := date.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, pl.loc())
	n := Night{Date: day.Format(time.DateOnly), Steps: []NightStep{}}
	steps, _ := p.StepsOn(day, pl)
	for _, t := range steps {
		ns := NightStep{At: t.Step.At, Time: t.Time.In(pl.loc()), On: t.Step.On}
		if ns.On {
			ns.Brightness = t.Step.Setting().Brightness
		}
		n.Steps = append(n.Steps, ns)
	}
	return n
}

// tonight is a light schedule's run tonight at now; nil when its programme
// does not decode.
func tonight(program json.RawMessage, now time.Time, pl Place) *Night {
	var p Programme
	if json.Unmarshal(program, &p) != nil {
		return nil
	}
	n := p.Night(Evening(now, pl.loc()), pl)
	return &n
}
