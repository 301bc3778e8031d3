package store

import (
	"context"
	"testing"
)

func TestUserLang(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, User{Name: "an", Role: "admin", PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if l, err := db.UserLang(ctx, u.ID); l != "" || err != nil {
		t.Fatalf("UserLang before any choice = %q, %v; want \"\"", l, err)
	}
	for _, want := range []string{"en", "vi"} {
		if err := db.SetUserLang(ctx, u.ID, want); err != nil {
			t.Fatal(err)
		}
		if l, err := db.UserLang(ctx, u.ID); l != want || err != nil {
			t.Fatalf("UserLang = %q, %v; want %q", l, err, want)
		}
	}
	if err := db.SetUserLang(ctx, u.ID, "fr"); err == nil {
		t.Fatal("SetUserLang(fr) accepted")
	}
}
