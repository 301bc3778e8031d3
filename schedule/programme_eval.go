package schedule

import (
	"errors"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Timed is a step at its actual instant on a date.
type Timed struct {
	Step  Step
	Index int // the step's index in its list
	Time  time.Time
}

// maxLookback bounds how many days StateAt and Next search for a run.
const maxLookback = 370

// day returns midnight of t's calendar day in loc.
func day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func addDays(d time.Time, n int) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd+n, 0, 0, 0, 0, d.Location())
}

// stepsFor returns the steps of the run that starts on date (midnight in the
// place's timezone) and the exception index (-1 for none); nil when no run
// starts that day.
func (p Programme) stepsFor(date time.Time) ([]Step, int) {
	key := date.Format(time.DateOnly)
	for i, e := range p.Exceptions {
		if e.Date == key {
			if e.Off {
				return nil, i
			}
			return e.Steps, i
		}
	}
	if len(p.Days) > 0 {
		wd := date.Weekday()
		found := false
		for _, d := range p.Days {
			found = found || d == wd
		}
		if !found {
			return nil, -1
		}
	}
	return p.Steps, -1
}

// orderError is a run that is not in time order; Index is the step at fault.
type orderError struct {
	Index  int
	Vi, En string
}

func (e *orderError) Error() string {
	if e.En == "" {
		return e.Vi
	}
	return e.Vi + " / " + e.En
}

// resolve places steps on date: each step not after the one before moves to
// the next day, at most once. Steps whose sun event does not happen are
// left out and reported in missing; order errors stop the run.
func resolve(steps []Step, date time.Time, pl Place) (run []Timed, missing []error, err error) {
	cur, wrapped := date, false
	for i, s := range steps {
		w, perr := ParseWhen(s.At)
		if perr != nil {
			return run, missing, &orderError{Index: i, Vi: perr.Error()}
		}
		t, terr := w.On(cur, pl)
		if terr != nil {
			missing = append(missing, fmt.Errorf("step %d %q: %w", i, s.At, terr))
			continue
		}
		if len(run) > 0 {
			prev := run[len(run)-1]
			if t.Equal(prev.Time) {
				return run, missing, &orderError{Index: i,
					Vi: fmt.Sprintf("Bước %d (%q) trùng giờ với bước %d (%q) lúc %s ngày %s", i, s.At, prev.Index, prev.Step.At, t.Format("15:04"), t.Format("02/01")),
					En: fmt.Sprintf("step %d (%q) is at the same time as step %d (%q), %s on %s", i, s.At, prev.Index, prev.Step.At, t.Format("15:04"), t.Format("02 Jan"))}
			}
			if t.Before(prev.Time) {
				if wrapped {
					return run, missing, &orderError{Index: i,
						Vi: fmt.Sprintf("Bước %d (%q, %s) đứng trước bước %d (%q, %s): các bước phải theo thứ tự thời gian, chỉ qua nửa đêm một lần", i, s.At, t.Format("15:04"), prev.Index, prev.Step.At, prev.Time.Format("15:04")),
						En: fmt.Sprintf("step %d (%q, %s) comes before step %d (%q, %s): steps must be in time order, crossing midnight once at most", i, s.At, t.Format("15:04"), prev.Index, prev.Step.At, prev.Time.Format("15:04"))}
				}
				wrapped = true
				cur = addDays(cur, 1)
				if t, terr = w.On(cur, pl); terr != nil {
					missing = append(missing, fmt.Errorf("step %d %q: %w", i, s.At, terr))
					continue
				}
			}
			if first := run[0]; t.Sub(first.Time) >= 24*time.Hour {
				return run, missing, &orderError{Index: i,
					Vi: fmt.Sprintf("Bước %d (%q) rơi vào %s, sau bước đầu (%q) từ 24 giờ trở lên: các bước phải theo thứ tự trong một ngày", i, s.At, t.Format("15:04 02/01"), first.Step.At),
					En: fmt.Sprintf("step %d (%q) falls at %s, 24 h or more after the first step (%q): steps must be in time order within one day", i, s.At, t.Format("15:04 02 Jan"), first.Step.At)}
			}
		}
		run = append(run, Timed{Step: s, Index: i, Time: t})
	}
	return run, missing, nil
}

// StepsOn returns the run that starts on date's calendar day (date.Date())
// at pl, with each step's actual instant in pl.Loc; nil when no run starts
// that day (another weekday, or an "off" exception). Steps whose sun event
// does not happen that day are left out and the error wraps ErrNoEvent.
func (p Programme) StepsOn(date time.Time, pl Place) ([]Timed, error) {
	y, m, d := date.Date()
	steps, _ := p.stepsFor(time.Date(y, m, d, 0, 0, 0, 0, pl.loc()))
	run, missing, err := resolve(steps, time.Date(y, m, d, 0, 0, 0, 0, pl.loc()), pl)
	if err != nil {
		missing = append(missing, err)
	}
	return run, errors.Join(missing...)
}

func (p Programme) run(date time.Time, pl Place) []Timed {
	steps, _ := p.stepsFor(date)
	run, _, _ := resolve(steps, date, pl)
	return run
}

// StateAt returns what the programme says must be true at t: the setting of
// the latest step at or before t (yesterday's evening steps hold until
// today's first step) and when that step began. ok is false when no step
// came before t within a year.
func (p Programme) StateAt(t time.Time, pl Place) (s Setting, since time.Time, ok bool) {
	today := day(t, pl.loc())
	var best Timed
	for k := 0; k < maxLookback; k++ {
		for _, ts := range p.run(addDays(today, -k), pl) {
			if !ts.Time.After(t) && (!ok || ts.Time.After(best.Time)) {
				best, ok = ts, true
			}
		}
		if ok && k >= 1 {
			break
		}
	}
	if !ok {
		return Setting{}, time.Time{}, false
	}
	return best.Step.Setting(), best.Time, true
}

// Next returns the first step strictly after t and its instant; false when
// none comes within a year.
func (p Programme) Next(t time.Time, pl Place) (Step, time.Time, bool) {
	today := day(t, pl.loc())
	var best Timed
	found := false
	for k := -1; k < maxLookback; k++ {
		for _, ts := range p.run(addDays(today, k), pl) {
			if ts.Time.After(t) && (!found || ts.Time.Before(best.Time)) {
				best, found = ts, true
			}
		}
		if found && k >= 1 {
			break
		}
	}
	return best.Step, best.Time, found
}

// refYear is the year whose every date Validate checks (a leap year).
const refYear = 2024

// checkOrder resolves the run of every date of refYear and of each
// exception, and checks that each run ends before the next one starts.
func (p Programme) checkOrder(pl Place) error {
	loc := pl.loc()
	dates := []time.Time{}
	for d := time.Date(refYear, 1, 1, 0, 0, 0, 0, loc); d.Year() == refYear; d = addDays(d, 1) {
		dates = append(dates, d)
	}
	for _, e := range p.Exceptions {
		if t, err := time.ParseInLocation(time.DateOnly, e.Date, loc); err == nil {
			dates = append(dates, addDays(t, -1), t)
		}
	}
	field := func(exc, idx int) string {
		if exc >= 0 {
			return fmt.Sprintf("program.exceptions[%d].steps[%d].at", exc, idx)
		}
		return fmt.Sprintf("program.steps[%d].at", idx)
	}
	for _, d := range dates {
		steps, exc := p.stepsFor(d)
		run, _, err := resolve(steps, d, pl)
		if oe := (*orderError)(nil); errors.As(err, &oe) {
			return devices.Invalid(field(exc, oe.Index), "%s", oe.Error())
		}
		if len(run) == 0 {
			continue
		}
		next := addDays(d, 1)
		nsteps, nexc := p.stepsFor(next)
		nrun, _, _ := resolve(nsteps, next, pl)
		if len(nrun) == 0 {
			continue
		}
		last, first := run[len(run)-1], nrun[0]
		if !last.Time.Before(first.Time) {
			f := field(exc, last.Index)
			if exc < 0 && nexc >= 0 {
				f = field(nexc, first.Index)
			}
			return devices.Invalid(f,
				"Bước cuối (%q, %s) chồng lên bước đầu của ngày sau (%q, %s) / the last step (%q at %s) overlaps the next day's first step (%q at %s)",
				last.Step.At, last.Time.Format("15:04 02/01"), first.Step.At, first.Time.Format("15:04 02/01"),
				last.Step.At, last.Time.Format("15:04 02 Jan"), first.Step.At, first.Time.Format("15:04 02 Jan"))
		}
	}
	return nil
}
