package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryMessageHasEnglish finds every message key in the templates and
// in the web package's Go files (quoted Vietnamese passed to T, fillPage,
// nav items) and requires an English entry.
func TestEveryMessageHasEnglish(t *testing.T) {
	keys := map[string]string{}
	tmplKey := regexp.MustCompile(`L\.T "([^"]+)"`)
	err := fs.WalkDir(templates, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templates, p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Go files of the web package: Vietnamese string literals in page code.
	goKey := regexp.MustCompile(`"([^"\n]*[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵÀ-ỹ][^"\n]*)"`)
	files, _ := filepath.Glob("../page_*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for _, m := range goKey.FindAllStringSubmatch(line, -1) {
				if strings.Contains(m[1], " / ") {
					continue // a bilingual server message, not a key
				}
				keys[m[1]] = f
			}
		}
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d message keys; the scan is broken", len(keys))
	}
	for k, where := range keys {
		if _, ok := english[k]; !ok {
			t.Errorf("%s: %q has no English", where, k)
		}
	}
}

func TestPagesParse(t *testing.T) {
	ps, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"login", "overview", "lights", "speakers", "cameras", "reports", "audit", "users", "forbidden"} {
		if ps[name] == nil || ps[name].Lookup("layout") == nil {
			t.Errorf("page %s missing", name)
		}
	}
}
