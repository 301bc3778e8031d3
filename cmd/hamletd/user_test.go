package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/store"
)

// runUser runs `hamletd user ARGS` with the config at path and stdin.
func runUser(t *testing.T, path, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}
	cmd := userCommand(e, &path)
	cmd.SetArgs(args)
	cmd.SetIn(e.stdin)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hamlet.yaml")
	os.WriteFile(cfg, []byte("storage: {dir: "+filepath.Join(dir, "data")+"}\nzones: [{id: ngo-3}, {id: ngo-5}]\n"), 0o600)

	out, err := runUser(t, cfg, "mat-khau-an-toan\n", "add", "An", "--role", "admin")
	if err != nil || !strings.Contains(out, "created user an (admin)") {
		t.Fatalf("add admin: %q %v", out, err)
	}
	if _, err := runUser(t, cfg, "mat-khau-binh\r\n", "add", "binh", "--role", "operator", "--zones", "ngo-3,ngo-5"); err != nil {
		t.Fatalf("add operator: %v", err)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"mat-khau-an-toan\n", []string{"add", "an", "--role", "admin"}, "already exists"},
		{"mat-khau-an-toan\n", []string{"add", "chi", "--role", "root"}, "--role"},
		{"mat-khau-an-toan\n", []string{"add", "chi"}, "--role is required"},
		{"mat-khau-an-toan\n", []string{"add", "chi", "--role", "operator", "--zones", "ngo-9"}, `unknown zone "ngo-9"`},
		{"mat-khau-an-toan\n", []string{"add", "chi", "--role", "viewer", "--zones", "ngo-3"}, "zones apply only to the operator role"},
		{"mat-khau-an-toan\n", []string{"add", "c", "--role", "viewer"}, "name \"c\""},
		{"ngan\n", []string{"add", "chi", "--role", "viewer"}, "at least 8 characters"},
		{"", []string{"add", "chi", "--role", "viewer"}, "no password on stdin"},
		{"mat-khau-moi-1\n", []string{"passwd", "nobody"}, `no user "nobody"`},
	} {
		if _, err := runUser(t, cfg, c.stdin, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
	if out, err := runUser(t, cfg, "mat-khau-moi-1\n", "passwd", "binh"); err != nil || !strings.Contains(out, "password of binh changed") {
		t.Fatalf("passwd: %q %v", out, err)
	}
	out, err = runUser(t, cfg, "", "list")
	if err != nil || !strings.Contains(out, "an    admin") || !strings.Contains(out, "ngo-3,ngo-5") {
		t.Fatalf("list: %q %v", out, err)
	}

	db, err := store.Open(context.Background(), filepath.Join(dir, "data"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ := db.UserByName(context.Background(), "binh")
	if ok, _ := accounts.VerifyPassword("mat-khau-moi-1", u.PasswordHash); !ok {
		t.Error("passwd did not store the new password")
	}
	es, _ := db.Audit(context.Background(), store.AuditQuery{To: u.Updated.AddDate(1, 0, 0), Scope: store.AuditScope{All: true}})
	if len(es) != 3 || es[0].Action != "user.password" || es[0].User != "cli" || es[0].Source != "local" {
		t.Errorf("audit = %+v", es)
	}
}
