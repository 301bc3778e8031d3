package schedule

import (
	"fmt"
	"strings"
	"time"
)

// MaxOffset bounds the offset of a sun-relative expression.
const MaxOffset = 12 * time.Hour

// When is a time of day: a clock time ("23:00", "05:30:15") or a sun event
// with an optional offset ("sunset+15m", "sunrise-10m", "civil_dusk"). The
// zero When is 00:00.
type When struct {
	Event  Event         // Clock or a sun event
	Clock  time.Duration // time after midnight when Event is Clock
	Offset time.Duration // added to the sun event's time
}

// SyntaxError is an expression (time of day or cron) that does not parse;
// Pos is the 0-based byte offset where it goes wrong.
type SyntaxError struct {
	Input  string
	Pos    int
	Vi, En string // what is wrong, in Vietnamese and in English
}

// Error shows the expression, the position (1-based) and what is wrong.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s ở ký tự %d của %q / %s at character %d of %q", e.Vi, e.Pos+1, e.Input, e.En, e.Pos+1, e.Input)
}

var eventByName = map[string]Event{"sunrise": Sunrise, "sunset": Sunset, "civil_dawn": CivilDawn, "civil_dusk": CivilDusk}

// ParseWhen parses a time expression: "HH:MM" or "HH:MM:SS" (24-hour
// clock), or sunrise, sunset, civil_dawn or civil_dusk optionally followed
// by +/- and a Go duration ("15m", "1h30m", at most 12h). Errors are
// *SyntaxError.
func ParseWhen(s string) (When, error) {
	bad := func(pos int, vi, en string) (When, error) {
		return When{}, &SyntaxError{Input: s, Pos: pos, Vi: vi, En: en}
	}
	if s == "" {
		return bad(0, "Biểu thức thời gian trống", "empty time expression")
	}
	if s[0] >= '0' && s[0] <= '9' {
		return parseClock(s)
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	ev, ok := eventByName[s[:i]]
	if !ok {
		return bad(0, "Không rõ sự kiện, cần sunrise, sunset, civil_dawn, civil_dusk hoặc giờ HH:MM",
			"unknown event, expected sunrise, sunset, civil_dawn, civil_dusk or a time HH:MM")
	}
	w := When{Event: ev}
	if i == len(s) {
		return w, nil
	}
	if s[i] != '+' && s[i] != '-' {
		return bad(i, "Sau tên sự kiện cần dấu + hoặc -", "expected + or - after the event")
	}
	rest := s[i+1:]
	if rest == "" || rest[0] == '+' || rest[0] == '-' {
		return bad(i+1, "Cần độ lệch như 15m hoặc 1h30m", "expected an offset such as 15m or 1h30m")
	}
	d, err := time.ParseDuration(rest)
	if err != nil {
		return bad(i+1, "Độ lệch không hợp lệ, cần dạng 15m hoặc 1h30m", "bad offset, expected a duration such as 15m or 1h30m")
	}
	if d > MaxOffset {
		return bad(i+1, "Độ lệch quá 12 giờ", "offset above 12h")
	}
	if s[i] == '-' {
		d = -d
	}
	w.Offset = d
	return w, nil
}

func parseClock(s string) (When, error) {
	bad := func(pos int, vi, en string) (When, error) {
		return When{}, &SyntaxError{Input: s, Pos: pos, Vi: vi, En: en}
	}
	var parts [3]int
	pos, n := 0, 0
	for n < 3 {
		start := pos
		for pos < len(s) && s[pos] >= '0' && s[pos] <= '9' && pos-start < 2 {
			parts[n] = parts[n]*10 + int(s[pos]-'0')
			pos++
		}
		if pos == start || (n > 0 && pos-start != 2) {
			return bad(start, "Cần giờ dạng HH:MM hoặc HH:MM:SS", "expected a time HH:MM or HH:MM:SS")
		}
		n++
		if pos == len(s) {
			break
		}
		if s[pos] != ':' || n == 3 {
			return bad(pos, "Ký tự thừa, cần giờ dạng HH:MM hoặc HH:MM:SS", "unexpected character, expected a time HH:MM or HH:MM:SS")
		}
		pos++
	}
	if n < 2 {
		return bad(len(s), "Thiếu phút, cần giờ dạng HH:MM", "missing minutes, expected HH:MM")
	}
	if parts[0] > 23 {
		return bad(0, "Giờ phải từ 00 đến 23", "hour must be 00 to 23")
	}
	if parts[1] > 59 {
		return bad(strings.IndexByte(s, ':')+1, "Phút phải từ 00 đến 59", "minute must be 00 to 59")
	}
	if parts[2] > 59 {
		return bad(strings.LastIndexByte(s, ':')+1, "Giây phải từ 00 đến 59", "second must be 00 to 59")
	}
	return When{Clock: time.Duration(parts[0])*time.Hour + time.Duration(parts[1])*time.Minute + time.Duration(parts[2])*time.Second}, nil
}

// MustWhen is ParseWhen for expressions known to be valid (tests, constants);
// it panics on an error.
func MustWhen(s string) When {
	w, err := ParseWhen(s)
	if err != nil {
		panic(err)
	}
	return w
}

// String returns the expression in its canonical form, e.g. "sunset+15m" or "23:00".
func (w When) String() string {
	if w.Event == Clock {
		h, m, s := int(w.Clock/time.Hour), int(w.Clock/time.Minute%60), int(w.Clock/time.Second%60)
		if s != 0 {
			return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
		}
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	switch {
	case w.Offset > 0:
		return w.Event.String() + "+" + shortDuration(w.Offset)
	case w.Offset < 0:
		return w.Event.String() + "-" + shortDuration(-w.Offset)
	}
	return w.Event.String()
}

// shortDuration drops the zero units of time.Duration.String ("15m", not "15m0s").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalText writes the canonical form.
func (w When) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText parses with ParseWhen.
func (w *When) UnmarshalText(b []byte) error {
	v, err := ParseWhen(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// On returns the instant of w on date's calendar day (date.Date(), in
// date's own location) at pl, in pl.Loc. A clock time that a daylight-saving
// change skips is moved forward by the gap (time.Date's rule). It wraps
// ErrNoEvent when the sun event does not happen that day.
func (w When) On(date time.Time, pl Place) (time.Time, error) {
	y, m, d := date.Date()
	if w.Event == Clock {
		sec := int(w.Clock / time.Second)
		return time.Date(y, m, d, sec/3600, sec/60%60, sec%60, 0, pl.loc()), nil
	}
	t, err := EventTime(w.Event, date, pl)
	if err != nil {
		return time.Time{}, err
	}
	return t.Add(w.Offset), nil
}
