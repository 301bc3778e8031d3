package web

// zones returns the area's declared zones: Options.Zones, or the last
// SetZones.
func (s *Server) zones() []Zone {
	if z := s.zoneList.Load(); z != nil {
		return *z
	}
	return s.opts.Zones
}

// SetZones replaces the declared zones (a config reload); requests after it
// see the new list.
func (s *Server) SetZones(zs []Zone) { s.zoneList.Store(&zs) }
