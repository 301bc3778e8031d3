package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/bench"
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
	if err := bench.WriteSection(path, "# main", "# main, rerun\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	rewritten := string(b)
	if !strings.Contains(rewritten, "main, rerun") || !strings.Contains(rewritten, "<!-- section ack-path -->\nsecond\n<!-- end ack-path -->\n") || strings.Count(rewritten, "second") != 1 {
		t.Fatalf("rewrite lost or doubled the section:\n%s", rewritten)
	}
}
