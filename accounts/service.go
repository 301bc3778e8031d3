package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/store"
)

// Errors of sign-in, sessions and tokens; the HTTP layer maps them to 401.
var (
	// ErrBadCredentials: an unknown user, a wrong password, a disabled user
	// or an unusable stored hash. A *SignInError says which.
	ErrBadCredentials = errors.New("wrong username or password")
	// ErrSessionEnded: the session id is unknown, expired, idle too long, or
	// its user is disabled.
	ErrSessionEnded = errors.New("session ended")
	// ErrBadToken: the API token is unknown or revoked.
	ErrBadToken = errors.New("invalid or revoked API token")
)

// SignInError is a refused sign-in. It wraps ErrBadCredentials; Reason is
// for the audit log ("unknown user", "wrong password", "user disabled",
// "unusable password hash"), never for the client.
type SignInError struct {
	Reason string
	Err    error // the cause of an unusable hash; nil otherwise
}

// Error returns the reason.
func (e *SignInError) Error() string { return "sign-in refused: " + e.Reason }

// Unwrap returns ErrBadCredentials.
func (e *SignInError) Unwrap() error { return ErrBadCredentials }

// SessionLimits bound a session's life.
type SessionLimits struct {
	// TTL is the absolute lifetime from sign-in. Default 30 days.
	TTL time.Duration
	// Idle ends a session unused for this long. Default 7 days.
	Idle time.Duration
}

// Fill sets the defaults of zero fields.
func (l *SessionLimits) Fill() {
	if l.TTL <= 0 {
		l.TTL = 30 * 24 * time.Hour
	}
	if l.Idle <= 0 {
		l.Idle = 7 * 24 * time.Hour
	}
}

// touchEvery limits how often a session's or token's last use is written.
const touchEvery = time.Minute

// Options configures a Service; zero fields take their defaults.
type Options struct {
	// Password is the argon2id cost of new hashes. If zero, DefaultPasswordParams.
	Password PasswordParams
	// Sessions bound session lifetimes.
	Sessions SessionLimits
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// Logger receives warnings about best-effort writes (stale session
	// cleanup, a token's last use). If nil, they are discarded.
	Logger *slog.Logger
}

// Service signs users in, keeps their sessions and API tokens, and changes
// users, over the store. It is safe for concurrent use.
type Service struct {
	db   *store.DB
	opts Options

	dummyOnce sync.Once
	dummyHash string // verified against for unknown user names
}

// New returns a Service over db.
func New(db *store.DB, opts Options) *Service {
	if opts.Password == (PasswordParams{}) {
		opts.Password = DefaultPasswordParams()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Sessions.Fill()
	return &Service{db: db, opts: opts}
}

// Sessions returns the session limits in force.
func (s *Service) Sessions() SessionLimits { return s.opts.Sessions }

// SignIn checks name's password. A refusal is a *SignInError; an unknown
// name takes as long as a wrong password.
func (s *Service) SignIn(ctx context.Context, name, password string) (store.User, error) {
	u, err := s.db.UserByName(ctx, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		VerifyPassword(password, s.dummy())
		return store.User{}, &SignInError{Reason: "unknown user"}
	case err != nil:
		return store.User{}, fmt.Errorf("sign in: %w", err)
	}
	ok, err := VerifyPassword(password, u.PasswordHash)
	switch {
	case err != nil:
		return store.User{}, &SignInError{Reason: "unusable password hash", Err: err}
	case !ok:
		return store.User{}, &SignInError{Reason: "wrong password"}
	case u.Disabled:
		return store.User{}, &SignInError{Reason: "user disabled"}
	}
	return u, nil
}

// CheckUserPassword reports whether password is name's current password.
func (s *Service) CheckUserPassword(ctx context.Context, name, password string) (bool, error) {
	u, err := s.db.UserByName(ctx, name)
	if err != nil {
		return false, err
	}
	ok, _ := VerifyPassword(password, u.PasswordHash)
	return ok, nil
}

// dummy returns a hash to verify against when the user does not exist.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() { s.dummyHash, _ = HashPassword("hamlet-dummy-password", s.opts.Password) })
	return s.dummyHash
}

// StartSession creates a session for u, first dropping stale ones, and
// returns its id (the cookie value) and when it expires. remote and
// userAgent are kept for the user's own review.
func (s *Service) StartSession(ctx context.Context, u store.User, remote, userAgent string) (string, time.Time, error) {
	return s.StartSessionFor(ctx, u, remote, userAgent, s.opts.Sessions.TTL)
}

// StartSessionFor is StartSession with a lifetime of ttl (at most the
// configured TTL): the phone UI's sign-in without "remember this phone".
func (s *Service) StartSessionFor(ctx context.Context, u store.User, remote, userAgent string, ttl time.Duration) (string, time.Time, error) {
	ttl = min(ttl, s.opts.Sessions.TTL)
	now := s.opts.Now()
	if _, err := s.db.DeleteStaleSessions(ctx, now, s.opts.Sessions.Idle); err != nil {
		// Best effort: expired sessions are refused anyway.
		s.opts.Logger.Warn("stale session cleanup failed", "err", err)
	}
	id, err := newSecret()
	if err != nil {
		return "", time.Time{}, err
	}
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	expires := now.Add(ttl)
	if err := s.db.CreateSession(ctx, store.Session{IDHash: SecretHash(id), UserID: u.ID,
		Created: now, LastSeen: now, Expires: expires, Remote: remote, UserAgent: userAgent}); err != nil {
		return "", time.Time{}, fmt.Errorf("start session: %w", err)
	}
	return id, expires, nil
}

// SessionUser returns the user of session id, ending the session when it
// has expired or idled out or its user is disabled (ErrSessionEnded).
func (s *Service) SessionUser(ctx context.Context, id string) (User, error) {
	hash := SecretHash(id)
	se, su, err := s.db.SessionUser(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, ErrSessionEnded
	} else if err != nil {
		return User{}, fmt.Errorf("session lookup: %w", err)
	}
	now := s.opts.Now()
	if !now.Before(se.Expires) || now.Sub(se.LastSeen) >= s.opts.Sessions.Idle || su.Disabled {
		if err := s.db.DeleteSession(ctx, hash); err != nil {
			return User{}, fmt.Errorf("session end: %w", err)
		}
		return User{}, ErrSessionEnded
	}
	if now.Sub(se.LastSeen) >= touchEvery {
		if err := s.db.TouchSession(ctx, hash, now); err != nil {
			return User{}, fmt.Errorf("session touch: %w", err)
		}
	}
	return User{Name: su.Name, Role: Role(su.Role), Zones: zonesOrNil(su.Zones), Auth: "session",
		UserID: su.ID, SessionID: hash}, nil
}

// EndSession ends u's session (a no-op for a token).
func (s *Service) EndSession(ctx context.Context, u User) error {
	if u.Auth != "session" {
		return nil
	}
	return s.db.DeleteSession(ctx, u.SessionID)
}

// TokenUser returns the caller of an API token secret (ErrBadToken when
// it is unknown or revoked). A failure to note its use is not an error.
func (s *Service) TokenUser(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return User{}, ErrBadToken
	}
	t, err := s.db.TokenByHash(ctx, SecretHash(secret))
	if errors.Is(err, store.ErrNotFound) {
		return User{}, ErrBadToken
	} else if err != nil {
		return User{}, fmt.Errorf("token lookup: %w", err)
	}
	if now := s.opts.Now(); now.Sub(t.LastUsed) >= touchEvery {
		if err := s.db.TouchToken(ctx, t.ID, now); err != nil {
			s.opts.Logger.Warn("token touch failed", "token", t.ID, "err", err)
		}
	}
	return User{Name: "token:" + t.Name, Role: Role(t.Role), Zones: zonesOrNil(t.Zones), Auth: "token", TokenID: t.ID}, nil
}

// NewToken is what creating an API token takes.
type NewToken struct {
	Name  string
	Role  string
	Zones []string
}

// CreateToken stores a new API token made by createdBy (its zones must be
// among known) and returns it with its secret, which is stored only hashed.
// Bad values give an *InputError.
func (s *Service) CreateToken(ctx context.Context, nt NewToken, known []string, createdBy string) (store.Token, string, error) {
	role, zones, err := CheckRoleZones(nt.Role, nt.Zones, known)
	if err != nil {
		return store.Token{}, "", err
	}
	if role == RoleAdmin {
		return store.Token{}, "", &InputError{Field: "role", Msg: "Mã truy cập không thể là quản trị viên / role: tokens may be operator or viewer, not admin"}
	}
	secret, err := newSecret()
	if err != nil {
		return store.Token{}, "", err
	}
	secret = TokenPrefix + secret
	t, err := s.db.CreateToken(ctx, store.Token{Name: nt.Name, Role: string(role), Zones: zones,
		Hash: SecretHash(secret), CreatedBy: createdBy})
	if err != nil {
		return store.Token{}, "", fmt.Errorf("create token: %w", err)
	}
	return t, secret, nil
}

// CreateUser is CreateUser with the service's password cost.
func (s *Service) CreateUser(ctx context.Context, nu NewUser, known []string) (store.User, error) {
	return CreateUser(ctx, s.db, nu, known, s.opts.Password)
}

// SetPassword is SetUserPassword with the service's password cost.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	return SetUserPassword(ctx, s.db, name, password, s.opts.Password)
}

// UpdateUser is UpdateUser over the service's store.
func (s *Service) UpdateUser(ctx context.Context, name string, ch UserChange, known []string) (store.User, error) {
	return UpdateUser(ctx, s.db, name, ch, known)
}

func zonesOrNil(z []string) []string {
	if len(z) == 0 {
		return nil
	}
	return z
}

// Principal returns stored user u as the caller of a session.
func Principal(u store.User) User {
	return User{Name: u.Name, Role: Role(u.Role), Zones: zonesOrNil(u.Zones), Auth: "session", UserID: u.ID}
}
