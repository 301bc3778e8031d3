package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
)

// describeMachine reads the CPU, memory, kernel and service versions.
func describeMachine(o options) machine {
	m := machine{cores: runtime.NumCPU(), goVersion: runtime.Version(), date: time.Now().UTC()}
	m.cpu = bench.ProcField("/proc/cpuinfo", "model name")
	if kb := bench.ProcField("/proc/meminfo", "MemTotal"); kb != "" {
		n, _ := strconv.ParseInt(strings.TrimSuffix(kb, " kB"), 10, 64)
		m.memory = n * 1024
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	m.mosquitto = firstLine(exeOutput(o.mosquittoPID, "-h"))
	m.influxd = firstLine(exeOutput(o.influxdPID, "version"))
	if strings.Contains(m.influxd, "unknown") {
		// go install leaves the version out of the binary.
		m.influxd += " (OSS 1.8.10, built by scripts/install-services.sh with go install)"
	}
	if out, err := exec.Command(o.hamletd, "version").Output(); err == nil {
		m.hamletd = firstLine(string(out))
	}
	if o.telegraf != "" {
		if out, err := exec.Command(o.telegraf, "--version").Output(); err == nil {
			m.telegraf = firstLine(string(out))
			if strings.Contains(m.telegraf, "unknown") { // go install leaves the version out
				m.telegraf += " (1.37.2, built by scripts/bench.sh with go install)"
			}
		}
	}
	return m
}

// exeOutput runs the executable of process pid with arg and returns its
// output (Mosquitto's -h exits with status 3 after printing its version).
func exeOutput(pid int, arg string) string {
	if pid <= 0 {
		return ""
	}
	out, _ := exec.Command(fmt.Sprintf("/proc/%d/exe", pid), arg).CombinedOutput()
	return string(out)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
