package web

import (
	"errors"
	"net/http"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/store"
)

// userCreateRequest is the body of POST /api/v1/users.
type userCreateRequest struct {
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Zones    []string `json:"zones,omitempty"`
	Password string   `json:"password"`
}

func (u *userCreateRequest) auditParams() any {
	return map[string]any{"name": u.Name, "role": u.Role, "zones": u.Zones}
}

// userCreate is POST /api/v1/users.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*userCreateRequest)
	c.target = "user:" + req.Name
	u, err := s.accounts.CreateUser(r.Context(), accounts.NewUser{Name: req.Name, Role: req.Role, Zones: req.Zones,
		Password: req.Password}, s.zoneIDs())
	var in *accounts.InputError
	switch {
	case errors.As(err, &in):
		writeError(w, inputError(in))
		return
	case errors.Is(err, store.ErrExists):
		s.record(r, c, AuditEntry{Result: "failed", Error: "name taken"})
		e := errorf(http.StatusConflict, codeConflict, "Tên %q đã được dùng / name %q is taken by another user", req.Name, req.Name)
		e.Field = "name"
		writeError(w, e)
		return
	case err != nil:
		s.fail(w, "user create failed", err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok"})
	writeJSON(w, http.StatusCreated, s.userView(u))
}
