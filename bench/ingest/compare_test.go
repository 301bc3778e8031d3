package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSectionsSurviveRewrites checks that -compare's section is appended,
// then replaced in place, and kept when the main results are rewritten.
func TestSectionsSurviveRewrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.md")
	if err := os.WriteFile(path, []byte("# main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"first\n", "second\n"} {
		if err := writeSection(path, "ack-path", body); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	if got := string(b); got != "# main\n\n<!-- section ack-path -->\nsecond\n<!-- end ack-path -->\n" {
		t.Fatalf("after two writes:\n%s", got)
	}
	rewritten := "# main, rerun\n" + keptSections(path)
	if !strings.Contains(rewritten, "<!-- section ack-path -->\nsecond\n<!-- end ack-path -->\n") || strings.Count(rewritten, "second") != 1 {
		t.Fatalf("rewrite lost or doubled the section:\n%s", rewritten)
	}
}
