package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/sim"
)

// Shape of BenchmarkDaemonIngest: benchDevices meters declared as lights,
// benchMessages messages each per iteration.
const (
	benchDevices  = 1000
	benchMessages = 50
)

// BenchmarkDaemonIngest runs the daemon's composition root in this process
// against real Mosquitto and InfluxDB and, per iteration, publishes
// benchDevices × benchMessages Tasmota messages at QoS 1 and waits until
// InfluxDB holds every point. It reports msg/s; its CPU profile shows
// where hamletd spends its time (the publisher runs in the same process, in
// devices/sim and paho).
func BenchmarkDaemonIngest(b *testing.B) {
	mq := testsvc.StartMosquitto(b)
	in := testsvc.StartInflux(b)
	cfg := loadConfig(b, mq.URL(), in.URL(), in.Bucket())
	ctx, cancel := context.WithCancel(context.Background())
	d := daemon.New(cfg, daemon.Options{Version: "bench"})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("daemon: %v", err)
		}
	})
	select {
	case <-d.Ready():
	case err := <-done:
		b.Fatalf("daemon stopped: %v", err)
	case <-time.After(30 * time.Second):
		b.Fatal("daemon not ready after 30s")
	}
	base := time.Now()
	total := benchDevices * benchMessages
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Each iteration's device times lie in their own window, so that
		// its points never overwrite another's.
		now := base.Add(-time.Duration(i*(benchMessages+1)) * time.Second)
		res, err := sim.Blast(ctx, sim.BlastOptions{Broker: mq.URL(), Devices: benchDevices, Messages: benchMessages,
			Prefix: "m_", Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		q := fmt.Sprintf(`SELECT count(energy_kwh) FROM light WHERE time >= %d AND time < %d`,
			res.Start.UnixNano(), res.Start.Add(benchMessages*time.Second).UnixNano())
		deadline := time.Now().Add(2 * time.Minute)
		for count(b, in, q) < total {
			if time.Now().After(deadline) {
				b.Fatalf("InfluxDB holds %d of %d points after 2 minutes", count(b, in, q), total)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "msg/s")
}

// count returns the single number an InfluxQL count query answers.
func count(b *testing.B, in *testsvc.Influx, q string) int {
	rows := in.Query(b, q)
	if len(rows) == 0 {
		return 0
	}
	n, _ := rows[0][1].(float64)
	return int(n)
}

// loadConfig writes and loads the daemon's config, as hamletd would.
func loadConfig(b *testing.B, broker, influxURL, bucket string) config.Config {
	dir := b.TempDir()
	var s strings.Builder
	fmt.Fprintf(&s, `area: {id: bench, timezone: Asia/Ho_Chi_Minh}
mqtt: {broker: %q, client_id: hamletd-bench}
influx: {url: %q, bucket: %q}
http: {listen: "127.0.0.1:0"}
storage: {dir: %q}
log: {level: warn}
zones: [{id: z1}]
devices:
`, broker, influxURL, bucket, filepath.Join(dir, "data"))
	for i := range benchDevices {
		topic := fmt.Sprintf("m_%04d", i)
		fmt.Fprintf(&s, "  - {id: m-%04d, kind: light, zone: z1, protocol: tasmota, topic: %s}\n", i, topic)
	}
	path := filepath.Join(dir, "hamlet.yaml")
	if err := os.WriteFile(path, []byte(s.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.LoadWith(config.LoadOptions{Path: path, Getenv: func(string) string { return "" }})
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}
