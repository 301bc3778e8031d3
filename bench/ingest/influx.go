package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// influx is a minimal InfluxQL client for one InfluxDB 1.8 database.
type influx struct {
	url, db string
	client  *http.Client
}

func newInflux(u, db string) *influx {
	return &influx{url: strings.TrimSuffix(u, "/"), db: db, client: &http.Client{Timeout: 60 * time.Second}}
}

// series is one series of an InfluxQL answer.
type series struct {
	Tags   map[string]string `json:"tags"`
	Values [][]any           `json:"values"`
}

// query runs one statement and returns its series.
func (c *influx) query(ctx context.Context, q string) ([]series, error) {
	form := url.Values{"db": {c.db}, "q": {q}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/query", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var r struct {
		Results []struct {
			Series []series `json:"series"`
			Error  string   `json:"error"`
		} `json:"results"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", q, resp.Status, err)
	}
	if r.Error != "" {
		return nil, fmt.Errorf("%s: %s", q, r.Error)
	}
	var out []series
	for _, res := range r.Results {
		if res.Error != "" {
			return nil, fmt.Errorf("%s: %s", q, res.Error)
		}
		out = append(out, res.Series...)
	}
	return out, nil
}

// count returns the number of energy_kwh values in measurement light.
func (c *influx) count(ctx context.Context) (int, error) {
	s, err := c.query(ctx, `SELECT count("energy_kwh") FROM "light"`)
	if err != nil || len(s) == 0 || len(s[0].Values) == 0 || len(s[0].Values[0]) < 2 {
		return 0, err
	}
	n, _ := s[0].Values[0][1].(float64)
	return int(n), nil
}

// sequences returns, per device tag, which sequence numbers (energy_kwh ×
// 1000, as the simulator's Blast sends them) are stored at the time Blast
// gave them (start + k seconds), and how many points are not such a number.
func (c *influx) sequences(ctx context.Context, messages int, start time.Time) (map[string][]bool, int, error) {
	ss, err := c.query(ctx, `SELECT "energy_kwh" FROM "light" GROUP BY "device"`)
	if err != nil {
		return nil, 0, err
	}
	out := map[string][]bool{}
	bad := 0
	for _, s := range ss {
		seen := make([]bool, messages)
		for _, row := range s.Values {
			ts, _ := row[0].(string)
			v, _ := row[1].(float64)
			k := int(math.Round(v * 1000))
			at, err := time.Parse(time.RFC3339Nano, ts)
			if k < 0 || k >= messages || err != nil || !at.Equal(start.Add(time.Duration(k)*time.Second)) {
				bad++
				continue
			}
			seen[k] = true
		}
		out[s.Tags["device"]] = seen
	}
	return out, bad, nil
}
