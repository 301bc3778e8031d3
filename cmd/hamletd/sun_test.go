package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSunPrintsOneLinePerDay(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "hamlet.yaml")
	os.WriteFile(cfg, []byte("area: {id: khu-1, latitude: 21.03, longitude: 105.85, timezone: Asia/Ho_Chi_Minh}\nstorage: {dir: "+filepath.Join(t.TempDir(), "data")+"}\n"), 0o600)
	out, stderr, err := runArgs(t, nil, "sun", "--config", cfg, "--date", "2027-02-06", "--days", "3")
	if err != nil {
		t.Fatalf("sun: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	line := regexp.MustCompile(`^2027-02-0[678] civil_dawn \d\d:\d\d:\d\d sunrise \d\d:\d\d:\d\d sunset \d\d:\d\d:\d\d civil_dusk \d\d:\d\d:\d\d$`)
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got:\n%s", out)
	}
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("line %q does not match %v", l, line)
		}
	}
	// Hà Nội, 2027-02-06: testdata/sunref.csv (PyEphem) says civil dawn 06:08:48, sunrise 06:31:46, sunset 17:49:41.
	if !strings.HasPrefix(lines[0], "2027-02-06 civil_dawn 06:08:") || !strings.Contains(lines[0], "sunrise 06:31:") || !strings.Contains(lines[0], "sunset 17:49:") {
		t.Errorf("Hà Nội 2027-02-06 = %q", lines[0])
	}
	// --lat/--lon replace the config's place; polar night prints dashes.
	out, _, err = runArgs(t, nil, "sun", "--config", cfg, "--date", "2027-12-21", "--lat", "78.2", "--lon", "15.6")
	if err != nil || out != "2027-12-21 civil_dawn --:--:-- sunrise --:--:-- sunset --:--:-- civil_dusk --:--:--\n" {
		t.Errorf("polar night = %q, %v", out, err)
	}
	// The database is not created by asking for sun times.
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "data")); !os.IsNotExist(err) {
		t.Errorf("sun created the storage dir: %v", err)
	}
}

func TestSunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--date", "06/02/2027"}, "--date"},
		{[]string{"--days", "0"}, "--days"},
		{[]string{"--lat", "91"}, "--lat"},
		{[]string{"--lon", "-181"}, "--lon"},
	} {
		_, stderr, err := runArgs(t, nil, append([]string{"sun"}, tc.args...)...)
		if err == nil || !strings.Contains(stderr, tc.says) || !strings.Contains(stderr, " / ") {
			t.Errorf("sun %v: %v, stderr %q", tc.args, err, stderr)
		}
	}
}
