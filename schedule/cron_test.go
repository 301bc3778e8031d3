package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCronNextInZone(t *testing.T) {
	hcm := mustLoc(t, "Asia/Ho_Chi_Minh")
	c, err := ParseCron("30 18 * * 1-5", hcm)
	if err != nil {
		t.Fatal(err)
	}
	// Friday 2027-02-05 19:00 local: next is Monday 18:30 local.
	from := time.Date(2027, 2, 5, 12, 0, 0, 0, time.UTC)
	if got, want := c.Next(from), time.Date(2027, 2, 8, 18, 30, 0, 0, hcm); !got.Equal(want) {
		t.Errorf("Next = %v, want %v", got, want)
	}
	// The zone of the expression, not of the argument, applies.
	ny := mustLoc(t, "America/New_York")
	c2, _ := ParseCron("0 6 * * *", ny)
	if got, want := c2.Next(time.Date(2027, 3, 13, 12, 0, 0, 0, time.UTC)), time.Date(2027, 3, 14, 6, 0, 0, 0, ny); !got.Equal(want) {
		t.Errorf("Next across DST = %v, want %v (%v)", got, want, got.UTC())
	}
	if c.String() != "30 18 * * 1-5" {
		t.Errorf("String = %q", c.String())
	}
}

func TestCronErrorsShowWhere(t *testing.T) {
	for _, tc := range []struct {
		expr, field string
		pos         int
	}{
		{"30 25 * * *", "hour", 4},
		{"61 1 * * *", "minute", 1},
		{"0 0  32 * *", "day of month", 6},
		{"0 0 * 13 *", "month", 7},
		{"0 0 * * mon-xyz", "day of week", 9},
		{"0 0 * *", "5 fields", 1},
		{"@daily", "5 fields", 1},
		{"TZ=UTC 0 0 * * *", "5 fields", 1},
	} {
		_, err := ParseCron(tc.expr, nil)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseCron(%q) = %v, want *SyntaxError", tc.expr, err)
			continue
		}
		if se.Pos+1 != tc.pos || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("ParseCron(%q) = %v (pos %d), want field %q at %d", tc.expr, err, se.Pos+1, tc.field, tc.pos)
		}
	}
}
