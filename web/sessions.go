package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/store"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "hamlet_session"

// ShortSessionTTL bounds a session started without "remember this phone".
const ShortSessionTTL = 12 * time.Hour

// startSession starts a session for u (package accounts) and sets its
// cookie: a lasting one when remember, else a browser-session cookie for at
// most ShortSessionTTL.
func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u store.User, remember bool) (time.Time, error) {
	ttl := s.accounts.Sessions().TTL
	if !remember {
		ttl = min(ttl, ShortSessionTTL)
	}
	id, expires, err := s.accounts.StartSessionFor(ctx, u, s.clientAddr(r), r.UserAgent(), ttl)
	if err != nil {
		return time.Time{}, err
	}
	c := &http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode}
	if remember {
		c.Expires, c.MaxAge = expires, int(ttl/time.Second)
	}
	http.SetCookie(w, c)
	return expires, nil
}

// clearCookie tells the browser to forget its session cookie.
func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// sessionUser returns the user of the session cookie value id, or the 401
// refusal when the session has ended.
func (s *Server) sessionUser(ctx context.Context, id string) (User, *apiError, error) {
	u, err := s.accounts.SessionUser(ctx, id)
	if errors.Is(err, accounts.ErrSessionEnded) {
		return User{}, errorf(http.StatusUnauthorized, codeExpired,
			"Phiên đăng nhập đã hết hạn, hãy đăng nhập lại / session expired, sign in again"), nil
	}
	return u, nil, err
}
