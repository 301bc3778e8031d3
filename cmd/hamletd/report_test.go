package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/uptime"
)

// runReport runs `hamletd report ARGS` with the config at path.
func runReport(t *testing.T, path string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	cmd := reportCommand(e, &path)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// reportFixture writes a config and a store with one day of history: the
// daemon ran all of 2026-11-01 (Ho Chi Minh City time); the camera was down
// 10:00-11:00 by its Last Will.
func reportFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hamlet.yaml")
	os.WriteFile(cfg, []byte("storage: {dir: "+filepath.Join(dir, "data")+"}\n"+
		"zones: [{id: ngo-3, name: \"Ngõ 3\"}]\n"+
		"devices:\n"+
		"  - {id: cam-cong, name: \"Camera cổng\", kind: camera, zone: ngo-3, protocol: frigate, topic: cong}\n"+
		"  - {id: den-01, name: \"Đèn ngõ 3 số 1\", kind: light, zone: ngo-3, protocol: tasmota, topic: den_01}\n"), 0o600)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "data"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(h int) time.Time { return time.Date(2026, 11, 1, h, 0, 0, 0, hcm) }
	now := at(0)
	db.Now = func() time.Time { return now }
	run, _ := db.StartRun(ctx, "test")
	rec := func(id string, a devices.Availability, c devices.Cause, h int) {
		db.RecordTransitions(ctx, []devices.Transition{{Device: devices.Device{ID: id}, To: a, Cause: c, At: at(h)}})
	}
	rec("cam-cong", devices.Online, devices.CauseLWT, 0)
	rec("den-01", devices.Online, devices.CauseActivity, 0)
	rec("cam-cong", devices.Offline, devices.CauseLWT, 10)
	rec("cam-cong", devices.Online, devices.CauseLWT, 11)
	now = at(24)
	db.StopRun(ctx, run)
	return cfg
}

func TestReportUptime(t *testing.T) {
	cfg := reportFixture(t)
	out, err := runReport(t, cfg, "uptime", "--from", "2026-11-01", "--to", "2026-11-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cam-cong", "95.833%", "1h00m00s", "TỔNG / TOTAL", "Mục tiêu / SLO camera 99%", "KHÔNG ĐẠT / MISSED", "breaching: cam-cong"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	out, err = runReport(t, cfg, "uptime", "--from", "2026-11-01", "--to", "2026-11-01", "--format", "csv", "--kind", "camera")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Errorf("csv lacks the UTF-8 BOM: %q", out[:10])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv rows = %v, %v", rows, err)
	}
	if rows[0][3] != "Thiết bị / Device" || rows[1][3] != "cam-cong" || rows[1][4] != "Camera cổng" || rows[1][9] != "95.833" {
		t.Errorf("csv = %q", rows)
	}

	out, err = runReport(t, cfg, "uptime", "--from", "2026-11-01T00:00:00+07:00", "--to", "2026-11-03", "--format", "json", "--group", "day")
	if err != nil {
		t.Fatal(err)
	}
	var rep uptime.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// 2026-11-02 and 03: the daemon was stopped, so unknown, not down.
	if len(rep.Days) != 3 || rep.Days[1].Unknown != 2*86400 || rep.Days[1].UptimePct != nil || rep.Total.Down != 3600 {
		t.Errorf("days = %+v, total %+v", rep.Days, rep.Total)
	}
}

func TestReportUptimeBadInput(t *testing.T) {
	cfg := reportFixture(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2026-11-05", "--to", "2026-11-01"}, "--to"},
		{[]string{"--from", "2000-01-01", "--to", "2026-11-01"}, "longer than 10 years"},
		{[]string{"--from", "1/11/2026"}, "--from must be an RFC 3339 time"},
		{[]string{"--kind", "lamp"}, "--kind"},
		{[]string{"--zone", "ngo-9"}, `unknown zone "ngo-9"`},
		{[]string{"--format", "xlsx"}, "--format"},
		{[]string{"--source", "excel"}, "--source"},
		{[]string{"--area", "all"}, "needs --source influx"},
		{[]string{"--area", "khu11"}, "use source=influx"},
		{[]string{"--source", "influx"}, "InfluxDB"},
	} {
		if _, err := runReport(t, cfg, append([]string{"uptime"}, c.args...)...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
