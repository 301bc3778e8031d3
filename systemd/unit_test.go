package systemd

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

const (
	unitFile    = "hamletd.service"
	execStart   = "/usr/local/bin/hamletd" // the unit's ExecStart binary
	maxExposure = 2.0                      // the highest score the project accepts
)

// systemdAnalyze returns the path of systemd-analyze, skipping the test when it
// is missing unless HAMLET_REQUIRE_SERVICES=1.
func systemdAnalyze(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("systemd-analyze")
	if err != nil {
		testutil.Unavailable(t, fmt.Sprintf("systemd-analyze not installed: %v", err), "run scripts/install-services.sh")
	}
	return p
}

var (
	exposureRE = regexp.MustCompile(`Overall exposure level for \S+: ([0-9]+(?:\.[0-9]+)?)`)
	warningRE  = regexp.MustCompile(regexp.QuoteMeta(unitFile) + `:[0-9]+: `)
)

// parseExposure returns the overall exposure score from the output of
// systemd-analyze security.
func parseExposure(out string) (float64, error) {
	m := exposureRE.FindStringSubmatch(out)
	if m == nil {
		return 0, errors.New(`no "Overall exposure level" line`)
	}
	return strconv.ParseFloat(m[1], 64)
}

// unitWarnings returns systemd's complaints about the unit file itself
// ("hamletd.service:12: Unknown key ..."), which it otherwise ignores.
func unitWarnings(out string) []string {
	var warns []string
	for _, line := range strings.Split(out, "\n") {
		if warningRE.MatchString(line) {
			warns = append(warns, line)
		}
	}
	return warns
}

func TestSecurityExposure(t *testing.T) {
	bin := systemdAnalyze(t)
	out, err := exec.Command(bin, "security", "--offline=true", "--no-pager", unitFile).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	if w := unitWarnings(string(out)); len(w) > 0 {
		t.Errorf("systemd ignores parts of %s:\n%s", unitFile, strings.Join(w, "\n"))
	}
	score, err := parseExposure(string(out))
	if err != nil {
		t.Fatalf("systemd-analyze security: %v in:\n%s", err, out)
	}
	t.Logf("exposure %.1f (limit %.1f)", score, maxExposure)
	if score > maxExposure {
		var bad []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "✗") {
				bad = append(bad, line)
			}
		}
		t.Fatalf("%s exposure %.1f > %.1f; exposed:\n%s", unitFile, score, maxExposure, strings.Join(bad, "\n"))
	}
}

// TestVerify runs systemd-analyze verify. Without hamletd installed at the
// ExecStart path verify always reports that binary missing; that one message
// is expected on a build machine, and any other fails the test.
func TestVerify(t *testing.T) {
	bin := systemdAnalyze(t)
	out, err := exec.Command(bin, "verify", "--man=no", unitFile).CombinedOutput()
	_, statErr := os.Stat(execStart)
	missing := unitFile + ": Command " + execStart + " is not executable: No such file or directory"
	var problems []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" || (statErr != nil && line == missing) {
			continue
		}
		problems = append(problems, line)
	}
	if len(problems) > 0 {
		t.Fatalf("systemd-analyze verify %s:\n%s", unitFile, strings.Join(problems, "\n"))
	}
	if err != nil && statErr == nil {
		t.Fatalf("systemd-analyze verify %s: %v\n%s", unitFile, err, out)
	}
	if statErr != nil {
		t.Logf("%s is not installed here; verify's report of it missing is expected", execStart)
	}
}

func TestParseExposure(t *testing.T) {
	tests := []struct {
		out     string
		want    float64
		wantErr bool
	}{
		{out: "✗ PrivateNetwork=   Service has access to the host's network   0.5\n\n→ Overall exposure level for hamletd.service: 1.1 OK 🙂\n", want: 1.1},
		{out: "→ Overall exposure level for x.service: 9.6 UNSAFE 😨", want: 9.6},
		{out: "→ Overall exposure level for x.service: 10 UNSAFE", want: 10},
		{out: "Failed to load unit", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseExposure(tt.out)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseExposure(%q) = %v, %v; want %v, error %v", tt.out, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestSandboxLinesAreExplained checks that every directive of the sandbox
// block follows a comment (or a directive of the same key it continues).
func TestSandboxLinesAreExplained(t *testing.T) {
	f, err := os.Open(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	prev := ""
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "# Sandbox."):
			in = true
		case strings.HasPrefix(line, "["):
			in = false
		case in && line != "" && !strings.HasPrefix(line, "#"):
			key, _, _ := strings.Cut(line, "=")
			prevKey, _, _ := strings.Cut(prev, "=")
			if !strings.HasPrefix(prev, "#") && prevKey != key {
				t.Errorf("%s:%d: %q has no comment above it", unitFile, n, line)
			}
		}
		prev = line
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
