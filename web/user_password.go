package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hamlet-vn/hamlet/accounts"
)

// passwordRequest is the body of POST /api/v1/users/{name}/password.
// CurrentPassword is required when users change their own password.
type passwordRequest struct {
	Password        string `json:"password"`
	CurrentPassword string `json:"current_password,omitempty"`
}

func (p *passwordRequest) auditParams() any { return struct{}{} }

// userPassword is POST /api/v1/users/{name}/password: admins set anyone's
// password; users change their own, giving the current one. Every session
// of the user ends, the caller's included when it is theirs.
func (s *Server) userPassword(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*passwordRequest)
	name := strings.ToLower(r.PathValue("name"))
	self := c.user.Auth == "session" && strings.EqualFold(name, c.user.Name)
	if self {
		if e := s.checkCurrentPassword(r, c, req.CurrentPassword); e != nil {
			writeError(w, e)
			return
		}
	}
	err := s.accounts.SetPassword(r.Context(), name, req.Password)
	var in *accounts.InputError
	switch {
	case errors.As(err, &in):
		writeError(w, inputError(in))
		return
	case isNotFound(err):
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không có người dùng %q / unknown user %q", name, name))
		return
	case err != nil:
		s.fail(w, "password change failed", err)
		return
	}
	if self {
		clearCookie(w, r)
	}
	s.record(r, c, AuditEntry{Result: "ok"})
	noContent(w)
}

// checkCurrentPassword verifies the caller's current password, counting a
// wrong one against the sign-in limits.
func (s *Server) checkCurrentPassword(r *http.Request, c *call, current string) *apiError {
	now, addr := s.opts.Now(), s.clientAddr(r)
	if wait := s.throttle.wait(c.user.Name, addr, now); wait > 0 {
		return errThrottled(wait, "Sai mật khẩu quá nhiều lần", "too many wrong passwords")
	}
	if current == "" {
		return fieldError("current_password", codeInvalid, "Cần mật khẩu hiện tại / current_password is required to change your own password")
	}
	ok, err := s.accounts.CheckUserPassword(r.Context(), c.user.Name, current)
	if err != nil {
		s.opts.Logger.Error("user lookup failed", "err", err)
		return errInternal()
	}
	if !ok {
		s.throttle.fail(c.user.Name, addr, now)
		s.record(r, c, AuditEntry{Result: "failed", Error: "wrong current password"})
		return fieldError("current_password", codeBadCredentials, "Mật khẩu hiện tại không đúng / current_password is wrong")
	}
	s.throttle.succeed(c.user.Name, addr)
	return nil
}
