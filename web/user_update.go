package web

import (
	"errors"
	"net/http"

	"github.com/hamlet-vn/hamlet/accounts"
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
	u, err := s.accounts.UpdateUser(r.Context(), name,
		accounts.UserChange{Role: req.Role, Zones: req.Zones, Disabled: req.Disabled}, s.zoneIDs())
	var in *accounts.InputError
	switch {
	case isNotFound(err):
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không có người dùng %q / unknown user %q", name, name))
		return
	case errors.As(err, &in):
		writeError(w, inputError(in))
		return
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
