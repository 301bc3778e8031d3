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

// startSession starts a session for u (package accounts) and sets its cookie.
func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u store.User) (time.Time, error) {
	id, expires, err := s.accounts.StartSession(ctx, u, s.clientAddr(r), r.UserAgent())
	if err != nil {
		return time.Time{}, err
	}
	ttl := s.accounts.Sessions().TTL
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: id, Path: "/", Expires: expires, MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
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
