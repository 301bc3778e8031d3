package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/store"
)

// tokenView is an API token as the API shows it; Token (the secret) is set
// only in the answer that creates it.
type tokenView struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Zones     []string `json:"zones"`
	CreatedBy string   `json:"created_by"`
	Created   jsonTime `json:"created"`
	LastUsed  jsonTime `json:"last_used"`
	Revoked   jsonTime `json:"revoked"`
	Token     string   `json:"token,omitempty"`
}

func (s *Server) tokenView(t store.Token) tokenView {
	zones := t.Zones
	if zones == nil {
		zones = []string{}
	}
	return tokenView{ID: t.ID, Name: t.Name, Role: t.Role, Zones: zones, CreatedBy: t.CreatedBy,
		Created: s.jt(t.Created), LastUsed: s.jt(t.LastUsed), Revoked: s.jt(t.Revoked)}
}

// tokenList is GET /api/v1/tokens: every token, revoked ones included, newest first.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request, c *call) {
	list, err := s.opts.Store.Tokens(r.Context())
	if err != nil {
		s.fail(w, "token list failed", err)
		return
	}
	out := make([]tokenView, len(list))
	for i, t := range list {
		out[i] = s.tokenView(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}
