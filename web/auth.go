package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/store"
)

// authenticate identifies the caller (see identify) and tells the browser to
// forget a session cookie that is no longer valid.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (User, *apiError) {
	u, e := s.identify(r)
	if e != nil && e.Code == codeExpired {
		clearCookie(w, r)
	}
	return u, e
}

// identify returns the caller: an API token in "Authorization: Bearer"
// (which wins over a cookie), else the session cookie. It returns a 401
// refusal when there is neither or the one given is not valid.
func (s *Server) identify(r *http.Request) (User, *apiError) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(strings.TrimSpace(secret), accounts.TokenPrefix) {
			return User{}, errorf(http.StatusUnauthorized, codeBadToken,
				"Mã truy cập không hợp lệ / the Authorization header must be \"Bearer %s...\"", accounts.TokenPrefix)
		}
		return s.tokenUser(r, strings.TrimSpace(secret))
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return User{}, errUnauthenticated()
	}
	u, refusal, err := s.sessionUser(r.Context(), c.Value)
	if err != nil {
		s.opts.Logger.Error("session lookup failed", "err", err)
		return User{}, errInternal()
	}
	if refusal != nil {
		return User{}, refusal
	}
	return u, nil
}

// tokenUser returns the caller of an API token.
func (s *Server) tokenUser(r *http.Request, secret string) (User, *apiError) {
	u, err := s.accounts.TokenUser(r.Context(), secret)
	switch {
	case errors.Is(err, accounts.ErrBadToken):
		return User{}, errorf(http.StatusUnauthorized, codeBadToken,
			"Mã truy cập không hợp lệ hoặc đã bị thu hồi / invalid or revoked API token")
	case err != nil:
		s.opts.Logger.Error("token lookup failed", "err", err)
		return User{}, errInternal()
	}
	return u, nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
