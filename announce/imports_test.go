package announce

import (
	"go/build"
	"strings"
	"testing"
)

// TestNoWebImport keeps the capability independent of the HTTP side: web
// translates HTTP to calls on announce, never the other way round.
func TestNoWebImport(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp == "github.com/hamlet-vn/hamlet/web" || strings.HasPrefix(imp, "github.com/hamlet-vn/hamlet/daemon") {
			t.Errorf("announce imports %s", imp)
		}
	}
}
