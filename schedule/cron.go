package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Cron is a parsed 5-field cron expression (minute hour day-of-month month
// day-of-week) read in a timezone.
type Cron struct {
	expr string
	spec *cron.SpecSchedule
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

var cronFields = [5][2]string{{"phút", "minute"}, {"giờ", "hour"}, {"ngày trong tháng", "day of month"}, {"tháng", "month"}, {"thứ", "day of week"}}

// ParseCron parses a 5-field cron expression ("30 18 * * 1-5") whose times
// are read in loc (nil means UTC). Descriptors (@daily) and TZ= prefixes
// are refused: the area's timezone applies. Errors are *SyntaxError naming
// the field that fails and where it starts.
func ParseCron(expr string, loc *time.Location) (Cron, error) {
	if loc == nil {
		loc = time.UTC
	}
	fields := strings.Fields(expr)
	if len(fields) != 5 || strings.ContainsAny(expr, "@=") {
		return Cron{}, &SyntaxError{Input: expr, Pos: 0,
			Vi: fmt.Sprintf("Cần đúng 5 trường (phút giờ ngày tháng thứ), có %d", len(fields)),
			En: fmt.Sprintf("expected exactly 5 fields (minute hour day-of-month month day-of-week), found %d", len(fields))}
	}
	sched, err := cronParser.Parse(expr)
	if err != nil {
		// Find the field that fails by parsing it alone.
		pos := 0
		for i, f := range fields {
			pos = strings.Index(expr[pos:], f) + pos
			probe := []string{"*", "*", "*", "*", "*"}
			probe[i] = f
			if _, ferr := cronParser.Parse(strings.Join(probe, " ")); ferr != nil {
				return Cron{}, &SyntaxError{Input: expr, Pos: pos,
					Vi: fmt.Sprintf("Trường %s %q không hợp lệ (%v)", cronFields[i][0], f, ferr),
					En: fmt.Sprintf("bad %s field %q: %v", cronFields[i][1], f, ferr)}
			}
			pos += len(f)
		}
		return Cron{}, &SyntaxError{Input: expr, Vi: "Biểu thức cron không hợp lệ", En: "bad cron expression: " + err.Error()}
	}
	spec := sched.(*cron.SpecSchedule)
	spec.Location = loc
	return Cron{expr: expr, spec: spec}, nil
}

// Next returns the first instant after t that the expression matches, in
// the expression's timezone, or the zero time when none comes within five
// years (e.g. "0 0 30 2 *").
func (c Cron) Next(t time.Time) time.Time {
	if c.spec == nil {
		return time.Time{}
	}
	return c.spec.Next(t)
}

// String returns the expression as written.
func (c Cron) String() string { return c.expr }
