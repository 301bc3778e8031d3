package web

import (
	"errors"
	"net/http"

	"github.com/hamlet-vn/hamlet/store"
)

// userUpdateRequest is the body of PUT /api/v1/users/{name}: the fields to
// change. Changing the role away from operator drops the zones.
type userUpdateRequest struct {
	Role     *string   `json:"role,omitempty"`
	Zones    *[]string `json:"zones,omitempty"`
	Disabled *bool     `json:"disabled,omitempty"`
}

func (u *userUpdateRequest) validate() *apiError {
	if u.Role == nil && u.Zones == nil && u.Disabled == nil {
		return fieldError("role", codeInvalid, "Không có gì để thay đổi / give at least one of role, zones or disabled")
	}
	return nil
}

// userUpdate is PUT /api/v1/users/{name}. Disabling a user ends their
// sessions; the last enabled admin can be neither demoted nor disabled.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*userUpdateRequest)
	name := r.PathValue("name")
	cur, err := s.opts.Store.UserByName(r.Context(), name)
	if isNotFound(err) {
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không có người dùng %q / unknown user %q", name, name))
		return
	} else if err != nil {
		s.fail(w, "user lookup failed", err)
		return
	}
	role, zones := cur.Role, cur.Zones
	if req.Role != nil {
		role = *req.Role
		if role != string(RoleOperator) && req.Zones == nil {
			zones = nil
		}
	}
	if req.Zones != nil {
		zones = *req.Zones
	}
	newRole, newZones, err := checkRoleZones(role, zones, s.zoneIDs())
	var in *InputError
	if errors.As(err, &in) {
		writeError(w, inputError(in))
		return
	}
	rs := string(newRole)
	u, err := s.opts.Store.UpdateUser(r.Context(), cur.Name, store.UserUpdate{Role: &rs, Zones: &newZones, Disabled: req.Disabled})
	switch {
	case errors.Is(err, store.ErrLastAdmin):
		s.record(r, c, AuditEntry{Result: "failed", Error: "last admin"})
		writeError(w, errorf(http.StatusConflict, codeConflict,
			"Phải còn ít nhất một quản trị viên / the last enabled admin can be neither demoted nor disabled"))
		return
	case err != nil:
		s.fail(w, "user update failed", err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok"})
	writeJSON(w, http.StatusOK, s.userView(u))
}
