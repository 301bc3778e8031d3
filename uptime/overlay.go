package uptime

import (
	"slices"
	"time"
)

// span is a piece of an overlay: time that counts as class whatever the
// transitions say.
type span struct {
	from, to time.Time
	class    State // StateUnknown or StateMaintenance
}

// buildOverlay merges the unwatched intervals (StateUnknown) and a device's
// maintenance windows (StateMaintenance, which wins where they overlap) into
// ordered, disjoint spans. Both inputs are small: runs and windows, not
// transitions.
func buildOverlay(dst []span, unwatched, maint []Interval) []span {
	dst = dst[:0]
	if len(maint) == 0 {
		for _, u := range unwatched {
			dst = append(dst, span{u.From, u.To, StateUnknown})
		}
		return dst
	}
	m := mergeIntervals(maint)
	// Unwatched minus maintenance, then merge the two ordered lists.
	var rest []span
	j := 0
	for _, u := range unwatched {
		pos := u.From
		for j < len(m) && !m[j].To.After(pos) {
			j++
		}
		for k := j; k < len(m) && m[k].From.Before(u.To) && pos.Before(u.To); k++ {
			if m[k].From.After(pos) {
				rest = append(rest, span{pos, m[k].From, StateUnknown})
			}
			pos = maxTime(pos, m[k].To)
		}
		if pos.Before(u.To) {
			rest = append(rest, span{pos, u.To, StateUnknown})
		}
	}
	i := 0
	for _, w := range m {
		for i < len(rest) && !rest[i].from.After(w.From) {
			dst = append(dst, rest[i])
			i++
		}
		dst = append(dst, span{w.From, w.To, StateMaintenance})
	}
	return append(dst, rest[i:]...)
}

// mergeIntervals returns the non-empty intervals sorted, with overlapping
// or touching ones joined.
func mergeIntervals(in []Interval) []Interval {
	out := make([]Interval, 0, len(in))
	for _, iv := range in {
		if iv.To.After(iv.From) {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b Interval) int { return a.From.Compare(b.From) })
	n := 0
	for _, iv := range out {
		if n > 0 && !iv.From.After(out[n-1].To) {
			out[n-1].To = maxTime(out[n-1].To, iv.To)
			continue
		}
		out[n] = iv
		n++
	}
	return out[:n]
}
