package web

import (
	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/store"
)

// zoneIDs returns the ids of the declared zones.
func (s *Server) zoneIDs() []string {
	ids := make([]string, len(s.opts.Zones))
	for i, z := range s.opts.Zones {
		ids[i] = z.ID
	}
	return ids
}

// userView is a user as the API shows it (never the password hash).
type userView struct {
	Name            string   `json:"name"`
	Role            string   `json:"role"`
	Zones           []string `json:"zones"`
	Disabled        bool     `json:"disabled"`
	Created         jsonTime `json:"created"`
	Updated         jsonTime `json:"updated"`
	PasswordChanged jsonTime `json:"password_changed"`
}

func (s *Server) userView(u store.User) userView {
	zones := u.Zones
	if zones == nil {
		zones = []string{}
	}
	return userView{Name: u.Name, Role: u.Role, Zones: zones, Disabled: u.Disabled, Created: s.jt(u.Created),
		Updated: s.jt(u.Updated), PasswordChanged: s.jt(u.PasswordChanged)}
}

// inputError converts an *accounts.InputError into a 400 naming its field.
func inputError(err *accounts.InputError) *apiError {
	return fieldError(err.Field, codeInvalid, "%s", err.Msg)
}
