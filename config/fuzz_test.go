package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader as a config file. It must never
// panic, and every error must be a *ValidationError or a *ParseError naming
// the file. Seeds: every file in testdata and the example.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	seeds = append(seeds, examplePath)
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("mqtt: {broker: 1, tls: {ca_file: [x]}}\navailability: {timeout: [1, 2]}\n"))
	f.Add([]byte("a.b: 1\nmqtt.broker: x\n\"\": 3\n1: 2\nzones: [[], {}, null, 3]\n"))
	f.Add([]byte("influx: {spool_max_bytes: -1, batch_size: 1e99, flush_interval: .5}\narea: {latitude: .nan}\n"))

	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadWith(LoadOptions{Path: path})
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("Load accepted a config that Validate rejects: %v", verr)
			}
			if _, yerr := cfg.Redacted().YAML(); yerr != nil {
				t.Fatalf("YAML: %v", yerr)
			}
			return
		}
		var ve *ValidationError
		var pe *ParseError
		switch {
		case errors.As(err, &ve):
			if len(ve.Problems) == 0 {
				t.Fatal("a ValidationError without problems")
			}
			for _, p := range ve.Problems {
				if p.Key == "" || p.Message == "" {
					t.Fatalf("problem without key or message: %+v", p)
				}
			}
		case errors.As(err, &pe):
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("parse error does not name the file: %v", err)
			}
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
	})
}
