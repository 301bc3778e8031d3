package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/devices/sim"
)

// demoFlags are the options of `hamletd demo`.
type demoFlags struct {
	broker string
	listen string
	dir    string
	faults bool
}

// demoCommand is `hamletd demo`: a newcomer's one command. It runs the
// daemon on the embedded broker (or a running one), a simulated area of
// street lights, cameras and speakers, and prints the URL and login.
func demoCommand(e *env) *cobra.Command {
	var fl demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Chạy thử một khu mô phỏng / run hamletd with a simulated area",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), e, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.broker, "broker", "", "MQTT broker đang chạy; trống = broker nhúng / a running broker URL; empty = the embedded broker")
	f.StringVar(&fl.listen, "listen", "127.0.0.1:8080", "địa chỉ HTTP / HTTP listen address (a free port is used if taken)")
	f.StringVar(&fl.dir, "dir", "hamlet-demo", "thư mục dữ liệu của bản chạy thử / the demo's state directory")
	f.BoolVar(&fl.faults, "faults", true, "gây lỗi thiết bị định kỳ / inject device faults now and then")
	return cmd
}

func runDemo(ctx context.Context, e *env, fl demoFlags) error {
	cfg := config.Default()
	cfg.Log.Level = "info"
	cfg.Storage.Dir = fl.dir
	cfg.HTTP.Listen = freeOr(fl.listen)
	cfg.MQTT.Listen = freeOr(cfg.MQTT.Listen)
	if fl.broker == "" {
		fl.broker = e.getenv("HAMLET_MQTT_BROKER")
	}
	if fl.broker != "" {
		cfg.MQTT.Broker = fl.broker
	}
	cfg.Influx.URL = e.getenv("HAMLET_INFLUX_URL")
	if b := e.getenv("HAMLET_INFLUX_BUCKET"); b != "" {
		cfg.Influx.Bucket = b
	}
	cfg.MQTT.ClientID = "hamletd-demo"
	spec := sim.Spec{Area: cfg.Area.ID, Prefix: cfg.MQTT.TopicPrefix, Zones: []string{"ngo-1", "ngo-2", "ngo-3"},
		Lights: 8, Shelly: 2, ESPHome: 2, Cameras: 3, Speakers: 4, Period: 10 * time.Second, Seed: 1}
	if fl.faults {
		spec.Chaos = time.Minute
	}
	if err := os.MkdirAll(fl.dir, 0o750); err != nil {
		return err
	}
	logger := daemon.NewLogger(cfg.Log, e.stderr)

	// The fleet's devices are declared like an installer would; it connects
	// once the daemon (and its embedded broker) is up.
	brokerURL := cfg.MQTT.Broker
	if brokerURL == config.EmbeddedBroker {
		brokerURL = "tcp://" + cfg.MQTT.Listen
	}
	fleet, err := sim.New(spec, sim.Options{Broker: brokerURL, Logger: logger.With("component", "sim")})
	if err != nil {
		return err
	}
	for _, z := range fleet.Zones() {
		cfg.Zones = append(cfg.Zones, config.Zone{ID: z, Name: "Ngõ " + z[len(z)-1:]})
	}
	for _, d := range fleet.Devices() {
		cfg.Devices = append(cfg.Devices, config.Device{ID: d.ID, Name: d.Name, Kind: string(d.Kind), Zone: d.Zone,
			Protocol: string(d.Protocol), Topic: d.Topic, FullTopic: d.FullTopic})
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("demo config: %w", err)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := daemon.New(cfg, daemon.Options{Logger: logger, Version: version})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	select {
	case <-d.Ready():
	case err := <-done:
		return err
	}
	go func() {
		if err := fleet.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Error("simulated fleet stopped", "err", err)
		}
	}()
	abs, _ := filepath.Abs(fl.dir)
	fmt.Fprintf(e.stdout, `
  hamlet demo — khu mô phỏng / simulated area %q
  Mở / open:     http://%s
  Broker MQTT:   %s
  Dữ liệu / data: %s
  Dừng / stop:   Ctrl+C

`, cfg.Area.Name, d.HTTPAddr(), d.BrokerURL(), abs)
	return <-done
}

// freeOr returns addr when it can be bound now, else the same host on a free port.
func freeOr(addr string) string {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		ln.Close()
		return addr
	}
	host, _, _ := net.SplitHostPort(addr)
	if ln, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
		return addr
	}
	defer ln.Close()
	return ln.Addr().String()
}
