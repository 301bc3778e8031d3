package web

import "net/http"

// userList is GET /api/v1/users.
func (s *Server) userList(w http.ResponseWriter, r *http.Request, c *call) {
	users, err := s.opts.Store.Users(r.Context())
	if err != nil {
		s.fail(w, "user list failed", err)
		return
	}
	out := make([]userView, len(users))
	for i, u := range users {
		out[i] = s.userView(u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
}
