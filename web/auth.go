package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hamlet-vn/hamlet/store"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to find.
const TokenPrefix = "hml_"

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
		if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(strings.TrimSpace(secret), TokenPrefix) {
			return User{}, errorf(http.StatusUnauthorized, codeBadToken,
				"Mã truy cập không hợp lệ / the Authorization header must be \"Bearer %s...\"", TokenPrefix)
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
	t, err := s.opts.Store.TokenByHash(r.Context(), secretHash(secret))
	if err != nil {
		if isNotFound(err) {
			return User{}, errorf(http.StatusUnauthorized, codeBadToken,
				"Mã truy cập không hợp lệ hoặc đã bị thu hồi / invalid or revoked API token")
		}
		s.opts.Logger.Error("token lookup failed", "err", err)
		return User{}, errInternal()
	}
	now := s.opts.Now()
	if now.Sub(t.LastUsed) >= touchEvery {
		if err := s.opts.Store.TouchToken(r.Context(), t.ID, now); err != nil {
			s.opts.Logger.Warn("token touch failed", "token", t.ID, "err", err)
		}
	}
	return User{Name: "token:" + t.Name, Role: Role(t.Role), Zones: zonesOrNil(t.Zones), Auth: "token", TokenID: t.ID}, nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
