package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/accounts"
)

// tokenCreateRequest is the body of POST /api/v1/tokens.
type tokenCreateRequest struct {
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Zones []string `json:"zones,omitempty"`
}

func (t *tokenCreateRequest) validate() *apiError {
	n := utf8.RuneCountInString(t.Name)
	if strings.TrimSpace(t.Name) == "" || n > 64 || strings.IndexFunc(t.Name, unicode.IsControl) >= 0 {
		return fieldError("name", codeInvalid, "Cần tên mã truy cập (tối đa 64 ký tự) / name is required, at most 64 printable characters")
	}
	if t.Role == string(RoleAdmin) {
		return fieldError("role", codeInvalid, "Mã truy cập không thể là quản trị viên / role: tokens may be operator or viewer, not admin")
	}
	return nil
}

// tokenCreate is POST /api/v1/tokens: the answer carries the secret, shown
// only this once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*tokenCreateRequest)
	t, secret, err := s.accounts.CreateToken(r.Context(),
		accounts.NewToken{Name: req.Name, Role: req.Role, Zones: req.Zones}, s.zoneIDs(), c.user.Name)
	var in *accounts.InputError
	if errors.As(err, &in) {
		writeError(w, inputError(in))
		return
	}
	if err != nil {
		s.fail(w, "token create failed", err)
		return
	}
	c.target = "token:" + strconv.FormatInt(t.ID, 10)
	s.record(r, c, AuditEntry{Result: "ok"})
	v := s.tokenView(t)
	v.Token = secret
	writeJSON(w, http.StatusCreated, v)
}
