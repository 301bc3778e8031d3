// Package sample is the shared test harness for the protocol adapters: it
// finds and loads the real-firmware sample corpora (../shared/samples/*.jsonl
// beside the repository), compares output with golden files, and turns the
// samples into fuzz seeds. It is only meant to be imported by tests.
package sample

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// EnvDir is the environment variable that overrides the samples directory.
const EnvDir = "HAMLET_SAMPLES"

// Line is one sample message: a topic, its payload and retain flag, the
// source it was copied from, and its 1-based line number N in the file.
type Line struct {
	Topic    string
	Payload  string
	Retained bool
	Source   string
	N        int
}

// String names the line for test output, e.g. "tasmota.jsonl:3 stat/x/RESULT".
func (l Line) String() string { return fmt.Sprintf("line %d %s", l.N, l.Topic) }

// Locate returns the samples directory and whether it exists, without a
// testing.TB: $HAMLET_SAMPLES when set, else ../shared/samples relative to
// the repository root (the nearest directory above the working directory
// that holds go.mod).
func Locate() (string, bool) {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", false
		}
		dir = filepath.Join(root, "..", "shared", "samples")
	}
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}

// RequireEnv, set to 1 (as `make test` and CI do), makes a missing samples
// directory fail every test that needs it instead of skipping it. It is
// internal/testutil.RequireEnv, repeated because the domain's packages import
// nothing outside devices/.
const RequireEnv = "HAMLET_REQUIRE_SERVICES"

// Dir returns the samples directory (see Locate). When it does not exist the
// test is skipped with a message naming the path, or fails when RequireEnv
// is 1.
func Dir(t testing.TB) string {
	t.Helper()
	dir, ok := Locate()
	if !ok {
		missing(t, dir)
	}
	return dir
}

// missing ends t for a samples directory dir that does not exist.
func missing(t testing.TB, dir string) {
	t.Helper()
	const format = "SAMPLES MISSING: sample corpus directory %q not found; set $%s to the directory holding the *.jsonl samples"
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf(format+" (%s=1 requires them)", dir, EnvDir, RequireEnv)
		return
	}
	t.Skipf(format, dir, EnvDir)
}

// Files returns the names (not paths) of every *.jsonl file in Dir, sorted.
func Files(t testing.TB) []string {
	t.Helper()
	dir := Dir(t)
	m, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		t.Fatalf("sample: glob %s: %v", dir, err)
	}
	names := make([]string, 0, len(m))
	for _, p := range m {
		names = append(names, filepath.Base(p))
	}
	sort.Strings(names)
	return names
}

// Load reads the sample file named file (e.g. "tasmota.jsonl") from Dir and
// returns its lines. A malformed line fails the test, naming file and line.
// A line may carry "payload_b64" (standard base64) instead of "payload" for
// binary payloads.
func Load(t testing.TB, file string) []Line {
	t.Helper()
	lines, err := read(filepath.Join(Dir(t), file))
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	return lines
}

type rawLine struct {
	Topic      *string `json:"topic"`
	Payload    *string `json:"payload"`
	PayloadB64 *string `json:"payload_b64"`
	Retained   bool    `json:"retained"`
	Source     string  `json:"source"`
}

func read(path string) ([]Line, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Line
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		l, err := parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", filepath.Base(path), n, err)
		}
		l.N = n
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return out, nil
}

func parse(text []byte) (Line, error) {
	var r rawLine
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Line{}, fmt.Errorf("malformed sample line: %w", err)
	}
	if dec.More() {
		return Line{}, errors.New("malformed sample line: trailing data after the JSON object")
	}
	if r.Topic == nil || *r.Topic == "" {
		return Line{}, errors.New(`malformed sample line: "topic" missing or empty`)
	}
	l := Line{Topic: *r.Topic, Retained: r.Retained, Source: r.Source}
	switch {
	case r.Payload != nil && r.PayloadB64 != nil:
		return Line{}, errors.New(`malformed sample line: both "payload" and "payload_b64" given`)
	case r.Payload != nil:
		l.Payload = *r.Payload
	case r.PayloadB64 != nil:
		b, err := base64.StdEncoding.DecodeString(*r.PayloadB64)
		if err != nil {
			return Line{}, fmt.Errorf(`malformed sample line: "payload_b64": %w`, err)
		}
		l.Payload = string(b)
	default:
		return Line{}, errors.New(`malformed sample line: "payload" missing (use "" for an empty payload)`)
	}
	return l, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
