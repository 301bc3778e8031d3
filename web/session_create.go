package web

import (
	"math"
	"net/http"
	"strings"
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
	case l.Password == "" || len(l.Password) > 4*MaxPasswordLen:
		return fieldError("password", codeInvalid, "Cần mật khẩu / password is required")
	}
	return nil
}

func (l *loginRequest) auditParams() any { return struct{}{} }

// sessionCreate is POST /api/v1/login: it checks the password, throttling
// failures per user name and per client address, and starts a session.
func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*loginRequest)
	name := strings.ToLower(strings.TrimSpace(req.Username))
	addr := clientAddr(r)
	now := s.opts.Now()
	c.user.Name, c.target = name, "user:"+name
	if wait := s.throttle.wait(name, addr, now); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		s.metrics.logins.WithLabelValues("throttled").Inc()
		s.record(r, c, AuditEntry{Result: "throttled", Error: "too many failed sign-ins"})
		e := errorf(http.StatusTooManyRequests, codeThrottled,
			"Đăng nhập sai quá nhiều lần, thử lại sau %d giây / too many failed sign-ins, try again in %d s", secs, secs)
		e.RetryAfter = secs
		writeError(w, e)
		return
	}
	u, err := s.opts.Store.UserByName(r.Context(), name)
	var ok bool
	reason := ""
	switch {
	case isNotFound(err):
		VerifyPassword(req.Password, s.dummy()) // spend the same time as for a real user
		reason = "unknown user"
	case err != nil:
		s.fail(w, "user lookup failed", err)
		return
	default:
		ok, err = VerifyPassword(req.Password, u.PasswordHash)
		switch {
		case err != nil:
			s.opts.Logger.Error("stored password hash unusable", "user", u.Name, "err", err)
			reason = "unusable password hash"
		case !ok:
			reason = "wrong password"
		case u.Disabled:
			ok, reason = false, "user disabled"
		}
	}
	if !ok {
		s.throttle.fail(name, addr, now)
		s.metrics.logins.WithLabelValues("failed").Inc()
		s.record(r, c, AuditEntry{Result: "failed", Error: reason})
		writeError(w, errorf(http.StatusUnauthorized, codeBadCredentials,
			"Sai tên đăng nhập hoặc mật khẩu / wrong username or password"))
		return
	}
	s.throttle.succeed(name)
	if _, err := s.opts.Store.DeleteStaleSessions(r.Context(), now, s.opts.Sessions.Idle); err != nil {
		s.opts.Logger.Warn("stale session cleanup failed", "err", err)
	}
	expires, err := s.startSession(r.Context(), w, r, u, req.Remember == nil || *req.Remember)
	if err != nil {
		s.fail(w, "session start failed", err)
		return
	}
	c.user = User{Name: u.Name, Role: Role(u.Role), Zones: zonesOrNil(u.Zones), Auth: "session"}
	infoFrom(r.Context()).user = u.Name
	s.metrics.logins.WithLabelValues("ok").Inc()
	s.record(r, c, AuditEntry{Result: "ok"})
	v := s.meView(c.user)
	exp := s.jt(expires)
	v.Expires = &exp
	writeJSON(w, http.StatusOK, v)
}

// dummy returns a hash to verify against when the user does not exist, so
// that unknown names take as long as wrong passwords.
func (s *Server) dummy() string {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = HashPassword("hamlet-dummy-password", s.opts.Password)
	})
	return s.dummyHash
}

// fail logs an internal error and answers 500 without its details.
func (s *Server) fail(w http.ResponseWriter, msg string, err error) {
	s.opts.Logger.Error(msg, "err", err)
	writeError(w, errInternal())
}
