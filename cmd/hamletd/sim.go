package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/sim"
)

// simFlags are the options of `hamletd sim`.
type simFlags struct {
	broker, username, password string
	spec                       sim.Spec
	zones                      string
	faults                     bool
	faultEvery                 time.Duration
	logLevel                   string
	printConfig                bool
	blast                      string
}

// simCommand is `hamletd sim`: a simulated area on a broker, until interrupted.
func simCommand(e *env) *cobra.Command {
	var fl simFlags
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Mô phỏng thiết bị của một khu / simulate an area's devices on an MQTT broker",
		Long: `Mô phỏng đèn đường (Tasmota, Shelly, ESPHome), camera (Frigate) và loa (giao thức riêng của hamlet)
trên một MQTT broker, mỗi thiết bị một kết nối với Last Will riêng, nói đúng định dạng của firmware thật.
Chạy đến khi bị ngắt (Ctrl+C). --faults gây lỗi khoảng mỗi phút: rớt kết nối (có/không Last Will),
khôi phục, dữ liệu hỏng. --print-config in phần zones/devices cho file cấu hình của hamletd.

Simulates street lights (Tasmota, Shelly, ESPHome), cameras (Frigate) and speakers (hamlet's native
contract) on an MQTT broker, one connection with its own Last Will per device, speaking the real firmware
formats. Runs until interrupted. --faults injects a fault about every minute: dropped connections (with or
without the will), restores, garbage payloads. --print-config prints the zones/devices config sections.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSim(cmd, e, &fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.broker, "broker", "tcp://127.0.0.1:1883", "địa chỉ MQTT broker / broker URL (tcp://, ssl://)")
	f.StringVar(&fl.username, "username", "", "tên đăng nhập máy chủ MQTT / broker username")
	f.StringVar(&fl.password, "password", "", "mật khẩu máy chủ MQTT (hoặc biến môi trường HAMLET_MQTT_PASSWORD) / broker password (or HAMLET_MQTT_PASSWORD)")
	f.StringVar(&fl.spec.Area, "area", sim.DefaultArea, "mã khu / area id")
	f.StringVar(&fl.spec.Prefix, "prefix", sim.DefaultPrefix, "tiền tố chủ đề MQTT của giao thức riêng / native topic prefix")
	f.StringVar(&fl.spec.Timezone, "timezone", sim.DefaultTimezone, "múi giờ của khu / the area's timezone")
	f.StringVar(&fl.zones, "zones", "ngo-1,ngo-2", "các tổ/ngõ, cách nhau bởi dấu phẩy / zone ids, comma-separated")
	f.IntVar(&fl.spec.Lights, "lights", 8, "số đèn Tasmota có đo điện / Tasmota street lights with energy meters")
	f.IntVar(&fl.spec.Shelly, "shelly", 2, "số rơ-le Shelly Plus 1PM / Shelly Plus 1PM relays")
	f.IntVar(&fl.spec.ESPHome, "esphome", 2, "số đèn ESPHome (tự khai báo kiểu Home Assistant) / ESPHome lights (HA discovery)")
	f.IntVar(&fl.spec.Cameras, "cameras", 3, "số camera Frigate / Frigate cameras")
	f.IntVar(&fl.spec.Speakers, "speakers", 4, "số loa giao thức riêng / native speakers")
	f.IntVar(&fl.spec.NativeLights, "native-lights", 0, "số đèn giao thức riêng / native lights")
	f.IntVar(&fl.spec.Cabinets, "cabinets", 0, "số tủ Tasmota 4 rơ-le, mỗi rơ-le một đèn / 4-relay Tasmota cabinets, one light per relay")
	f.IntVar(&fl.spec.Pro4PM, "pro4pm", 0, "số Shelly Pro 4PM, mỗi công tắc một đèn / Shelly Pro 4PM, one light per switch")
	f.DurationVar(&fl.spec.Period, "period", sim.DefaultPeriod, "chu kỳ gửi số liệu / telemetry period")
	f.Float64Var(&fl.spec.Speed, "speed", 1, "hệ số tăng tốc thời gian / time speed-up factor")
	f.Int64Var(&fl.spec.Seed, "seed", 1, "hạt giống ngẫu nhiên (lặp lại được) / random seed (reproducible runs)")
	f.BoolVar(&fl.faults, "faults", false, "gây lỗi ngẫu nhiên khoảng mỗi phút / inject a random fault about every minute")
	f.DurationVar(&fl.faultEvery, "fault-every", time.Minute, "khoảng cách giữa các lỗi (thời gian mô phỏng) / time between faults, simulated (with --faults)")
	f.BoolVar(&fl.spec.TasmotaDiscovery, "tasmota-discovery", false, "đèn Tasmota gửi discovery / Tasmota lights publish discovery")
	f.BoolVar(&fl.spec.FirmwareQoS, "firmware-qos", false, "gửi với mức QoS của phần mềm thiết bị thật (0) thay vì 1 / publish with the firmware's QoS instead of 1")
	f.StringVar(&fl.logLevel, "log-level", "info", "mức ghi nhật ký: debug|info|warn / log level")
	f.BoolVar(&fl.printConfig, "print-config", false, "in danh sách khu vực và thiết bị cho tệp cấu hình rồi thoát / print the zones and devices config sections and exit")
	f.StringVar(&fl.blast, "blast", "", "gửi NxM bản tin cảm biến kiểu Tasmota (vd 1000x200) rồi thoát / publish NxM Tasmota SENSOR messages and exit")
	return cmd
}

func runSim(cmd *cobra.Command, e *env, fl *simFlags) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(fl.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: muốn debug, info, warn hoặc error / want debug, info, warn or error", fl.logLevel)
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if fl.password == "" {
		fl.password = e.getenv("HAMLET_MQTT_PASSWORD")
	}
	if fl.blast != "" {
		return runBlast(cmd, e, fl, logger)
	}
	for _, z := range strings.Split(fl.zones, ",") {
		if z = strings.TrimSpace(z); z != "" {
			fl.spec.Zones = append(fl.spec.Zones, z)
		}
	}
	if fl.faults {
		fl.spec.Chaos = fl.faultEvery
	}
	fleet, err := sim.New(fl.spec, sim.Options{Broker: fl.broker, Username: fl.username, Password: fl.password, Logger: logger})
	if err != nil {
		return fmt.Errorf("tham số mô phỏng không hợp lệ / invalid simulation options: %w", err)
	}
	if fl.printConfig {
		return fleet.WriteConfig(e.stdout)
	}
	for _, d := range fleet.Devices() {
		logger.Info("simulated device", "device", d.ID, "kind", string(d.Kind), "protocol", string(d.Protocol),
			"topic", d.Topic, "zone", d.Zone)
	}
	if err := fleet.Run(cmd.Context()); err != nil {
		return fmt.Errorf("mô phỏng dừng vì lỗi / the simulation failed: %w", err)
	}
	return nil
}

// runBlast is `hamletd sim --blast NxM`.
func runBlast(cmd *cobra.Command, e *env, fl *simFlags, logger *slog.Logger) error {
	n, m, ok := strings.Cut(strings.ToLower(fl.blast), "x")
	devices, err1 := strconv.Atoi(n)
	messages, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("--blast %q: muốn dạng NxM, vd 1000x200 / want NxM, e.g. 1000x200", fl.blast)
	}
	res, err := sim.Blast(cmd.Context(), sim.BlastOptions{Broker: fl.broker, Username: fl.username, Password: fl.password,
		Devices: devices, Messages: messages, Timezone: fl.spec.Timezone, Logger: logger})
	if err != nil {
		return fmt.Errorf("gửi hàng loạt thất bại / the blast failed: %w", err)
	}
	fmt.Fprintf(e.stdout, "đã gửi / published %d messages in %v (%.0f/s); device time %s … %s\n", res.Published,
		res.Duration.Round(time.Millisecond), float64(res.Published)/res.Duration.Seconds(),
		res.Start.Format(time.DateTime), res.Start.Add(time.Duration(messages-1)*time.Second).Format(time.DateTime))
	return nil
}
