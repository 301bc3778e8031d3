package e2e

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
)

// countField returns InfluxQL's count of field in measurement, 0 when there
// is no point.
func countField(t *testing.T, in *testsvc.Influx, measurement, field string) int {
	t.Helper()
	return countWhere(t, in, measurement, field, "")
}

// countWhere is countField over the points matching an InfluxQL condition
// (none when empty).
func countWhere(t *testing.T, in *testsvc.Influx, measurement, field, where string) int {
	t.Helper()
	rows := in.Query(t, fmt.Sprintf(`SELECT count(%q) FROM %q`, field, measurement)+whereClause(where))
	if len(rows) == 0 || len(rows[0]) < 2 {
		return 0
	}
	n, _ := rows[0][1].(float64)
	return int(n)
}

// whereClause is " WHERE cond", or "" for no condition.
func whereClause(cond string) string {
	if cond == "" {
		return ""
	}
	return " WHERE " + cond
}

// waitCount polls the count of energy_kwh in measurement (of the points
// matching where) every 200ms until it reaches want or timeout passes, and
// returns the last count.
func waitCount(t *testing.T, in *testsvc.Influx, measurement, where string, want int, timeout time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := countWhere(t, in, measurement, "energy_kwh", where)
		if n >= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sequenceCheck compares the energy_kwh points of the given devices in
// measurement with what Blast sent: message k of every device carries
// ENERGY.Total = k/1000 kWh at start + k seconds.
type sequenceCheck struct {
	measurement string
	ids         []string // device ids, in Blast's device order
	messages    int
	start       time.Time // sim.BlastResult.Start
	// where restricts the check to the points matching an InfluxQL
	// condition, when other devices write to the same measurement.
	where string
}

// problems queries InfluxDB and returns every discrepancy: missing sequence
// numbers per device (as ranges), points at the wrong time, unexpected
// values or devices. It returns nil when each device holds exactly messages
// points, one per sequence number, each at its time.
func (c sequenceCheck) problems(t *testing.T, in *testsvc.Influx) []string {
	t.Helper()
	index := map[string]int{}
	seen := make([][]bool, len(c.ids))
	for i, id := range c.ids {
		index[id] = i
		seen[i] = make([]bool, c.messages)
	}
	var out []string
	series := in.QuerySeries(t, fmt.Sprintf(`SELECT "energy_kwh" FROM %q%s GROUP BY "device"`, c.measurement, whereClause(c.where)))
	for _, s := range series {
		dev := s.Tags["device"]
		i, ok := index[dev]
		if !ok {
			out = append(out, fmt.Sprintf("device %q: %d points from a device that was not expected", dev, len(s.Values)))
			continue
		}
		for _, row := range s.Values {
			if p := c.point(dev, row, seen[i]); p != "" && len(out) < 50 {
				out = append(out, p)
			}
		}
	}
	for i, id := range c.ids {
		if missing := ranges(seen[i]); missing != "" {
			out = append(out, fmt.Sprintf("device %s: missing sequence numbers %s", id, missing))
		}
	}
	return out
}

// point checks one row [time, energy_kwh] of device dev and marks it seen.
func (c sequenceCheck) point(dev string, row []any, seen []bool) string {
	ts, _ := row[0].(string)
	v, ok := row[1].(float64)
	if !ok {
		return fmt.Sprintf("device %s: point at %s has energy_kwh %v, not a number", dev, ts, row[1])
	}
	k := int(math.Round(v * 1000))
	if k < 0 || k >= c.messages || math.Abs(v*1000-float64(k)) > 1e-6 {
		return fmt.Sprintf("device %s: point at %s has energy_kwh %v, not a sequence number/1000 below %d", dev, ts, v, c.messages)
	}
	at, err := time.Parse(time.RFC3339Nano, ts)
	if want := c.start.Add(time.Duration(k) * time.Second); err != nil || !at.Equal(want) {
		return fmt.Sprintf("device %s: sequence %d is at %s, want %s", dev, k, ts, want.UTC().Format(time.RFC3339))
	}
	if seen[k] {
		return fmt.Sprintf("device %s: sequence %d stored twice", dev, k)
	}
	seen[k] = true
	return ""
}

// ranges lists the indexes of seen that are false, as "3, 7-9".
func ranges(seen []bool) string {
	var parts []string
	for i := 0; i < len(seen); i++ {
		if seen[i] {
			continue
		}
		j := i
		for j+1 < len(seen) && !seen[j+1] {
			j++
		}
		if i == j {
			parts = append(parts, fmt.Sprint(i))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", i, j))
		}
		i = j
	}
	if len(parts) > 20 {
		parts = append(parts[:20], fmt.Sprintf("… (%d ranges)", len(parts)))
	}
	return strings.Join(parts, ", ")
}

// ids returns the device ids of topics.
func ids(topics []string) []string {
	out := make([]string, len(topics))
	for i, tp := range topics {
		out[i] = deviceID(tp)
	}
	return out
}

// requireAll waits until measurement holds want energy_kwh points, then
// checks every sequence number; it fails the test with the precise
// discrepancies otherwise.
func requireAll(t *testing.T, in *testsvc.Influx, c sequenceCheck, timeout time.Duration) {
	t.Helper()
	want := len(c.ids) * c.messages
	began := time.Now()
	n := waitCount(t, in, c.measurement, c.where, want, timeout)
	t.Logf("InfluxDB: SELECT count(energy_kwh) FROM %s = %d (want %d) after %s", c.measurement, n, want, time.Since(began).Round(time.Millisecond))
	probs := c.problems(t, in)
	if n != want || len(probs) > 0 {
		sort.Strings(probs)
		t.Fatalf("InfluxDB holds %d of %d points; %d problems:\n%s", n, want, len(probs), strings.Join(probs, "\n"))
	}
}
