package main

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
)

// cpuTime and statusKB read /proc (package bench holds them for every benchmark).
var (
	cpuTime  = bench.CPUTime
	statusKB = bench.StatusBytes
)

// usage measures the CPU time of the processes taking part in a phase.
type usage struct {
	o                          options
	pid                        int // the subscriber under test (hamletd); 0 for none
	self, sub, broker, influxd time.Duration
	busy                       time.Duration // the whole machine's, from /proc/stat
}

// startUsage records the CPU times at the start of a phase.
func startUsage(o options, pid int) *usage {
	return &usage{o: o, pid: pid, self: cpuTime(os.Getpid()), sub: cpuTime(pid),
		broker: cpuTime(o.mosquittoPID), influxd: cpuTime(o.influxdPID), busy: machineBusy()}
}

// finish stores the CPU times spent since startUsage, and the subscriber's
// peak RSS, in p.
func (u *usage) finish(p *phase) {
	p.benchCPU = cpuTime(os.Getpid()) - u.self
	p.brokerCPU = cpuTime(u.o.mosquittoPID) - u.broker
	p.influxCPU = cpuTime(u.o.influxdPID) - u.influxd
	if u.pid > 0 {
		p.cpu = cpuTime(u.pid) - u.sub
		p.peakRSS = statusKB(u.pid, "VmHWM")
	}
	p.others = max(0, machineBusy()-u.busy-p.benchCPU-p.brokerCPU-p.influxCPU-p.cpu)
}

// machineBusy returns the CPU time all cores spent outside idle and iowait
// since boot, from the first line of /proc/stat.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is already counted in user
			break
		}
		busy += n
	}
	return time.Duration(busy) * bench.ClockTick
}

// machine describes where the benchmark ran.
type machine struct {
	cpu       string
	cores     int
	memory    int64
	kernel    string
	goVersion string
	date      time.Time
	mosquitto string
	influxd   string
	hamletd   string
	telegraf  string // "" without -telegraf
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }
