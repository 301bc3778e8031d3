package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hamlet-vn/hamlet/accounts"
)

// loginRequest is the body of POST /api/v1/login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Remember keeps the session on this device for SessionLimits.TTL (the
	// default); false ends it when the browser closes, or after
	// ShortSessionTTL at the latest.
	Remember *bool `json:"remember,omitempty"`
}

func (l *loginRequest) validate() *apiError {
	switch {
	case strings.TrimSpace(l.Username) == "" || len(l.Username) > 64:
		return fieldError("username", codeInvalid, "Cần tên đăng nhập / username is required (at most 64 characters)")
	case l.Password == "" || len(l.Password) > 4*accounts.MaxPasswordLen:
		return fieldError("password", codeInvalid, "Cần mật khẩu / password is required")
	}
	return nil
}

func (l *loginRequest) auditParams() any { return struct{}{} }

// sessionCreate is POST /api/v1/login: it checks the password, throttling
// failures per (user name, client address), per user name and per client
// address (see LoginLimits), and starts a session.
func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*loginRequest)
	name := strings.ToLower(strings.TrimSpace(req.Username))
	addr := s.clientAddr(r)
	now := s.opts.Now()
	c.user.Name, c.target = name, "user:"+name
	if wait := s.throttle.wait(name, addr, now); wait > 0 {
		s.metrics.logins.WithLabelValues("throttled").Inc()
		s.record(r, c, AuditEntry{Result: "throttled", Error: "too many failed sign-ins"})
		writeError(w, errThrottled(wait, "Đăng nhập sai quá nhiều lần", "too many failed sign-ins"))
		return
	}
	u, err := s.accounts.SignIn(r.Context(), name, req.Password)
	var refused *accounts.SignInError
	switch {
	case errors.As(err, &refused):
		if refused.Err != nil {
			s.opts.Logger.Error("stored password hash unusable", "user", name, "err", refused.Err)
		}
		s.throttle.fail(name, addr, now)
		s.metrics.logins.WithLabelValues("failed").Inc()
		s.record(r, c, AuditEntry{Result: "failed", Error: refused.Reason})
		writeError(w, errorf(http.StatusUnauthorized, codeBadCredentials,
			"Sai tên đăng nhập hoặc mật khẩu / wrong username or password"))
		return
	case err != nil:
		s.fail(w, "user lookup failed", err)
		return
	}
	s.throttle.succeed(name, addr)
	expires, err := s.startSession(r.Context(), w, r, u, req.Remember == nil || *req.Remember)
	if err != nil {
		s.fail(w, "session start failed", err)
		return
	}
	c.user = accounts.Principal(u)
	infoFrom(r.Context()).user = u.Name
	s.metrics.logins.WithLabelValues("ok").Inc()
	s.record(r, c, AuditEntry{Result: "ok"})
	v := s.meView(c.user)
	exp := s.jt(expires)
	v.Expires = &exp
	writeJSON(w, http.StatusOK, v)
}

// fail logs an internal error and answers 500 without its details.
func (s *Server) fail(w http.ResponseWriter, msg string, err error) {
	s.opts.Logger.Error(msg, "err", err)
	writeError(w, errInternal())
}
