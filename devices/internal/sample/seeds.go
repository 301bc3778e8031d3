package sample

import (
	"os"
	"path/filepath"
	"testing"
)

// Seed is one fuzz seed: a topic and its payload.
type Seed struct {
	Topic   string
	Payload []byte
}

// Seeds returns the (topic, payload) pairs of the sample file named file, for
// f.Add(s.Topic, s.Payload) in a fuzz target. Unlike Load it does not skip:
// when the samples directory is missing it logs that and returns nil, so the
// caller seeds with literals instead, unless RequireEnv is 1, which fails the
// test. A malformed file fails the test.
func Seeds(t testing.TB, file string) []Seed {
	t.Helper()
	dir, ok := Locate()
	if !ok && os.Getenv(RequireEnv) == "1" {
		missing(t, dir)
		return nil
	}
	if !ok {
		t.Logf("SAMPLES MISSING: %q not found (set $%s); fuzzing from literal seeds only", dir, EnvDir)
		return nil
	}
	lines, err := read(filepath.Join(dir, file))
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	seeds := make([]Seed, 0, len(lines))
	for _, l := range lines {
		seeds = append(seeds, Seed{Topic: l.Topic, Payload: []byte(l.Payload)})
	}
	return seeds
}
