package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want When
		str  string
	}{
		{"23:00", When{Clock: 23 * time.Hour}, "23:00"},
		{"5:30", When{Clock: 5*time.Hour + 30*time.Minute}, "05:30"},
		{"05:30:15", When{Clock: 5*time.Hour + 30*time.Minute + 15*time.Second}, "05:30:15"},
		{"00:00", When{}, "00:00"},
		{"sunset", When{Event: Sunset}, "sunset"},
		{"sunset+15m", When{Event: Sunset, Offset: 15 * time.Minute}, "sunset+15m"},
		{"sunrise-10m", When{Event: Sunrise, Offset: -10 * time.Minute}, "sunrise-10m"},
		{"civil_dusk+1h30m", When{Event: CivilDusk, Offset: 90 * time.Minute}, "civil_dusk+1h30m"},
		{"civil_dawn-1h", When{Event: CivilDawn, Offset: -time.Hour}, "civil_dawn-1h"},
	} {
		got, err := ParseWhen(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseWhen(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if got.String() != tc.str {
			t.Errorf("%q.String() = %q, want %q", tc.in, got.String(), tc.str)
		}
	}
}

func TestParseWhenErrors(t *testing.T) {
	for _, tc := range []struct {
		in  string
		pos int // 1-based, as shown
	}{
		{"", 1}, {"sunsett", 1}, {"moonrise+5m", 1}, {"sunset 15m", 7}, {"sunset+", 8}, {"sunset+15x", 8},
		{"sunset+-5m", 8}, {"sunset+13h", 8}, {"24:00", 1}, {"23:60", 4}, {"23:5", 4}, {"23", 3},
		{"23:00:61", 7}, {"23:00x", 6}, {"23:00:00:00", 9}, {"1:2:3", 3},
	} {
		_, err := ParseWhen(tc.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseWhen(%q) error = %v, want a *SyntaxError", tc.in, err)
			continue
		}
		if se.Pos+1 != tc.pos {
			t.Errorf("ParseWhen(%q) position %d, want %d (%v)", tc.in, se.Pos+1, tc.pos, err)
		}
		if msg := err.Error(); !strings.Contains(msg, " / ") || !strings.Contains(msg, "character") {
			t.Errorf("ParseWhen(%q) message %q is not Vietnamese / English with the position", tc.in, msg)
		}
	}
}

func TestWhenOn(t *testing.T) {
	hcm := mustLoc(t, "Asia/Ho_Chi_Minh")
	hanoi := Place{Lat: 21.03, Lon: 105.85, Loc: hcm}
	date := time.Date(2027, 2, 6, 0, 0, 0, 0, time.UTC) // only the calendar day counts
	sun, err := Sun(date, hanoi)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"23:00", time.Date(2027, 2, 6, 23, 0, 0, 0, hcm)},
		{"sunset+15m", sun.Sunset.Add(15 * time.Minute)},
		{"sunrise-10m", sun.Sunrise.Add(-10 * time.Minute)},
		{"civil_dusk", sun.CivilDusk},
		{"civil_dawn", sun.CivilDawn},
	} {
		got, err := MustWhen(tc.in).On(date, hanoi)
		if err != nil || !got.Equal(tc.want) || got.Location() != hcm {
			t.Errorf("%s.On = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	// A clock time skipped by a DST change moves forward by the gap.
	berlin := Place{Lat: 52.52, Lon: 13.40, Loc: mustLoc(t, "Europe/Berlin")}
	got, _ := MustWhen("02:30").On(time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), berlin)
	if want := time.Date(2027, 3, 28, 3, 30, 0, 0, berlin.Loc); !got.Equal(want) {
		t.Errorf("02:30 on a spring-forward day = %v, want %v", got, want)
	}
	// Polar night: no sunset, an error wrapping ErrNoEvent.
	svalbard := Place{Lat: 78.22, Lon: 15.65, Loc: time.UTC}
	if _, err := MustWhen("sunset+10m").On(time.Date(2027, 12, 21, 0, 0, 0, 0, time.UTC), svalbard); !errors.Is(err, ErrNoEvent) {
		t.Errorf("polar night sunset error = %v, want ErrNoEvent", err)
	}
	if _, err := MustWhen("23:00").On(time.Date(2027, 12, 21, 0, 0, 0, 0, time.UTC), svalbard); err != nil {
		t.Errorf("a clock time in polar night: %v", err)
	}
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
