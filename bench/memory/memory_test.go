package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseNamesEveryProblem(t *testing.T) {
	_, err := parse([]string{"-devices", "3", "-duration", "1m"}, func(string) string { return "" }, io.Discard)
	if err == nil {
		t.Fatal("bad flags accepted")
	}
	for _, want := range []string{"-hamletd", "-broker", "-devices 3", "-duration 1m0s"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	o, err := parse([]string{"-hamletd", "x"}, func(k string) string { return map[string]string{"HAMLET_MQTT_BROKER": "tcp://b:1"}[k] }, io.Discard)
	if err != nil || o.broker != "tcp://b:1" || o.devices != 5000 || o.duration != 5*time.Minute {
		t.Fatalf("defaults: %+v %v", o, err)
	}
}

func TestAreaSpecAddsUp(t *testing.T) {
	s := areaSpec(5000, 10*time.Second)
	if n := s.Lights + s.Shelly + s.NativeLights + s.Speakers + s.Cameras; n != 5000 {
		t.Fatalf("%d devices, want 5000: %+v", n, s)
	}
	if connections(s) != 5000-s.Cameras+1 {
		t.Fatalf("connections %d", connections(s))
	}
}

func TestMarkdownVerdicts(t *testing.T) {
	mib := int64(1 << 20)
	r := result{o: options{devices: 10, duration: 3 * time.Minute, idle: time.Minute, period: 10 * time.Second, every: 10 * time.Second},
		spec: areaSpec(10, 10*time.Second), declared: 10}
	for i := range 6 {
		r.idle = append(r.idle, sample{at: time.Duration(i) * 10 * time.Second, rss: 20 * mib})
	}
	for i := range 19 { // 3 minutes, growing from 30 to 48 MB
		r.loaded = append(r.loaded, sample{at: time.Minute + time.Duration(i)*10*time.Second, rss: (30 + int64(i)) * mib, reports: float64(i * 10)})
	}
	r.counters(map[string]float64{}, map[string]float64{"hamlet_ingest_reports_total": 180})
	md := r.markdown()
	for _, want := range []string{sectionTitle, "Goal: under 60 MB**: met (peak sample 48.0 MB", "**Flat**", "NOT met (last minute 45.5 MB, limit 37.8 MB)", "| 3 | 6 |", "2.40× the baseline"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
