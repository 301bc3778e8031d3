package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/store"
)

func newService(t *testing.T) (*Service, *store.DB, *time.Time) {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := New(db, Options{Password: cheap, Sessions: SessionLimits{TTL: 10 * time.Hour, Idle: time.Hour},
		Now: func() time.Time { return now }})
	return s, db, &now
}

func TestSignInReasons(t *testing.T) {
	s, db, _ := newService(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, NewUser{Name: "an", Role: "admin", Password: "mat-khau-an-toan"}, nil); err != nil {
		t.Fatal(err)
	}
	if u, err := s.SignIn(ctx, "an", "mat-khau-an-toan"); err != nil || u.Name != "an" {
		t.Fatalf("right password: %+v %v", u, err)
	}
	for _, tt := range []struct{ name, password, reason string }{
		{"an", "sai-roi", "wrong password"},
		{"ghost", "sai-roi", "unknown user"},
	} {
		_, err := s.SignIn(ctx, tt.name, tt.password)
		var se *SignInError
		if !errors.As(err, &se) || se.Reason != tt.reason || !errors.Is(err, ErrBadCredentials) {
			t.Errorf("%s/%s: %v, want %s", tt.name, tt.password, err, tt.reason)
		}
	}
	disabled := true
	db.CreateUser(ctx, store.User{Name: "binh", Role: "viewer", PasswordHash: mustHash(t, "mat-khau-binh")})
	if _, err := s.UpdateUser(ctx, "binh", UserChange{Disabled: &disabled}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "binh", "mat-khau-binh"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("disabled user: %v", err)
	}
}

func TestSessionLifecycle(t *testing.T) {
	s, _, now := newService(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, NewUser{Name: "an", Role: "admin", Password: "mat-khau-an-toan"}, nil)
	id, expires, err := s.StartSession(ctx, u, "10.0.0.5", "phone")
	if err != nil || !expires.Equal(now.Add(10*time.Hour)) || len(id) < 40 {
		t.Fatalf("start: %q %v %v", id, expires, err)
	}
	if p, err := s.SessionUser(ctx, id); err != nil || p.Name != "an" || p.Role != RoleAdmin || p.Auth != "session" {
		t.Fatalf("session user: %+v %v", p, err)
	}
	*now = now.Add(59 * time.Minute)
	if _, err := s.SessionUser(ctx, id); err != nil {
		t.Fatalf("within idle: %v", err)
	}
	*now = now.Add(61 * time.Minute)
	if _, err := s.SessionUser(ctx, id); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("idle too long: %v", err)
	}
	id, _, _ = s.StartSession(ctx, u, "10.0.0.5", "phone")
	p, _ := s.SessionUser(ctx, id)
	if err := s.EndSession(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, id); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("after logout: %v", err)
	}
}

func TestTokens(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	if _, _, err := s.CreateToken(ctx, NewToken{Name: "bms", Role: "admin"}, nil, "an"); err == nil {
		t.Error("admin token created")
	}
	var in *InputError
	if _, _, err := s.CreateToken(ctx, NewToken{Name: "bms", Role: "viewer", Zones: []string{"ngo-x"}}, []string{"ngo-a"}, "an"); !errors.As(err, &in) || in.Field != "zones" {
		t.Errorf("unknown zone: %v", err)
	}
	tok, secret, err := s.CreateToken(ctx, NewToken{Name: "bms", Role: "operator", Zones: []string{"ngo-a"}}, []string{"ngo-a"}, "an")
	if err != nil || !strings.HasPrefix(secret, TokenPrefix) || tok.Hash != SecretHash(secret) {
		t.Fatalf("create: %+v %q %v", tok, secret, err)
	}
	p, err := s.TokenUser(ctx, secret)
	if err != nil || p.Name != "token:bms" || p.Auth != "token" || p.Zones[0] != "ngo-a" {
		t.Fatalf("token user: %+v %v", p, err)
	}
	for _, bad := range []string{"", "nope", TokenPrefix + "unknown"} {
		if _, err := s.TokenUser(ctx, bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("TokenUser(%q) = %v", bad, err)
		}
	}
}

func mustHash(t *testing.T, p string) string {
	h, err := HashPassword(p, cheap)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
