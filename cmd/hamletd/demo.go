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
	"github.com/hamlet-vn/hamlet/sim"
)

// demoFlags are the options of `hamletd demo`.
type demoFlags struct {
	broker     string
	listen     string
	mqttListen string
	dir        string
	faults     bool
}

// demoCommand is `hamletd demo`: a newcomer's one command. It runs the
// daemon on the embedded broker (or a running one), a simulated area of
// street lights, cameras and speakers, a light programme and a scheduled
// bulletin, and prints the URL and a login for each role.
func demoCommand(e *env) *cobra.Command {
	var fl demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Chạy thử một khu mô phỏng / run hamletd with a simulated area",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), e, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.broker, "broker", "", "địa chỉ máy chủ MQTT đang chạy; để trống thì dùng máy chủ nhúng / a running broker URL; empty = the embedded broker")
	f.StringVar(&fl.listen, "listen", "127.0.0.1:8080",
		"địa chỉ HTTP; 0.0.0.0:8080 để điện thoại trong mạng LAN mở được / HTTP listen address; 0.0.0.0:8080 serves phones on the LAN")
	f.StringVar(&fl.mqttListen, "mqtt-listen", "127.0.0.1:1883", "địa chỉ của máy chủ MQTT nhúng / where the embedded broker listens")
	f.StringVar(&fl.dir, "dir", "hamlet-demo", "thư mục dữ liệu của bản chạy thử / the demo's state directory")
	f.BoolVar(&fl.faults, "faults", true, "gây lỗi thiết bị định kỳ / inject device faults now and then")
	return cmd
}

// demoZones are the simulated area's lanes.
var demoZones = []string{"ngo-1", "ngo-2", "ngo-3", "ngo-4"}

// demoSpec is the simulated area: 40 street lights in 4 zones (Tasmota,
// Shelly, ESPHome, 4-relay Tasmota cabinets and Shelly Pro 4PMs), 6 Frigate
// cameras and 8 native speakers that play what they are sent and report.
func demoSpec(cfg config.Config) sim.Spec {
	return sim.Spec{Area: cfg.Area.ID, Prefix: cfg.MQTT.TopicPrefix, Zones: demoZones,
		Lights: 16, Shelly: 4, ESPHome: 4, Cabinets: 2, Pro4PM: 2, Cameras: 6, Speakers: 8,
		Period: 10 * time.Second, Seed: 1}
}

func runDemo(ctx context.Context, e *env, fl demoFlags) error {
	say := func(format string, args ...any) { fmt.Fprintf(e.stderr, "hamlet demo: "+format+"\n", args...) }
	cfg := config.Default()
	cfg.Log.Level = "warn"
	cfg.Storage.Dir = fl.dir
	cfg.HTTP.Listen = fl.listen
	cfg.MQTT.Listen = fl.mqttListen
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
	if err := os.MkdirAll(fl.dir, 0o750); err != nil {
		return err
	}
	release, err := demoLock(fl.dir)
	if err != nil {
		return err
	}
	defer release()
	if err := checkFree(cfg.HTTP.Listen, "--listen (make demo LISTEN=…)"); err != nil {
		return err
	}
	if cfg.MQTT.Broker == config.EmbeddedBroker {
		if err := checkFree(cfg.MQTT.Listen, "--mqtt-listen"); err != nil {
			return err
		}
	}
	spec := demoSpec(cfg)
	if fl.faults {
		spec.Chaos = time.Minute
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
		cfg.Zones = append(cfg.Zones, config.Zone{ID: z, Name: "Ngõ " + z[len(z)-1:], BroadcastWindows: []string{"05:30-06:30", "17:00-18:00"}})
	}
	for _, d := range fleet.Devices() {
		cfg.Devices = append(cfg.Devices, config.Device{ID: d.ID, Name: d.Name, Kind: string(d.Kind), Zone: d.Zone,
			Protocol: string(d.Protocol), Topic: d.Topic, FullTopic: d.FullTopic, Channel: d.Channel})
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("demo config: %w", err)
	}
	say("khu mô phỏng %d thiết bị trong %d ngõ / a simulated area of %d devices in %d lanes", len(cfg.Devices), len(cfg.Zones),
		len(cfg.Devices), len(cfg.Zones))
	logins, err := demoLogins(ctx, cfg, demoAccounts(demoZones[0]))
	if err != nil {
		return err
	}

	// The daemon gets its own context: on Ctrl+C the fleet (a source) stops
	// first, then the daemon, as in production where devices outlive it.
	say("khởi động hamletd và broker MQTT / starting hamletd and its MQTT broker")
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
	say("các thiết bị mô phỏng kết nối / the simulated devices connect")
	fleetDone := make(chan error, 1)
	go func() { fleetDone <- fleet.Run(ctx) }()
	base := "http://" + localAddr(d.HTTPAddr())
	seedDemo(ctx, e, fl.dir, base, logins[0].Name, logins[0].Password)
	printDemo(e, cfg, d, logins, fl.dir)

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	say("đang dừng: thiết bị mô phỏng, hamletd, broker / stopping: simulated devices, hamletd, broker")
	if err := <-fleetDone; err != nil {
		logger.Error("simulated fleet stopped with an error", "err", err)
	}
	stopDaemon()
	err = <-done
	if err == nil {
		say("đã dừng tất cả; dữ liệu giữ trong %s / everything stopped; state kept in %s", fl.dir, fl.dir)
	}
	return err
}

// printDemo prints where to go and who to be.
func printDemo(e *env, cfg config.Config, d *daemon.Daemon, logins []demoAccount, dir string) {
	abs, _ := filepath.Abs(dir)
	url := "http://" + localAddr(d.HTTPAddr()) + "/"
	w := e.stdout
	fmt.Fprintf(w, "\n  hamlet demo — khu mô phỏng / simulated area %q\n", cfg.Area.Name)
	fmt.Fprintf(w, "  Mở / open:        %s\n", url)
	lan := lanURLs(cfg.HTTP.Listen)
	for _, u := range lan {
		fmt.Fprintf(w, "  Điện thoại / phone (same Wi-Fi): %s\n", u)
	}
	fmt.Fprintf(w, "\n  Đăng nhập / logins:\n")
	for _, a := range logins {
		fmt.Fprintf(w, "    %-10s %-14s %-9s %s\n", a.Name, a.Password, a.Role, a.Can)
	}
	fmt.Fprintf(w, "\n  API:              %sapi/v1/devices\n", url)
	fmt.Fprintf(w, "    curl -c jar -H 'Content-Type: application/json' -d '{\"username\":\"%s\",\"password\":\"%s\"}' %sapi/v1/login\n",
		logins[0].Name, logins[0].Password, url)
	fmt.Fprintf(w, "    curl -b jar %sapi/v1/devices\n", url)
	fmt.Fprintf(w, "  Broker MQTT:      %s\n", d.BrokerURL())
	if cfg.Influx.URL != "" {
		fmt.Fprintf(w, "  InfluxDB:         %s (%s)\n", cfg.Influx.URL, cfg.Influx.Bucket)
	} else {
		fmt.Fprintf(w, "  InfluxDB:         không dùng / not used (scripts/install-services.sh, then make demo again)\n")
	}
	fmt.Fprintf(w, "  Dữ liệu / data:   %s\n  Dừng / stop:      Ctrl+C\n\n", abs)
	if len(lan) > 0 {
		fmt.Fprintf(w, "  Quét bằng điện thoại / scan with a phone: %s\n%s\n", lan[0], qr(lan[0]))
	}
}

// localAddr turns an address bound on every interface into one this machine's
// browser can open.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && (host == "" || host == "::" || host == "0.0.0.0") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}
