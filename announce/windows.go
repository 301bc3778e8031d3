package announce

import (
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// window is a daily broadcast window in minutes after local midnight; end
// before start crosses midnight.
type window struct{ start, end int }

// parseWindow parses "HH:MM-HH:MM".
func parseWindow(s string) (window, error) {
	var h1, m1, h2, m2 int
	if n, err := fmt.Sscanf(s, "%d:%d-%d:%d", &h1, &m1, &h2, &m2); err != nil || n != 4 {
		return window{}, fmt.Errorf("want HH:MM-HH:MM such as 05:30-06:30")
	}
	if h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 {
		return window{}, fmt.Errorf("hours 00–24 and minutes 00–59")
	}
	w := window{h1*60 + m1, h2*60 + m2}
	if w.start == w.end {
		return window{}, fmt.Errorf("the window is empty")
	}
	return w, nil
}

func (w window) contains(min int) bool {
	if w.start < w.end {
		return min >= w.start && min < w.end
	}
	return min >= w.start || min < w.end
}

// SetWindows replaces every zone's broadcast windows ("05:30-06:30"; a zone
// without any may broadcast at any time), at start and on a config reload.
// It changes nothing when a window is invalid. The new windows apply to
// announcements created from now on and to every delivery still queued,
// which is checked against its zone's window when its time comes.
func (s *Service) SetWindows(windows map[string][]string) error {
	parsed := map[string][]window{}
	for zone, ws := range windows {
		for _, w := range ws {
			pw, err := parseWindow(w)
			if err != nil {
				return fmt.Errorf("zone %s: broadcast window %q: %w", zone, w, err)
			}
			parsed[zone] = append(parsed[zone], pw)
		}
	}
	s.windows.Store(&parsed)
	return nil
}

// zoneWindows returns zone's broadcast windows.
func (s *Service) zoneWindows(zone string) []window { return (*s.windows.Load())[zone] }

// windowOpen reports whether zone may broadcast at t (always, without windows).
func (s *Service) windowOpen(zone string, t time.Time) bool {
	ws := s.zoneWindows(zone)
	if len(ws) == 0 {
		return true
	}
	lt := t.In(s.opts.Location)
	min := lt.Hour()*60 + lt.Minute()
	for _, w := range ws {
		if w.contains(min) {
			return true
		}
	}
	return false
}

// nextOpen returns the first time at or after t when zone may broadcast.
func (s *Service) nextOpen(zone string, t time.Time) time.Time {
	if s.windowOpen(zone, t) {
		return t
	}
	lt := t.In(s.opts.Location)
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, s.opts.Location)
	best := time.Time{}
	for d := 0; d <= 1; d++ {
		for _, w := range s.zoneWindows(zone) {
			start := day.AddDate(0, 0, d).Add(time.Duration(w.start) * time.Minute)
			if start.After(t) && (best.IsZero() || start.Before(best)) {
				best = start
			}
		}
	}
	return best
}

// checkWindows refuses an announcement for now when a target zone's window is closed.
func (s *Service) checkWindows(speakers []devices.Device, now time.Time) error {
	for _, d := range speakers {
		if !s.windowOpen(d.Zone, now) {
			return &WindowError{Zone: d.Zone, NextWindow: s.nextOpen(d.Zone, now).In(s.opts.Location)}
		}
	}
	return nil
}

// deferToWindows returns the first time at or after at when every target
// zone's window is open (or, when the windows never meet, the latest of
// the zones' next openings: each speaker then waits for its own window).
func (s *Service) deferToWindows(speakers []devices.Device, at time.Time) time.Time {
	t := at
	for range 8 {
		moved := false
		for _, d := range speakers {
			if n := s.nextOpen(d.Zone, t); n.After(t) {
				t, moved = n, true
			}
		}
		if !moved {
			return t
		}
	}
	return t
}
