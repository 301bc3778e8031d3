package accounts

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAccountsSpeakNoHTTP keeps accounts below the HTTP layer: web and the
// command line both use it, so it imports neither net/http nor web.
func TestAccountsSpeakNoHTTP(t *testing.T) {
	imports := fileImports(t, "*.go")
	for file, paths := range imports {
		for _, p := range paths {
			if p == "net/http" || strings.HasSuffix(p, "hamlet/web") || strings.HasPrefix(p, "github.com/spf13/") {
				t.Errorf("%s imports %s", file, p)
			}
		}
	}
}

// TestUserCommandUsesAccounts: `hamletd user` adds users through accounts,
// not through the HTTP layer.
func TestUserCommandUsesAccounts(t *testing.T) {
	paths := fileImports(t, "../cmd/hamletd/user.go")["../cmd/hamletd/user.go"]
	var uses bool
	for _, p := range paths {
		if strings.HasSuffix(p, "hamlet/web") {
			t.Errorf("cmd/hamletd/user.go imports %s", p)
		}
		uses = uses || strings.HasSuffix(p, "hamlet/accounts")
	}
	if !uses {
		t.Errorf("cmd/hamletd/user.go does not use accounts (imports %v)", paths)
	}
}

// fileImports returns the import paths of the files matching pattern
// (tests excluded), by file. It fails when nothing matches.
func fileImports(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s (%v)", pattern, err)
	}
	out := map[string][]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[f] = append(out[f], p)
		}
	}
	return out
}
