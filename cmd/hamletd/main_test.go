package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func runArgs(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

func TestVersion(t *testing.T) {
	out, _, err := runArgs(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "hamletd ") {
		t.Fatalf("version = %q, %v", out, err)
	}
}

func TestCheckConfigPrintsRedactedConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hamlet.yaml")
	os.WriteFile(path, []byte("mqtt:\n  broker: tcp://127.0.0.1:1883\n  username: hamlet\n  password: s3cret\n"), 0o600)
	out, stderr, err := runArgs(t, map[string]string{"HAMLET_INFLUX_TOKEN": "tok3n"}, "check-config", "--config", path)
	if err != nil {
		t.Fatalf("check-config: %v\n%s", err, stderr)
	}
	if strings.Contains(out, "s3cret") || strings.Contains(out, "tok3n") {
		t.Errorf("secrets printed:\n%s", out)
	}
	if !strings.Contains(out, "tcp://127.0.0.1:1883") {
		t.Errorf("effective broker missing:\n%s", out)
	}
}

func TestCheckConfigReportsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte(`area: {id: khu10, timezone: Mars/Olympus}
mqtt: {brokr: tcp://x:1}
availability: {timeout: {light: soon}}
zones: [{id: ngo-3}]
devices:
  - {id: d1, kind: light, zone: ngo-9, protocol: tasmota, topic: d1}
  - {id: d1, kind: lamp, zone: ngo-3, protocol: tasmota, topic: d2}
`), 0o600)
	_, stderr, err := runArgs(t, nil, "check-config", "--config", path)
	if err == nil {
		t.Fatal("check-config accepted a bad file")
	}
	for _, key := range []string{"area.timezone", "mqtt.brokr", "availability.timeout.light", "devices[0].zone", "devices[1].id", "devices[1].kind"} {
		if !strings.Contains(stderr, key) {
			t.Errorf("report does not name %s:\n%s", key, stderr)
		}
	}
}

// TestSIGTERMStopsWithinBound builds the real binary, runs it on the embedded
// broker, sends SIGTERM and expects a clean exit well within the shutdown bound.
func TestSIGTERMStopsWithinBound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "hamletd")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "hamlet.yaml")
	os.WriteFile(cfg, []byte("mqtt: {broker: embedded, listen: \"127.0.0.1:0\"}\nhttp: {listen: \"127.0.0.1:0\"}\nstorage: {dir: "+filepath.Join(dir, "data")+"}\n"), 0o600)
	cmd := exec.Command(bin, "run", "--config", cfg)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	var logs bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if regexp.MustCompile(`msg=ready`).MatchString(sc.Text()) {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("not ready within 20s:\n%s", logs.String())
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("shutdown took %v, want under 5s", d)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running 20s after SIGTERM:\n%s", logs.String())
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "hamlet.yaml")
	os.WriteFile(cfgPath, []byte("storage: {dir: "+filepath.Join(dir, "state")+"}\n"), 0o600)
	var out, errOut bytes.Buffer
	target := filepath.Join(dir, "copy.db")
	if err := run(context.Background(), []string{"backup", target, "--config", cfgPath}, func(string) string { return "" },
		strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	if st, err := os.Stat(target); err != nil || st.Size() == 0 {
		t.Fatalf("no backup written: %v", err)
	}
	errOut.Reset()
	err := run(context.Background(), []string{"backup", "--config", cfgPath}, func(string) string { return "" },
		strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "cần đúng một đối số là tên tệp sao lưu") {
		t.Fatalf("backup without FILE: %v %q", err, errOut.String())
	}
}
