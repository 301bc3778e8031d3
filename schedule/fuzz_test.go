package schedule

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// FuzzParseWhen: any input parses or gives a *SyntaxError pointing inside
// it; what parses prints back to an expression that parses the same.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"23:00", "5:30:15", "sunset+15m", "sunrise-1h30m", "civil_dusk", "sunset+", "24:00", "sunset+-5m", "sunset+1.5h", "sunset+9223372036s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWhen(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Pos < 0 || se.Pos > len(s) {
				t.Fatalf("ParseWhen(%q) error %v", s, err)
			}
			return
		}
		again, err := ParseWhen(w.String())
		if err != nil || again != w {
			t.Fatalf("ParseWhen(%q) = %+v prints %q, which parses to %+v, %v", s, w, w.String(), again, err)
		}
	})
}

// FuzzParseCron: any input parses or gives a *SyntaxError pointing inside it.
func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"30 18 * * 1-5", "*/15 * * * *", "0 0 30 2 *", "0 25 * * *", "@daily", "0 0 * * mon-fri", "1-100/0 * * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCron(s, time.UTC)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Pos < 0 || se.Pos > len(s) {
				t.Fatalf("ParseCron(%q) error %v", s, err)
			}
			return
		}
		c.Next(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	})
}

// FuzzParseProgramme: any programme is accepted or refused with a
// *devices.FieldError, and an accepted one evaluates.
func FuzzParseProgramme(f *testing.F) {
	f.Add(evening + `}`)
	f.Add(evening + `,"days":["sat"],"exceptions":[{"date":"2027-02-06","off":true}]}`)
	f.Add(`{"steps":[{"at":"23:00","on":true},{"at":"sunset","on":true}]}`)
	f.Add(`{"steps":[{"at":"18:00","on":true,"brightness":101}]}`)
	f.Add(`{"steps":null,"days":[7]}`)
	pl := Place{Lat: 21.03, Lon: 105.85, Loc: time.FixedZone("ICT", 7*3600)}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProgramme(json.RawMessage(s), pl)
		if err != nil {
			var fe *devices.FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("ParseProgramme(%s) error %v, want a *devices.FieldError", s, err)
			}
			return
		}
		at := time.Date(2027, 2, 6, 21, 0, 0, 0, pl.Loc)
		p.StateAt(at, pl)
		p.Next(at, pl)
		p.StepsOn(at, pl)
	})
}
