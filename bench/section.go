package bench

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// WriteSection replaces, in the Markdown file at path, the section that
// starts with the top-level heading title ("# ...") and runs to the next
// top-level heading or HTML comment marker line ("<!-- ..."), with body
// (which starts with that heading); a missing section is appended. Each benchmark program owns one section of
// bench/results.md this way and keeps the others.
func WriteSection(path, title, body string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var out []string
	lines := strings.SplitAfter(string(old), "\n")
	replaced, skipping := false, false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "<!-- "):
			// A marked section (bench/lights) starts here.
			skipping = false
		case strings.HasPrefix(l, "# "):
			skipping = strings.TrimSpace(l) == title
			if skipping && !replaced {
				out = append(out, strings.TrimRight(body, "\n")+"\n\n")
				replaced = true
			}
		}
		if !skipping {
			out = append(out, l)
		}
	}
	text := strings.Join(out, "")
	if !replaced {
		if text != "" && !strings.HasSuffix(text, "\n\n") {
			text = strings.TrimRight(text, "\n") + "\n\n"
		}
		text += strings.TrimRight(body, "\n") + "\n"
	}
	return os.WriteFile(path, []byte(strings.TrimRight(text, "\n")+"\n"), 0o644)
}
