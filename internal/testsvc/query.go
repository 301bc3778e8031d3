package testsvc

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Series is one series of an InfluxQL result: a measurement, the tag values of
// its GROUP BY, its column names and its rows.
type Series struct {
	Name    string            `json:"name"`
	Tags    map[string]string `json:"tags"`
	Columns []string          `json:"columns"`
	Values  [][]any           `json:"values"`
}

// queryResponse is the body of /query.
type queryResponse struct {
	Results []struct {
		Series []Series `json:"series"`
		Error  string   `json:"error"`
	} `json:"results"`
	Error string `json:"error"`
}

// Query runs one InfluxQL statement against the database "hamlet" (POST
// /query?db=hamlet, so SELECT, SHOW, DROP and DELETE all work) and returns the
// rows of the first series, or nil when there is none. Columns are in the
// order of the series' Columns (time first): time is an RFC 3339 string with
// nanoseconds, numbers are float64, strings string, booleans bool, missing
// values nil. It fails t on any error. Use QuerySeries for every series with
// names, tags and columns.
func (i *Influx) Query(t testing.TB, influxQL string) [][]any {
	t.Helper()
	series := i.QuerySeries(t, influxQL)
	if len(series) == 0 {
		return nil
	}
	return series[0].Values
}

// QuerySeries runs one InfluxQL statement like Query and returns every series
// of its result.
func (i *Influx) QuerySeries(t testing.TB, influxQL string) []Series {
	t.Helper()
	form := url.Values{"db": {Database}, "q": {influxQL}}
	resp, err := i.client.PostForm(i.URL()+"/query", form)
	if err != nil {
		t.Fatalf("testsvc: influx query %q: %v", influxQL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("testsvc: influx query %q: read answer: %v", influxQL, err)
	}
	var r queryResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("testsvc: influx query %q: %s: decode %q: %v", influxQL, resp.Status, truncate(body), err)
	}
	if r.Error != "" {
		t.Fatalf("testsvc: influx query %q: %s: %s", influxQL, resp.Status, r.Error)
	}
	var out []Series
	for _, res := range r.Results {
		if res.Error != "" {
			t.Fatalf("testsvc: influx query %q: %s", influxQL, res.Error)
		}
		out = append(out, res.Series...)
	}
	return out
}

// Write writes points in line protocol with nanosecond timestamps to the
// database "hamlet" (POST /write) and fails t unless InfluxDB accepts all of
// them.
func (i *Influx) Write(t testing.TB, lineProtocol string) {
	t.Helper()
	u := i.URL() + "/write?" + url.Values{"db": {Database}, "precision": {"ns"}}.Encode()
	resp, err := i.client.Post(u, "text/plain; charset=utf-8", strings.NewReader(lineProtocol))
	if err != nil {
		t.Fatalf("testsvc: influx write: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("testsvc: influx write: %s: %s", resp.Status, truncate(body))
	}
}

func truncate(b []byte) string {
	const limit = 512
	if len(b) > limit {
		return fmt.Sprintf("%s… (%d bytes)", b[:limit], len(b))
	}
	return string(b)
}
