package bench

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.md")
	os.WriteFile(path, []byte("# Ingest\n\nfast\n\n<!-- lights: begin -->\n# Lights\n\non\n<!-- lights: end -->\n\n# Uptime\n\nold\n\n# Other\n\nkept\n"), 0o644)
	if err := WriteSection(path, "# Uptime", "# Uptime\n\nnew\n"); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(path, "# Ingest", "# Ingest\n\nfaster\n"); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(path, "# Added", "# Added\n\nx\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	want := "# Ingest\n\nfaster\n\n<!-- lights: begin -->\n# Lights\n\non\n<!-- lights: end -->\n\n# Uptime\n\nnew\n\n# Other\n\nkept\n\n# Added\n\nx\n"
	if string(b) != want {
		t.Errorf("got\n%q\nwant\n%q", b, want)
	}
}
