package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/sim"
)

// telegrafClientID is the benchmark Telegraf's MQTT client id.
const telegrafClientID = "telegraf-bench"

// telegrafConfig is Telegraf's configuration for the same job as hamletd's:
// mqtt_consumer at QoS 1 on a persistent session (a message is acknowledged
// only once its metric is written, max_undelivered_messages at a time, as
// hamletd acknowledges only once a point is durable), the meters' Tasmota
// SENSOR JSON parsed by json_v2 with the time from its Time field, every
// ENERGY number as a field (hamletd stores them too) and the device from the
// topic, written by influxdb_v2 into InfluxDB 1.8's /api/v2/write. Batch and
// undelivered sizes are Telegraf's defaults (1,000), which also match the
// broker's max_inflight_messages (scripts/mosquitto.conf), so more could not
// be in flight anyway; flush_interval 1s rather than 10s so that the tail of
// a phase does not wait for the timer.
const telegrafConfig = `[agent]
  interval = "10s"
  round_interval = false
  metric_batch_size = 1000
  metric_buffer_limit = 100000
  flush_interval = "1s"
  flush_jitter = "0s"
  omit_hostname = true
  logfile = %[1]q

[[inputs.mqtt_consumer]]
  servers = [%[2]q]
  topics = [%[3]q]
  qos = 1
  persistent_session = true
  client_id = %[4]q
  max_undelivered_messages = 1000
  topic_tag = ""
  data_format = "json_v2"
  [[inputs.mqtt_consumer.topic_parsing]]
    topic = %[3]q
    tags = "_/device/_"
  [[inputs.mqtt_consumer.json_v2]]
    measurement_name = "light"
    timestamp_path = "Time"
    timestamp_format = "2006-01-02T15:04:05"
    timestamp_timezone = %[5]q
    [[inputs.mqtt_consumer.json_v2.object]]
      path = "ENERGY"
      disable_prepend_keys = true
      excluded_keys = ["TotalStartTime"]
      [inputs.mqtt_consumer.json_v2.object.renames]
        Total = "energy_kwh"

[[outputs.influxdb_v2]]
  urls = [%[6]q]
  token = "bench"
  organization = "hamlet"
  bucket = %[7]q
`

// runTelegraf runs Telegraf on the same load as hamletd's phase and measures
// from the first publish to the last point queryable in InfluxDB. InfluxDB
// is asked for its count only once the publisher has finished (Telegraf has
// no counter to ask, as hamletd's /metrics is asked), every -poll.
func runTelegraf(ctx context.Context, o options, n int) (phase, error) {
	total := o.devices * o.messages
	prefix := fmt.Sprintf("t%d_", n)
	db := fmt.Sprintf("bench_tg_%s_r%d", time.Now().Format("150405"), n)
	in := newInflux(o.influxURL, db)
	if _, err := in.query(ctx, "CREATE DATABASE "+db); err != nil {
		return phase{}, err
	}
	dir := filepath.Join(o.workDir, fmt.Sprintf("telegraf%d", n))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return phase{}, err
	}
	conf := filepath.Join(dir, "telegraf.conf")
	logPath := filepath.Join(dir, "telegraf.log")
	// Only this phase publishes while Telegraf runs (the other clients'
	// sessions are gone), so the phase's prefix need not be in the filter.
	text := fmt.Sprintf(telegrafConfig, logPath, o.broker, "tele/+/SENSOR", telegrafClientID,
		sim.DefaultTimezone, o.influxURL, db+"/autogen")
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		return phase{}, err
	}
	cmd := exec.Command(o.telegraf, "--config", conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Env = bench.WithoutHamletEnv(os.Environ())
	if err := cmd.Start(); err != nil {
		return phase{}, fmt.Errorf("start telegraf: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	defer stopTelegraf(o, cmd, done)
	// Telegraf has subscribed once the broker lists its session; give it the
	// time it takes to start (its log says when), bounded.
	if err := waitTelegraf(ctx, logPath, done); err != nil {
		return phase{}, err
	}
	logf(o, "round %d: telegraf: publishing %d × %d at QoS 1 through Telegraf (pid %d) into InfluxDB", n, o.devices, o.messages, cmd.Process.Pid)

	usage := startUsage(o, cmd.Process.Pid)
	t0 := time.Now()
	res, err := sim.Blast(ctx, sim.BlastOptions{Broker: o.broker, Devices: o.devices, Messages: o.messages, Prefix: prefix,
		Clients: o.blastClients, Window: o.blastWindow})
	if err != nil {
		return phase{}, err
	}
	p := phase{total: total, publish: res.Duration}
	deadline := t0.Add(o.phaseTimeout)
	for {
		if all, err := p.countAll(ctx, in, t0); err != nil {
			return p, err
		} else if all {
			break
		}
		if time.Now().After(deadline) {
			return p, fmt.Errorf("InfluxDB holds fewer than %d points after %s (log: %s)", total, o.phaseTimeout, logPath)
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
		case <-done:
			return p, fmt.Errorf("telegraf exited (log: %s)", logPath)
		case <-time.After(o.poll):
		}
	}
	usage.finish(&p)
	// Telegraf's device tag is the topic level as it is.
	bad, err := p.readBack(ctx, in, o, res.Start, func(i int) string { return fmt.Sprintf("%s%04d", prefix, i) })
	if err != nil {
		return p, err
	}
	if bad > 0 {
		logf(o, "round %d: telegraf: %d points in InfluxDB are not at their sequence number's time", n, bad)
	}
	return p, nil
}

// waitTelegraf waits until Telegraf's log says it connected to the broker
// and, a moment later, that its subscription did not fail.
func waitTelegraf(ctx context.Context, logPath string, done <-chan struct{}) error {
	deadline := time.Now().Add(60 * time.Second)
	connected := false
	for {
		b, _ := os.ReadFile(logPath)
		if i := strings.Index(string(b), "E! "); i >= 0 {
			line, _, _ := strings.Cut(string(b[i:]), "\n")
			return fmt.Errorf("telegraf: %s (log: %s)", line, logPath)
		}
		if connected {
			return nil
		}
		if strings.Contains(string(b), "Connected [") {
			connected = true // check the log once more after the subscription
			time.Sleep(time.Second)
			continue
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("telegraf did not connect to the broker within 60s (log: %s)", logPath)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-done:
			return errors.New("telegraf exited before it connected (log: " + logPath + ")")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stopTelegraf sends SIGTERM, waits up to 20s, then kills; then it removes
// Telegraf's persistent session from the broker.
func stopTelegraf(o options, cmd *exec.Cmd, done <-chan struct{}) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		logf(o, "telegraf did not stop within 20s; killing it")
		_ = cmd.Process.Kill()
		<-done
	}
	if err := bench.DropSession(context.Background(), o.broker, telegrafClientID); err != nil {
		logf(o, "telegraf: drop session: %v", err)
	}
}
