package testsvc

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestInfluxWriteQueryRestart(t *testing.T) {
	t.Parallel()
	i := StartInflux(t)
	if i.Bucket() != "hamlet/autogen" {
		t.Fatalf("Bucket() = %q", i.Bucket())
	}

	// A raw v1 write, then a raw v2 write as influxdb-client-go/v2 sends it.
	resp, err := http.Post(i.URL()+"/write?db=hamlet", "text/plain", strings.NewReader("light,device=den-01 power_w=35.5 1700000000000000000\n"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /write: %s", resp.Status)
	}
	resp, err = http.Post(i.URL()+"/api/v2/write?bucket="+i.Bucket()+"&precision=s", "text/plain", strings.NewReader("light,device=den-02 power_w=12 1700000001\n"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /api/v2/write: %s", resp.Status)
	}
	i.Write(t, "light,device=den-03 on=true,mode=\"auto\" 1700000002000000000")

	want := func(when string) {
		t.Helper()
		rows := i.Query(t, `SELECT power_w FROM light WHERE device = 'den-01'`)
		if len(rows) != 1 || rows[0][0] != "2023-11-14T22:13:20Z" || rows[0][1] != 35.5 {
			t.Fatalf("%s: rows = %v, want [[2023-11-14T22:13:20Z 35.5]]", when, rows)
		}
		series := i.QuerySeries(t, `SELECT count(power_w) FROM light GROUP BY device`)
		if len(series) != 2 || series[1].Tags["device"] != "den-02" || series[1].Columns[1] != "count" {
			t.Fatalf("%s: series = %+v", when, series)
		}
	}
	want("after write")
	if rows := i.Query(t, `SELECT * FROM light WHERE device = 'nobody'`); rows != nil {
		t.Fatalf("rows of an empty result = %v, want nil", rows)
	}
	if rows := i.Query(t, `SELECT "on", mode FROM light WHERE device = 'den-03'`); len(rows) != 1 || rows[0][1] != true || rows[0][2] != "auto" {
		t.Fatalf("bool and string fields: rows = %v", rows)
	}

	// Flux, which uptime reports across areas use.
	req, _ := http.NewRequest(http.MethodPost, i.URL()+"/api/v2/query",
		strings.NewReader(`from(bucket:"hamlet/autogen") |> range(start: 2023-11-14T00:00:00Z, stop: 2023-11-15T00:00:00Z) |> filter(fn: (r) => r.device == "den-01")`))
	req.Header.Set("Content-Type", "application/vnd.flux")
	req.Header.Set("Accept", "application/csv")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "35.5") {
		t.Fatalf("Flux query: %s: %s", resp.Status, body)
	}

	i.Stop()
	if err := i.health(); err == nil {
		t.Fatal("influxd still answers after Stop")
	}
	i.Start()
	want("after Stop/Start")

	i.Kill()
	i.Start()
	want("after Kill/Start")
}

// recorder is a testing.TB that records Fatalf and Skipf instead of ending
// the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = f }
func (r *recorder) Skipf(f string, args ...any)  { r.skip = f }

func TestSkipUnavailable(t *testing.T) {
	missing := func() error { _, err := findBinary("/nonexistent/mosquitto", "hamlet-no-such-binary"); return err }()
	if missing == nil {
		t.Fatal("findBinary found a missing binary")
	}
	t.Setenv(RequireEnv, "")
	r := &recorder{TB: t}
	skipUnavailable(r, "mosquitto", missing)
	if r.skip == "" || r.fatal != "" {
		t.Fatalf("without %s: skip=%q fatal=%q, want a skip", RequireEnv, r.skip, r.fatal)
	}
	t.Setenv(RequireEnv, "1")
	r = &recorder{TB: t}
	skipUnavailable(r, "mosquitto", missing)
	if r.fatal == "" || r.skip != "" {
		t.Fatalf("with %s=1: skip=%q fatal=%q, want a failure", RequireEnv, r.skip, r.fatal)
	}
}

func TestFreePortIsBindable(t *testing.T) {
	t.Parallel()
	ports := freePorts(t, 2)
	if ports[0] == ports[1] || ports[0] <= 0 {
		t.Fatalf("freePorts = %v", ports)
	}
	if p := FreePort(t); p <= 0 || p > 65535 {
		t.Fatalf("FreePort = %d", p)
	}
}
