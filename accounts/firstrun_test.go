package accounts

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/store"
)

func TestLogFirstRun(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	db, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ok, err := LogFirstRun(ctx, db, logger); ok || err != nil {
		t.Fatalf("without users: %v %v", ok, err)
	}
	out := buf.String()
	if !strings.Contains(out, "hamletd user add NAME --role admin") ||
		strings.Index(out, "Chưa có tài khoản") > strings.Index(out, "no users yet") {
		t.Errorf("first-run hint = %q", out)
	}
	buf.Reset()
	CreateUser(ctx, db, NewUser{Name: "an", Role: "admin", Password: "mat-khau-an-toan"}, nil, cheap)
	if ok, err := LogFirstRun(ctx, db, logger); !ok || err != nil || buf.Len() != 0 {
		t.Fatalf("with users: %v %v %q", ok, err, buf.String())
	}
}
