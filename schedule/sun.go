package schedule

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Place is where and in which timezone sun events and clock times are
// read: latitude and longitude in degrees, north and east positive. A nil
// Loc means UTC.
type Place struct {
	Lat, Lon float64
	Loc      *time.Location
}

func (pl Place) loc() *time.Location {
	if pl.Loc == nil {
		return time.UTC
	}
	return pl.Loc
}

// Event names what a time expression is relative to: a clock time of the
// day or one of the four sun events.
type Event int

// The events a When can name.
const (
	Clock     Event = iota // a time of day in the place's timezone
	Sunrise                // the sun's upper limb rises (zenith 90.833°)
	Sunset                 // the sun's upper limb sets (zenith 90.833°)
	CivilDawn              // the sun's centre rises to 6° below the horizon
	CivilDusk              // the sun's centre sinks to 6° below the horizon
)

var eventNames = map[Event]string{Clock: "clock", Sunrise: "sunrise", Sunset: "sunset", CivilDawn: "civil_dawn", CivilDusk: "civil_dusk"}

// String returns the event's name as written in expressions, e.g. "civil_dusk".
func (e Event) String() string {
	if n, ok := eventNames[e]; ok {
		return n
	}
	return fmt.Sprintf("Event(%d)", int(e))
}

// ErrNoEvent is wrapped when the sun does not rise, set or cross the civil
// twilight line on a date at a place (polar day or night).
var ErrNoEvent = errors.New("no such sun event on this date")

// SunTimes are one day's sun events in the place's timezone. An event that
// does not happen on that day is the zero time.
type SunTimes struct {
	CivilDawn, Sunrise, Sunset, CivilDusk time.Time
}

// Sun returns the sun events of date's calendar day (date.Date(), in date's
// own location) at pl, in pl.Loc. The error wraps ErrNoEvent when one of them
// does not happen that day; the others are still filled in.
func Sun(date time.Time, pl Place) (SunTimes, error) {
	var st SunTimes
	var errs []error
	for _, x := range []struct {
		ev  Event
		dst *time.Time
	}{{CivilDawn, &st.CivilDawn}, {Sunrise, &st.Sunrise}, {Sunset, &st.Sunset}, {CivilDusk, &st.CivilDusk}} {
		t, err := EventTime(x.ev, date, pl)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*x.dst = t
	}
	return st, errors.Join(errs...)
}

// EventTime returns the instant of a sun event on date's calendar day
// (date.Date()) at pl, in pl.Loc. The day's solar noon is the one nearest
// to 12:00 in pl.Loc. It wraps ErrNoEvent in polar day or night; Clock is
// not a sun event and is an error.
func EventTime(ev Event, date time.Time, pl Place) (time.Time, error) {
	var zenith float64
	rising := false
	switch ev {
	case Sunrise:
		zenith, rising = 90.833, true
	case Sunset:
		zenith = 90.833
	case CivilDawn:
		zenith, rising = 96, true
	case CivilDusk:
		zenith = 96
	default:
		return time.Time{}, fmt.Errorf("schedule: %v is not a sun event", ev)
	}
	loc := pl.loc()
	y, m, d := date.Date()
	localNoon := time.Date(y, m, d, 12, 0, 0, 0, loc)
	// The UTC day whose solar noon (about 12:00 UTC - 4 min per degree east)
	// is nearest to local noon.
	approxNoon := 720 - 4*pl.Lon // minutes after 00:00 UTC
	base := localNoon.Add(-time.Duration(approxNoon * float64(time.Minute))).Add(12 * time.Hour).UTC().Truncate(24 * time.Hour)
	at := func(min float64) time.Time {
		return base.Add(time.Duration(min * float64(time.Minute)))
	}
	// First estimate at solar noon, then refine at the event itself.
	t := at(approxNoon)
	for i := 0; i < 5; i++ {
		decl, eot := solarPosition(t)
		ha, ok := hourAngle(pl.Lat, decl, zenith)
		if !ok {
			return time.Time{}, fmt.Errorf("%v %04d-%02d-%02d at %.4f,%.4f: %w", ev, y, m, d, pl.Lat, pl.Lon, ErrNoEvent)
		}
		if rising {
			ha = -ha
		}
		prev := t
		t = at(720 - 4*(pl.Lon-ha) - eot)
		if i > 0 && t.Sub(prev).Abs() < 100*time.Millisecond {
			break
		}
	}
	return t.Round(time.Second).In(loc), nil
}

// hourAngle returns the sun's hour angle in degrees when its centre is at
// zenith, or false when it never gets there that day.
func hourAngle(lat, decl, zenith float64) (float64, bool) {
	la, de := rad(lat), rad(decl)
	c := (math.Cos(rad(zenith)) - math.Sin(la)*math.Sin(de)) / (math.Cos(la) * math.Cos(de))
	if c < -1 || c > 1 || math.IsNaN(c) {
		return 0, false
	}
	return deg(math.Acos(c)), true
}

// solarPosition returns the sun's apparent declination (degrees) and the
// equation of time (minutes) at t, from NOAA's solar calculation
// spreadsheet (after Meeus, Astronomical Algorithms).
func solarPosition(t time.Time) (decl, eot float64) {
	jd := float64(t.UTC().UnixNano())/float64(24*time.Hour) + 2440587.5
	T := (jd - 2451545) / 36525
	l0 := math.Mod(280.46646+T*(36000.76983+T*0.0003032), 360)
	mAnom := 357.52911 + T*(35999.05029-0.0001537*T)
	ecc := 0.016708634 - T*(0.000042037+0.0000001267*T)
	mr := rad(mAnom)
	center := math.Sin(mr)*(1.914602-T*(0.004817+0.000014*T)) + math.Sin(2*mr)*(0.019993-0.000101*T) + math.Sin(3*mr)*0.000289
	trueLong := l0 + center
	omega := rad(125.04 - 1934.136*T)
	appLong := trueLong - 0.00569 - 0.00478*math.Sin(omega)
	obliq0 := 23 + (26+(21.448-T*(46.815+T*(0.00059-T*0.001813)))/60)/60
	obliq := obliq0 + 0.00256*math.Cos(omega)
	decl = deg(math.Asin(math.Sin(rad(obliq)) * math.Sin(rad(appLong))))
	y := math.Tan(rad(obliq) / 2)
	y *= y
	l0r := rad(l0)
	eot = 4 * deg(y*math.Sin(2*l0r)-2*ecc*math.Sin(mr)+4*ecc*y*math.Sin(mr)*math.Cos(2*l0r)-
		0.5*y*y*math.Sin(4*l0r)-1.25*ecc*ecc*math.Sin(2*mr))
	return decl, eot
}

func rad(d float64) float64 { return d * math.Pi / 180 }
func deg(r float64) float64 { return r * 180 / math.Pi }
