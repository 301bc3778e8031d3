package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/store"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "hamlet_session"

// touchEvery limits how often a session's last use is written.
const touchEvery = time.Minute

// SessionLimits bound a session's life.
type SessionLimits struct {
	// TTL is the absolute lifetime from sign-in. Default 30 days.
	TTL time.Duration
	// Idle ends a session unused for this long. Default 7 days.
	Idle time.Duration
}

func (l *SessionLimits) fill() {
	if l.TTL <= 0 {
		l.TTL = 30 * 24 * time.Hour
	}
	if l.Idle <= 0 {
		l.Idle = 7 * 24 * time.Hour
	}
}

// secretHash returns the hex SHA-256 of a session id or token secret; only
// hashes are stored.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// newSecret returns 32 random bytes (256 bits) in URL-safe base64.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ShortSessionTTL bounds a session started without "remember this phone".
const ShortSessionTTL = 12 * time.Hour

// startSession creates a session for u and sets its cookie: a lasting one
// when remember, else a browser-session cookie for at most ShortSessionTTL.
func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u store.User, remember bool) (time.Time, error) {
	id, err := newSecret()
	if err != nil {
		return time.Time{}, err
	}
	now := s.opts.Now()
	ttl := s.opts.Sessions.TTL
	if !remember {
		ttl = min(ttl, ShortSessionTTL)
	}
	expires := now.Add(ttl)
	ua := r.UserAgent()
	if len(ua) > 200 {
		ua = ua[:200]
	}
	if err := s.opts.Store.CreateSession(ctx, store.Session{IDHash: secretHash(id), UserID: u.ID,
		Created: now, LastSeen: now, Expires: expires, Remote: clientAddr(r), UserAgent: ua}); err != nil {
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

// sessionUser returns the user of the session cookie value id at now, ending
// the session when it has expired or idled out.
func (s *Server) sessionUser(ctx context.Context, id string) (User, *apiError, error) {
	hash := secretHash(id)
	se, su, err := s.opts.Store.SessionUser(ctx, hash)
	expired := errorf(http.StatusUnauthorized, codeExpired, "Phiên đăng nhập đã hết hạn, hãy đăng nhập lại / session expired, sign in again")
	if err != nil {
		if isNotFound(err) {
			return User{}, expired, nil
		}
		return User{}, nil, err
	}
	now := s.opts.Now()
	if !now.Before(se.Expires) || now.Sub(se.LastSeen) >= s.opts.Sessions.Idle || su.Disabled {
		if err := s.opts.Store.DeleteSession(ctx, hash); err != nil {
			return User{}, nil, err
		}
		return User{}, expired, nil
	}
	if now.Sub(se.LastSeen) >= touchEvery {
		if err := s.opts.Store.TouchSession(ctx, hash, now); err != nil {
			return User{}, nil, err
		}
	}
	return User{Name: su.Name, Role: Role(su.Role), Zones: zonesOrNil(su.Zones), Auth: "session",
		UserID: su.ID, SessionID: hash}, nil, nil
}

func zonesOrNil(z []string) []string {
	if len(z) == 0 {
		return nil
	}
	return z
}
