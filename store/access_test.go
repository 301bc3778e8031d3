package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestUsers(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return t0 }
	if n, _ := db.CountUsers(ctx); n != 0 {
		t.Fatalf("CountUsers on a new store = %d", n)
	}
	_, err := db.CreateUser(ctx, User{Name: "an", Role: "admin", PasswordHash: "h1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, User{Name: "AN", Role: "viewer", PasswordHash: "h"}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate name (other case): %v, want ErrExists", err)
	}
	if _, err := db.CreateUser(ctx, User{Name: "x", Role: "root", PasswordHash: "h"}); err == nil {
		t.Fatal("role root accepted")
	}
	binh, err := db.CreateUser(ctx, User{Name: "binh", Role: "operator", Zones: []string{"ngo-3", "ngo-5"}, PasswordHash: "h2"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByName(ctx, "BINH")
	if err != nil || got.ID != binh.ID || len(got.Zones) != 2 || got.Zones[1] != "ngo-5" || !got.Created.Equal(t0) {
		t.Fatalf("UserByName = %+v, %v", got, err)
	}
	if _, err := db.UserByName(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	all, _ := db.Users(ctx)
	if len(all) != 2 || all[0].Name != "an" || all[0].Zones != nil {
		t.Fatalf("Users = %+v", all)
	}

	// The last enabled admin can be neither demoted nor disabled.
	viewer, yes := "viewer", true
	if _, err := db.UpdateUser(ctx, "an", UserUpdate{Role: &viewer}); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("demote last admin: %v", err)
	}
	if _, err := db.UpdateUser(ctx, "an", UserUpdate{Disabled: &yes}); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("disable last admin: %v", err)
	}
	// Disabling ends the user's sessions.
	if err := db.CreateSession(ctx, Session{IDHash: "s1", UserID: binh.ID, Created: t0, LastSeen: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	zones := []string{"ngo-3"}
	u, err := db.UpdateUser(ctx, "binh", UserUpdate{Zones: &zones, Disabled: &yes})
	if err != nil || !u.Disabled || len(u.Zones) != 1 {
		t.Fatalf("UpdateUser = %+v, %v", u, err)
	}
	if _, _, err := db.SessionUser(ctx, "s1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("session of a disabled user survives: %v", err)
	}
	if _, err := db.UpdateUser(ctx, "nobody", UserUpdate{Disabled: &yes}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update unknown: %v", err)
	}
}

func TestSessionsEndWithPasswordChange(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	u, _ := db.CreateUser(ctx, User{Name: "an", Role: "admin", PasswordHash: "old"})
	for _, id := range []string{"a", "b"} {
		if err := db.CreateSession(ctx, Session{IDHash: id, UserID: u.ID, Created: t0, LastSeen: t0,
			Expires: t0.Add(24 * time.Hour), Remote: "10.0.0.5", UserAgent: "phone"}); err != nil {
			t.Fatal(err)
		}
	}
	se, su, err := db.SessionUser(ctx, "a")
	if err != nil || su.Name != "an" || !se.Expires.Equal(t0.Add(24*time.Hour)) || se.Remote != "10.0.0.5" {
		t.Fatalf("SessionUser = %+v %+v %v", se, su, err)
	}
	if err := db.TouchSession(ctx, "a", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	se, _, _ = db.SessionUser(ctx, "a")
	if !se.LastSeen.Equal(t0.Add(time.Hour)) {
		t.Fatalf("LastSeen = %v", se.LastSeen)
	}
	if err := db.SetPassword(ctx, "an", "new"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if _, _, err := db.SessionUser(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("session %s survives a password change: %v", id, err)
		}
	}
	if got, _ := db.UserByName(ctx, "an"); got.PasswordHash != "new" {
		t.Errorf("hash = %q", got.PasswordHash)
	}
	if err := db.SetPassword(ctx, "nobody", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetPassword unknown: %v", err)
	}
}

func TestDeleteStaleSessions(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	u, _ := db.CreateUser(ctx, User{Name: "an", Role: "admin", PasswordHash: "h"})
	db.CreateSession(ctx, Session{IDHash: "expired", UserID: u.ID, Created: t0, LastSeen: t0.Add(50 * time.Minute), Expires: t0.Add(time.Hour)})
	db.CreateSession(ctx, Session{IDHash: "idle", UserID: u.ID, Created: t0, LastSeen: t0, Expires: t0.Add(48 * time.Hour)})
	db.CreateSession(ctx, Session{IDHash: "live", UserID: u.ID, Created: t0, LastSeen: t0.Add(55 * time.Minute), Expires: t0.Add(48 * time.Hour)})
	n, err := db.DeleteStaleSessions(ctx, t0.Add(time.Hour), 30*time.Minute)
	if err != nil || n != 2 {
		t.Fatalf("DeleteStaleSessions = %d, %v; want 2", n, err)
	}
	if _, _, err := db.SessionUser(ctx, "live"); err != nil {
		t.Fatalf("live session removed: %v", err)
	}
	if n, _ := db.DeleteUserSessions(ctx, u.ID); n != 1 {
		t.Fatalf("DeleteUserSessions = %d", n)
	}
}

func TestTokens(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return t0 }
	tok, err := db.CreateToken(ctx, Token{Name: "scada", Role: "operator", Zones: []string{"ngo-3"}, Hash: "abc", CreatedBy: "an"})
	if err != nil || tok.ID == 0 {
		t.Fatalf("CreateToken = %+v, %v", tok, err)
	}
	if _, err := db.CreateToken(ctx, Token{Name: "dup", Role: "viewer", Hash: "abc", CreatedBy: "an"}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate hash: %v", err)
	}
	if _, err := db.CreateToken(ctx, Token{Name: "root", Role: "admin", Hash: "def", CreatedBy: "an"}); err == nil {
		t.Fatal("admin token accepted")
	}
	if err := db.TouchToken(ctx, tok.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := db.TokenByHash(ctx, "abc")
	if err != nil || got.Name != "scada" || !got.LastUsed.Equal(t0.Add(time.Minute)) || got.Zones[0] != "ngo-3" {
		t.Fatalf("TokenByHash = %+v, %v", got, err)
	}
	rev, err := db.RevokeToken(ctx, tok.ID, t0.Add(time.Hour))
	if err != nil || !rev.Revoked.Equal(t0.Add(time.Hour)) {
		t.Fatalf("RevokeToken = %+v, %v", rev, err)
	}
	if _, err := db.TokenByHash(ctx, "abc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked token still valid: %v", err)
	}
	if _, err := db.RevokeToken(ctx, tok.ID, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoking twice: %v", err)
	}
	list, _ := db.Tokens(ctx)
	if len(list) != 1 || list[0].Revoked.IsZero() {
		t.Fatalf("Tokens = %+v", list)
	}
}

var all = AuditScope{All: true}

func TestAudit(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i, e := range []AuditEntry{
		{At: t0, User: "an", Source: "10.0.0.5", Action: "login", Result: "ok"},
		{At: t0.Add(time.Minute), User: "binh", Action: "login", Result: "failed", Error: "wrong password"},
		{At: t0.Add(2 * time.Minute), User: "an", Action: "command", Target: "devices:den-01", Params: `{"on":true}`, Result: "ok"},
		{At: t0.Add(time.Hour), User: "an", Action: "logout", Result: "ok"},
	} {
		if id, err := db.AppendAudit(ctx, e); err != nil || id != int64(i+1) {
			t.Fatalf("AppendAudit = %d, %v", id, err)
		}
	}
	got, err := db.Audit(ctx, AuditQuery{From: t0, To: t0.Add(time.Hour), Scope: all})
	if err != nil || len(got) != 3 || got[0].Action != "command" || got[2].Action != "login" {
		t.Fatalf("Audit = %+v, %v", got, err)
	}
	if got[0].Params != `{"on":true}` || got[1].Params != "{}" || got[1].Error != "wrong password" {
		t.Errorf("fields: %+v", got)
	}
	got, _ = db.Audit(ctx, AuditQuery{From: t0, To: t0.Add(2 * time.Hour), User: "an", Action: "login", Scope: all})
	if len(got) != 1 || got[0].Source != "10.0.0.5" || !got[0].At.Equal(t0) {
		t.Errorf("filtered = %+v", got)
	}
	got, _ = db.Audit(ctx, AuditQuery{From: t0, To: t0.Add(2 * time.Hour), Limit: 2, Scope: all})
	if len(got) != 2 || got[0].Action != "logout" {
		t.Errorf("limited = %+v", got)
	}
}
