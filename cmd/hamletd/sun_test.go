package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/store"
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

func TestSunPrintsTheDaysLightSteps(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hamlet.yaml")
	data := filepath.Join(dir, "data")
	os.WriteFile(cfg, []byte("area: {id: khu-1, latitude: 21.03, longitude: 105.85, timezone: Asia/Ho_Chi_Minh}\nstorage: {dir: "+data+"}\n"), 0o600)
	ctx := context.Background()
	db, err := store.Open(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	pl := schedule.Place{Lat: 21.03, Lon: 105.85, Loc: time.FixedZone("ICT", 7*3600)}
	svc := schedule.NewService(schedule.Options{DB: db, Place: pl})
	prog := `{"steps":[{"at":"sunset+10m","on":true},{"at":"23:00","on":true,"brightness":50},{"at":"sunrise-10m","on":false}],` +
		`"exceptions":[{"date":"2027-02-07","off":true}]}`
	if _, err := svc.Create(ctx, schedule.Request{Name: "Ngõ 3", Targets: devices.Target{All: true}, Program: json.RawMessage(prog)}, accounts.User{Name: "an"}); err != nil {
		t.Fatal(err)
	}
	off := false
	if _, err := svc.Create(ctx, schedule.Request{Name: "Tắt", Targets: devices.Target{All: true}, Program: json.RawMessage(prog), Enabled: &off}, accounts.User{Name: "an"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, stderr, err := runArgs(t, nil, "sun", "--config", cfg, "--date", "2027-02-06", "--days", "2")
	if err != nil {
		t.Fatalf("sun: %v\n%s", err, stderr)
	}
	want := "2027-02-06 civil_dawn 06:08:49 sunrise 06:31:48 sunset 17:49:42 civil_dusk 18:12:41\n" +
		"  lịch/schedule 1 \"Ngõ 3\": 17:59:42 bật/on 100% (sunset+10m); 23:00:00 bật/on 50% (23:00); 06:21:22+1 tắt/off (sunrise-10m)\n" +
		"2027-02-07 civil_dawn 06:08:25 sunrise 06:31:22 sunset 17:50:16 civil_dusk 18:13:13\n" +
		"  lịch/schedule 1 \"Ngõ 3\": không chạy hôm nay / no run this day\n"
	if out != want {
		t.Errorf("sun printed\n%s\nwant\n%s", out, want)
	}
}
