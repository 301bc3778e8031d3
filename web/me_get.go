package web

import "net/http"

// meView is who the caller is: GET /api/v1/me and the answer to a sign-in.
type meView struct {
	Name     string   `json:"name"`
	Role     Role     `json:"role"`
	Zones    []string `json:"zones"`
	AllZones bool     `json:"all_zones"`
	Auth     string   `json:"auth"`
	// Visible are the declared zones the caller may see, with their names.
	Visible []Zone    `json:"visible_zones"`
	Expires *jsonTime `json:"expires,omitempty"`
}

func (s *Server) meView(u User) meView {
	zones := u.Zones
	if zones == nil {
		zones = []string{}
	}
	vis := []Zone{}
	for _, z := range s.zones() {
		if u.MayZone(z.ID) {
			vis = append(vis, z)
		}
	}
	return meView{Name: u.Name, Role: u.Role, Zones: zones, AllZones: u.AllZones(), Auth: u.Auth, Visible: vis}
}

// meGet is GET /api/v1/me.
func (s *Server) meGet(w http.ResponseWriter, r *http.Request, c *call) {
	writeJSON(w, http.StatusOK, s.meView(c.user))
}
