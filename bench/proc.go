package bench

import (
	"bufio"
	"os"
	"strings"
)

// ProcField returns the value of the first "key : value" line of a /proc
// file (CPU model, memory), or "" when there is none. Every benchmark
// describes the machine it ran on with it.
func ProcField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
