package schedule

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

const evening = `{"steps":[{"at":"sunset+10m","on":true,"brightness":100},{"at":"23:00","on":true,"brightness":50},{"at":"sunrise-10m","on":false}]`

func hanoiPlace(t testing.TB) Place {
	return Place{Lat: 21.03, Lon: 105.85, Loc: mustLoc(t, "Asia/Ho_Chi_Minh")}
}

func parse(t testing.TB, js string, pl Place) Programme {
	t.Helper()
	p, err := ParseProgramme(json.RawMessage(js), pl)
	if err != nil {
		t.Fatalf("ParseProgramme(%s): %v", js, err)
	}
	return p
}

// at returns the instant of expr on the given local date.
func at(t testing.TB, expr string, y int, m time.Month, d int, pl Place) time.Time {
	t.Helper()
	v, err := MustWhen(expr).On(time.Date(y, m, d, 0, 0, 0, 0, pl.Loc), pl)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var (
	full = Setting{On: true, Brightness: 100}
	half = Setting{On: true, Brightness: 50}
	off  = Setting{}
)

func TestProgrammeSimulatedDayAndTet(t *testing.T) {
	pl := hanoiPlace(t)
	hcm := pl.Loc
	// Tết 2027 (Lunar New Year's Eve is 2027-02-05): full light all night on
	// the 5th, none at all on the 7th.
	p := parse(t, evening+`,"exceptions":[{"date":"2027-02-05","steps":[{"at":"sunset","on":true},{"at":"sunrise","on":false}]},{"date":"2027-02-07","off":true}]}`, pl)
	local := func(d, h, m int) time.Time { return time.Date(2027, 2, d, h, m, 0, 0, hcm) }
	type want struct {
		s     Setting
		since time.Time
	}
	for _, tc := range []struct {
		name string
		t    time.Time
		want want
	}{
		{"afternoon holds the morning off", local(4, 15, 0), want{off, at(t, "sunrise-10m", 2027, 2, 4, pl)}},
		{"exactly at sunset+10m", at(t, "sunset+10m", 2027, 2, 4, pl), want{full, at(t, "sunset+10m", 2027, 2, 4, pl)}},
		{"evening", local(4, 20, 0), want{full, at(t, "sunset+10m", 2027, 2, 4, pl)}},
		{"just before 23:00", local(4, 22, 59), want{full, at(t, "sunset+10m", 2027, 2, 4, pl)}},
		{"23:00 dims", local(4, 23, 0), want{half, local(4, 23, 0)}},
		{"after midnight yesterday's steps hold", local(5, 0, 30), want{half, local(4, 23, 0)}},
		{"dawn off", local(5, 7, 0), want{off, at(t, "sunrise-10m", 2027, 2, 5, pl)}},
		{"Tết eve at sunset: full", at(t, "sunset", 2027, 2, 5, pl), want{full, at(t, "sunset", 2027, 2, 5, pl)}},
		{"Tết eve, no dimming at 23:00", local(5, 23, 30), want{full, at(t, "sunset", 2027, 2, 5, pl)}},
		{"Tết morning off at sunrise, not before", at(t, "sunrise-1m", 2027, 2, 6, pl), want{full, at(t, "sunset", 2027, 2, 5, pl)}},
		{"Tết morning", local(6, 8, 0), want{off, at(t, "sunrise", 2027, 2, 6, pl)}},
		{"night of the 6th is normal", local(6, 23, 30), want{half, local(6, 23, 0)}},
		{"off exception: the 7th stays off all night", local(7, 21, 0), want{off, at(t, "sunrise-10m", 2027, 2, 7, pl)}},
		{"still off after midnight", local(8, 3, 0), want{off, at(t, "sunrise-10m", 2027, 2, 7, pl)}},
		{"back on the 8th", local(8, 20, 0), want{full, at(t, "sunset+10m", 2027, 2, 8, pl)}},
	} {
		s, since, ok := p.StateAt(tc.t, pl)
		if !ok || s != tc.want.s || !since.Equal(tc.want.since) {
			t.Errorf("%s: StateAt(%v) = %+v since %v (%v), want %+v since %v", tc.name, tc.t, s, since, ok, tc.want.s, tc.want.since)
		}
	}
	// Next walks the same day.
	for _, tc := range []struct {
		t    time.Time
		at   string
		want time.Time
	}{
		{local(4, 15, 0), "sunset+10m", at(t, "sunset+10m", 2027, 2, 4, pl)},
		{local(4, 23, 0), "sunrise-10m", at(t, "sunrise-10m", 2027, 2, 5, pl)},
		{local(5, 0, 30), "sunrise-10m", at(t, "sunrise-10m", 2027, 2, 5, pl)},
		{local(5, 12, 0), "sunset", at(t, "sunset", 2027, 2, 5, pl)},
		{local(6, 12, 0), "sunset+10m", at(t, "sunset+10m", 2027, 2, 6, pl)},
		{local(7, 12, 0), "sunset+10m", at(t, "sunset+10m", 2027, 2, 8, pl)},
	} {
		st, when, ok := p.Next(tc.t, pl)
		if !ok || st.At != tc.at || !when.Equal(tc.want) {
			t.Errorf("Next(%v) = %q at %v (%v), want %q at %v", tc.t, st.At, when, ok, tc.at, tc.want)
		}
	}
	// StepsOn gives the run starting that day, ending the next morning.
	run, err := p.StepsOn(time.Date(2027, 2, 4, 0, 0, 0, 0, time.UTC), pl)
	if err != nil || len(run) != 3 || run[2].Time.Day() != 5 || run[1].Time != local(4, 23, 0) {
		t.Errorf("StepsOn(2027-02-04) = %+v, %v", run, err)
	}
	if run, err := p.StepsOn(time.Date(2027, 2, 7, 0, 0, 0, 0, time.UTC), pl); err != nil || run != nil {
		t.Errorf("StepsOn(off date) = %+v, %v", run, err)
	}
}

func TestProgrammeMidnightAndDays(t *testing.T) {
	pl := hanoiPlace(t)
	hcm := pl.Loc
	// Weekend only, on at 18:00 and off at 00:00 (midnight is the next day).
	p := parse(t, `{"steps":[{"at":"18:00","on":true,"brightness":80},{"at":"00:00","on":false}],"days":["sat","sun"]}`, pl)
	sat := time.Date(2027, 2, 6, 0, 0, 0, 0, hcm) // a Saturday
	for _, tc := range []struct {
		t    time.Time
		want Setting
	}{
		{sat.Add(17 * time.Hour), off},
		{sat.Add(18 * time.Hour), Setting{On: true, Brightness: 80}},
		{sat.Add(24*time.Hour - time.Nanosecond), Setting{On: true, Brightness: 80}},
		{sat.Add(24 * time.Hour), off},
		{sat.Add(24*time.Hour + 19*time.Hour), Setting{On: true, Brightness: 80}},
		{sat.Add(3*24*time.Hour + 19*time.Hour), off}, // Tuesday
	} {
		if s, _, ok := p.StateAt(tc.t, pl); !ok || s != tc.want {
			t.Errorf("StateAt(%v) = %+v %v, want %+v", tc.t, s, ok, tc.want)
		}
	}
	if _, when, _ := p.Next(sat.Add(2*24*time.Hour+time.Hour), pl); !when.Equal(sat.Add(7*24*time.Hour + 18*time.Hour)) {
		t.Errorf("Next from Monday = %v, want next Saturday 18:00", when)
	}
	// Nothing before the first run: not ok.
	q := parse(t, `{"steps":[{"at":"18:00","on":true}],"exceptions":[]}`, pl)
	if _, _, ok := q.StateAt(time.Date(2027, 1, 1, 12, 0, 0, 0, hcm), pl); !ok {
		t.Error("a daily programme always has a previous step")
	}
}

func TestProgrammeDSTZone(t *testing.T) {
	berlin := Place{Lat: 52.52, Lon: 13.40, Loc: mustLoc(t, "Europe/Berlin")}
	p := parse(t, `{"steps":[{"at":"sunset","on":true},{"at":"01:00","on":true,"brightness":30},{"at":"sunrise","on":false}]}`, berlin)
	// Spring forward on 2027-03-28 (02:00 → 03:00): 01:00 still exists.
	for _, d := range []int{27, 28, 29} {
		run, err := p.StepsOn(time.Date(2027, 3, d, 0, 0, 0, 0, time.UTC), berlin)
		if err != nil || len(run) != 3 {
			t.Fatalf("StepsOn(03-%d) = %+v, %v", d, run, err)
		}
		if got := run[1].Time; got.Hour() != 1 || got.Day() != d+1 {
			t.Errorf("01:00 after 03-%d = %v", d, got)
		}
	}
	s, since, ok := p.StateAt(time.Date(2027, 3, 28, 3, 30, 0, 0, berlin.Loc), berlin)
	if !ok || s != (Setting{On: true, Brightness: 30}) || since.Hour() != 1 {
		t.Errorf("StateAt after the jump = %+v since %v", s, since)
	}
	// Fall back on 2027-10-31: 02:30 happens twice; time.Date picks the
	// second (CET), so the night lasts 5 h 30.
	q := parse(t, `{"steps":[{"at":"22:00","on":true},{"at":"02:30","on":false}]}`, berlin)
	run, _ := q.StepsOn(time.Date(2027, 10, 30, 0, 0, 0, 0, time.UTC), berlin)
	if len(run) != 2 || run[1].Time.Sub(run[0].Time) != 5*time.Hour+30*time.Minute {
		t.Errorf("fall-back run = %+v", run)
	}
}

func TestProgrammeValidation(t *testing.T) {
	pl := hanoiPlace(t)
	for _, tc := range []struct {
		js, field, says string
	}{
		{`{"steps":[]}`, "program.steps", "at least one"},
		{`{"steps":[{"at":"sunset+15x","on":true}]}`, "program.steps[0].at", "character 8"},
		{`{"steps":[{"at":"sunset","on":true,"brightness":101}]}`, "program.steps[0].brightness", "0 to 100"},
		{`{"steps":[{"at":"sunset","on":true,"brightness":-1}]}`, "program.steps[0].brightness", "0 to 100"},
		{`{"steps":[{"at":"sunrise","on":false,"brightness":20}]}`, "program.steps[0].brightness", "off step"},
		{`{"steps":[{"at":"sunset","on":true},{"at":"sunset","on":false}]}`, "program.steps[1].at", "same time"},
		// Two crossings of midnight.
		{`{"steps":[{"at":"23:00","on":true},{"at":"sunset+10m","on":true},{"at":"sunrise-10m","on":false}]}`, "program.steps[2].at", "crossing midnight once"},
		// More than a day long.
		{`{"steps":[{"at":"sunset+10m","on":true},{"at":"sunrise-10m","on":false},{"at":"23:00","on":true}]}`, "program.steps[2].at", "24 h"},
		// An exception's run that ends after the next (exception) day begins.
		{`{"steps":[{"at":"18:00","on":true}],"exceptions":[{"date":"2027-02-06","steps":[{"at":"20:00","on":true},{"at":"19:00","on":false}]},{"date":"2027-02-07","steps":[{"at":"18:30","on":true}]}]}`, "program.exceptions[0].steps[1].at", "overlaps"},
		{`{"steps":[{"at":"18:00","on":true}],"days":["mon","funday"]}`, "program.days[1]", "funday"},
		{`{"steps":[{"at":"18:00","on":true}],"days":["mon","mon"]}`, "program.days[1]", "twice"},
		{`{"steps":[{"at":"18:00","on":true}],"exceptions":[{"date":"2027-02-30","off":true}]}`, "program.exceptions[0].date", "YYYY-MM-DD"},
		{`{"steps":[{"at":"18:00","on":true}],"exceptions":[{"date":"2027-02-06"}]}`, "program.exceptions[0]", "needs steps"},
		{`{"steps":[{"at":"18:00","on":true}],"exceptions":[{"date":"2027-02-06","off":true,"steps":[{"at":"19:00","on":true}]}]}`, "program.exceptions[0]", "either"},
		{`{"steps":[{"at":"18:00","on":true}],"exceptions":[{"date":"2027-02-06","steps":[{"at":"nightfall","on":true}]}]}`, "program.exceptions[0].steps[0].at", "unknown event"},
		// An exception whose run runs into the next day's normal run.
		{`{"steps":[{"at":"18:00","on":true},{"at":"06:00","on":false}],"exceptions":[{"date":"2027-02-06","steps":[{"at":"20:00","on":true},{"at":"19:00","on":false}]}]}`, "program.exceptions[0].steps[1].at", "overlaps"},
		// A normal run that runs into an exception's run.
		{`{"steps":[{"at":"18:00","on":true},{"at":"17:00","on":false}],"exceptions":[{"date":"2027-02-06","steps":[{"at":"16:00","on":true}]}]}`, "program.exceptions[0].steps[0].at", "overlaps"},
		{`{"steps":[{"at":"18:00","on":true}],"extra":1}`, "program", "unknown field"},
		{`[1]`, "program", "bad light programme"},
	} {
		_, err := ParseProgramme(json.RawMessage(tc.js), pl)
		var fe *devices.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, devices.ErrInvalid) {
			t.Errorf("%s: error %v, want a *devices.FieldError", tc.js, err)
			continue
		}
		if fe.Field != tc.field || !strings.Contains(fe.Message, tc.says) || !strings.Contains(fe.Message, " / ") {
			t.Errorf("%s: %s: %s; want field %s saying %q", tc.js, fe.Field, fe.Message, tc.field, tc.says)
		}
	}
}

func TestProgrammeJSONRoundTrip(t *testing.T) {
	pl := hanoiPlace(t)
	in := `{"steps":[{"at":"sunset+10m","on":true,"brightness":100},{"at":"sunrise-10m","on":false}],"days":["mon","tue"],"exceptions":[{"date":"2027-02-06","off":true}]}`
	p := parse(t, in, pl)
	out, err := json.Marshal(p)
	if err != nil || string(out) != in {
		t.Errorf("round trip = %s, %v", out, err)
	}
	if p.Days[0] != time.Monday {
		t.Errorf("days = %v", p.Days)
	}
}

func TestProgrammePolarSkipsMissingEvents(t *testing.T) {
	svalbard := Place{Lat: 78.22, Lon: 15.65, Loc: time.UTC}
	p := Programme{Steps: []Step{{At: "sunset", On: true}, {At: "23:00", On: true, Brightness: 40}, {At: "sunrise", On: false}}}
	night := time.Date(2027, 12, 21, 0, 0, 0, 0, time.UTC)
	run, err := p.StepsOn(night, svalbard)
	if !errors.Is(err, ErrNoEvent) || len(run) != 1 || run[0].Step.At != "23:00" {
		t.Errorf("StepsOn in polar night = %+v, %v", run, err)
	}
	if s, _, ok := p.StateAt(night.Add(12*time.Hour), svalbard); !ok || s.Brightness != 40 {
		t.Errorf("StateAt in polar night = %+v %v, want the 23:00 step holding", s, ok)
	}
}
