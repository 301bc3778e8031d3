package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/sim"
	"github.com/hamlet-vn/hamlet/store"
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
	fleet, err := sim.New(spec, sim.Options{Broker: brokerURL, Logger: logger})
	if err != nil {
		return err
	}
	for _, z := range fleet.Zones() {
		cfg.Zones = append(cfg.Zones, config.Zone{ID: z, Name: "Ngõ " + z[len(z)-1:]})
	}
	for _, d := range fleet.Devices() {
		cfg.Devices = append(cfg.Devices, config.Device{ID: d.ID, Name: d.Name, Kind: string(d.Kind), Zone: d.Zone,
			Protocol: string(d.Protocol), Topic: d.Topic, FullTopic: d.FullTopic, Channel: d.Channel})
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("demo config: %w", err)
	}

	password, err := demoLogin(ctx, cfg)
	if err != nil {
		return err
	}

	// The daemon gets its own context: on Ctrl+C the fleet (a source) stops
	// first, then the daemon, as in production where devices outlive it.
	dctx, stopDaemon := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDaemon()
	d := daemon.New(cfg, daemon.Options{Logger: logger, Version: version})
	done := make(chan error, 1)
	go func() { done <- d.Run(dctx) }()
	select {
	case <-d.Ready():
	case err := <-done:
		return err
	}
	fleetDone := make(chan error, 1)
	go func() { fleetDone <- fleet.Run(ctx) }()
	abs, _ := filepath.Abs(fl.dir)
	fmt.Fprintf(e.stdout, `
  hamlet demo — khu mô phỏng / simulated area %q
  API:              http://%[2]s/api/v1/devices
  Đăng nhập / login: %[3]s / %[4]s
    curl -c jar -H 'Content-Type: application/json' -d '{"username":"%[3]s","password":"%[4]s"}' http://%[2]s/api/v1/login
    curl -b jar http://%[2]s/api/v1/devices
  Broker MQTT:      %[5]s
  Dữ liệu / data:   %[6]s
  Dừng / stop:      Ctrl+C

`, cfg.Area.Name, d.HTTPAddr(), demoUser, password, d.BrokerURL(), abs)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	if err := <-fleetDone; err != nil {
		logger.Error("simulated fleet stopped with an error", "err", err)
	}
	stopDaemon()
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

// demoUser is the demo's administrator.
const demoUser = "admin"

// demoLogin creates the demo's administrator, or gives it a new password when
// it exists from an earlier demo run, and returns the password.
func demoLogin(ctx context.Context, cfg config.Config) (string, error) {
	db, err := store.Open(ctx, cfg.Storage.Dir, nil)
	if err != nil {
		return "", err
	}
	defer db.Close()
	b := make([]byte, 9)
	rand.Read(b)
	password := base64.RawURLEncoding.EncodeToString(b)
	if _, err := db.UserByName(ctx, demoUser); err == nil {
		return password, accounts.SetUserPassword(ctx, db, demoUser, password, accounts.DefaultPasswordParams())
	}
	_, err = accounts.CreateUser(ctx, db, accounts.NewUser{Name: demoUser, Role: "admin", Password: password}, nil, accounts.DefaultPasswordParams())
	return password, err
}
