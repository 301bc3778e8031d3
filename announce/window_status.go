package announce

import (
	"fmt"
	"time"
)

// ZoneWindow is whether a zone may broadcast (non-emergency announcements)
// at a moment, and when it next may.
type ZoneWindow struct {
	// Windows are the zone's daily windows ("17:00-18:00"); [] when it may
	// broadcast at any time.
	Windows []string `json:"windows"`
	Open    bool     `json:"open"`
	// NextOpen is when the window next opens, in the area's timezone; null
	// while it is open.
	NextOpen *time.Time `json:"next_open"`
}

// Window returns zone's broadcast window status at t.
func (s *Service) Window(zone string, t time.Time) ZoneWindow {
	zw := ZoneWindow{Windows: []string{}, Open: s.windowOpen(zone, t)}
	for _, w := range s.zoneWindows(zone) {
		zw.Windows = append(zw.Windows, w.String())
	}
	if !zw.Open {
		n := s.nextOpen(zone, t).In(s.opts.Location)
		zw.NextOpen = &n
	}
	return zw
}

// String is w as "HH:MM-HH:MM".
func (w window) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", w.start/60, w.start%60, w.end/60, w.end%60)
}
