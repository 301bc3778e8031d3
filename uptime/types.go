package uptime

import (
	"slices"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// State is what a device was during a piece of time, as the report counts it.
type State uint8

// The states a report counts. StateMaintenance outranks StateUnknown, which outranks
// what the transitions say: planned work is excluded even when nobody
// watched, and nobody watching makes up and down unknowable.
const (
	StateUnknown State = iota
	StateUp
	StateDown
	StateMaintenance
	numStates
)

// String returns the state's name.
func (s State) String() string {
	return [...]string{"unknown", "up", "down", "maintenance"}[s]
}

// stateOf maps a recorded availability to the state it counts as.
func stateOf(a devices.Availability) State {
	switch a {
	case devices.Online:
		return StateUp
	case devices.Offline:
		return StateDown
	}
	return StateUnknown
}

// Device is one device a report covers.
type Device struct {
	Area string
	ID   string
	Name string
	Kind devices.Kind
	Zone string
}

// Transition is one recorded availability change of a device.
type Transition struct {
	At    time.Time
	State devices.Availability
	Cause devices.Cause
}

// Interval is the half-open time range [From, To).
type Interval struct {
	From, To time.Time
}

// Run is one period during which the daemon watched the devices: from its
// start to its clean stop or, after a crash or a power cut, its last
// heartbeat.
type Run struct {
	Start, End time.Time
}

// Unwatched returns the parts of [from, to) that no run covers, in order:
// time in which nothing is known about any device.
func Unwatched(runs []Run, from, to time.Time) []Interval {
	var out []Interval
	pos := from
	for _, r := range sortedRuns(runs) {
		if !r.End.After(pos) {
			continue
		}
		if r.Start.After(pos) {
			end := minTime(r.Start, to)
			if end.After(pos) {
				out = append(out, Interval{pos, end})
			}
		}
		pos = r.End
		if !pos.Before(to) {
			return out
		}
	}
	if pos.Before(to) {
		out = append(out, Interval{pos, to})
	}
	return out
}

func sortedRuns(runs []Run) []Run {
	out := slices.Clone(runs)
	slices.SortFunc(out, func(a, b Run) int { return a.Start.Compare(b.Start) })
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
