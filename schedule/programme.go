package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Programme is a light programme: the program object of a /api/v1/schedules
// entry of kind "light". Its steps make one run that starts on each active
// date; a step earlier in the day than the one before it falls on the next
// day, so {"sunset+10m", "23:00", "sunrise-10m"} ends the next morning. The
// last setting holds until the next run's first step.
type Programme struct {
	Steps []Step `json:"steps"`
	// Days are the weekdays a run starts on; empty means every day.
	Days Weekdays `json:"days,omitempty"`
	// Exceptions replace the run that starts on their date.
	Exceptions []Exception `json:"exceptions,omitempty"`
}

// Step is one change of a programme: at a time expression (see ParseWhen),
// switch on at Brightness percent (0 or omitted means 100) or off.
type Step struct {
	At         string `json:"at"`
	On         bool   `json:"on"`
	Brightness int    `json:"brightness,omitempty"`
}

// Setting is what a light must be: on at Brightness percent (1-100), or off
// (Brightness 0).
type Setting struct {
	On         bool `json:"on"`
	Brightness int  `json:"brightness"`
}

// Setting returns the light state the step asks for.
func (s Step) Setting() Setting {
	if !s.On {
		return Setting{}
	}
	if s.Brightness == 0 {
		return Setting{On: true, Brightness: 100}
	}
	return Setting{On: true, Brightness: s.Brightness}
}

// Exception replaces a date's run: with other Steps, or with none when Off
// (nothing is switched that day, so the last setting, usually off, holds).
type Exception struct {
	Date  string `json:"date"` // YYYY-MM-DD in the area's timezone
	Steps []Step `json:"steps,omitempty"`
	Off   bool   `json:"off,omitempty"`
}

// Weekdays is a set of days of the week, written in JSON as
// ["mon","tue","wed","thu","fri","sat","sun"].
type Weekdays []time.Weekday

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// MarshalJSON writes the short English day names.
func (ws Weekdays) MarshalJSON() ([]byte, error) {
	names := make([]string, len(ws))
	for i, d := range ws {
		if d < 0 || d > 6 {
			return nil, fmt.Errorf("schedule: weekday %d out of range", int(d))
		}
		names[i] = dayNames[d]
	}
	return json.Marshal(names)
}

// UnmarshalJSON reads day names ("mon" or "monday", any case).
func (ws *Weekdays) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return devices.Invalid("program.days", "Ngày trong tuần phải là danh sách tên như \"mon\" / days must be a list of names such as \"mon\"")
	}
	out := make(Weekdays, 0, len(names))
	for i, n := range names {
		d, ok := parseDay(n)
		if !ok {
			return devices.Invalid(fmt.Sprintf("program.days[%d]", i),
				"Không rõ ngày %q, cần mon, tue, wed, thu, fri, sat hoặc sun / unknown day %q, expected mon, tue, wed, thu, fri, sat or sun", n, n)
		}
		out = append(out, d)
	}
	*ws = out
	return nil
}

func parseDay(n string) (time.Weekday, bool) {
	n = strings.ToLower(n)
	for i, short := range dayNames {
		if n == short || n == strings.ToLower(time.Weekday(i).String()) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// ParseProgramme decodes and validates a light programme (the program object
// of a light schedule) at pl; errors are *devices.FieldError naming the field
// (e.g. "program.steps[2].at").
func ParseProgramme(raw json.RawMessage, pl Place) (Programme, error) {
	var p Programme
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		var fe *devices.FieldError
		if errors.As(err, &fe) {
			return Programme{}, fe
		}
		return Programme{}, devices.Invalid("program", "Chương trình đèn không hợp lệ (%v) / bad light programme: %v", err, err)
	}
	if err := p.Validate(pl); err != nil {
		return Programme{}, err
	}
	return p, nil
}

// MaxSteps bounds the steps of one run.
const MaxSteps = 48

// Validate checks every field (expressions parse, brightness 0-100, dates
// are dates) and that each run is in time order, crosses midnight at most
// once, lasts under a day and ends before the next day's run begins, over
// every date of a year and each exception's date at pl. Errors are
// *devices.FieldError.
func (p Programme) Validate(pl Place) error {
	if err := checkSteps("program.steps", p.Steps, true); err != nil {
		return err
	}
	seen := map[time.Weekday]bool{}
	for i, d := range p.Days {
		if d < 0 || d > 6 {
			return devices.Invalid(fmt.Sprintf("program.days[%d]", i), "Ngày trong tuần không hợp lệ / weekday out of range")
		}
		if seen[d] {
			return devices.Invalid(fmt.Sprintf("program.days[%d]", i), "Ngày %s lặp lại / day %s is listed twice", dayNames[d], dayNames[d])
		}
		seen[d] = true
	}
	dates := map[string]bool{}
	for i, e := range p.Exceptions {
		f := fmt.Sprintf("program.exceptions[%d]", i)
		if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
			return devices.Invalid(f+".date", "Ngày phải có dạng YYYY-MM-DD, nhận %q / date must be YYYY-MM-DD, got %q", e.Date, e.Date)
		}
		if dates[e.Date] {
			return devices.Invalid(f+".date", "Ngày %s đã có ngoại lệ khác / %s already has an exception", e.Date, e.Date)
		}
		dates[e.Date] = true
		if e.Off && len(e.Steps) > 0 {
			return devices.Invalid(f, "Chọn hoặc off hoặc steps / give either \"off\": true or steps, not both")
		}
		if !e.Off && len(e.Steps) == 0 {
			return devices.Invalid(f, "Cần steps hoặc \"off\": true / needs steps or \"off\": true")
		}
		if err := checkSteps(f+".steps", e.Steps, false); err != nil {
			return err
		}
	}
	return p.checkOrder(pl)
}

func checkSteps(field string, steps []Step, required bool) error {
	if required && len(steps) == 0 {
		return devices.Invalid(field, "Cần ít nhất một bước / at least one step is required")
	}
	if len(steps) > MaxSteps {
		return devices.Invalid(field, "Quá %d bước / more than %d steps", MaxSteps, MaxSteps)
	}
	for i, s := range steps {
		f := fmt.Sprintf("%s[%d]", field, i)
		if _, err := ParseWhen(s.At); err != nil {
			return devices.Invalid(f+".at", "%v", err)
		}
		if s.Brightness < 0 || s.Brightness > 100 {
			return devices.Invalid(f+".brightness", "Độ sáng phải từ 0 đến 100, nhận %d / brightness must be 0 to 100, got %d", s.Brightness, s.Brightness)
		}
		if !s.On && s.Brightness != 0 {
			return devices.Invalid(f+".brightness", "Bước tắt đèn không có độ sáng / an off step has no brightness")
		}
	}
	return nil
}
