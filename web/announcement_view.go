package web

import "time"

// timeField points at a time to convert.
type timeField struct{ p *time.Time }

// inZone returns a with its times in the area's timezone, as every response.
func (s *Server) inZone(a Announcement) Announcement {
	loc := s.opts.Location
	a.Created, a.At, a.Expires = a.Created.In(loc), a.At.In(loc), a.Expires.In(loc)
	ds := make([]Delivery, len(a.Deliveries))
	for i, d := range a.Deliveries {
		d.Updated = d.Updated.In(loc)
		for _, t := range []*timeField{{&d.SentAt}, {&d.PlayingAt}, {&d.DoneAt}} {
			if !t.p.IsZero() {
				*t.p = t.p.In(loc)
			}
		}
		ds[i] = d
	}
	a.Deliveries = ds
	return a
}
