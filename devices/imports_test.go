package devices

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestDomainImportsOnlyStandardLibrary keeps the domain and the protocol
// adapters free of infrastructure: they may import the standard library and
// each other, nothing else. The simulator (devices/sim) is a client, not
// domain, and may import paho.
func TestDomainImportsOnlyStandardLibrary(t *testing.T) {
	const module = "github.com/hamlet-vn/hamlet/devices"
	filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files
		}
		if pkg.Doc == "" && !strings.Contains(path, "internal") {
			t.Errorf("package %s has no package comment", path)
		}
		for _, imp := range pkg.Imports {
			first, _, _ := strings.Cut(imp, "/")
			if strings.Contains(first, ".") && !strings.HasPrefix(imp, module) {
				t.Errorf("%s imports %s: the domain and adapters use only the standard library", path, imp)
			}
		}
		return nil
	})
}
