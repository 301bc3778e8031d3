package browser

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/web/ui"
)

// unknown stands for a version or figure that could not be read.
const unknown = "unknown"

// currentSetting describes this machine and the versions of what the
// browser test runs (root is the repository), and measures the baseline:
// the embedded app.js and app.css gzipped at hamletd's level.
func currentSetting(root string, now time.Time) (setting, error) {
	s := setting{when: now, cpu: bench.ProcField("/proc/cpuinfo", "model name"), cores: runtime.NumCPU(),
		load: unknown, goVer: runtime.Version()}
	if s.cpu == "" {
		s.cpu = "an unknown CPU"
	}
	if kb, err := strconv.ParseFloat(strings.TrimSuffix(bench.ProcField("/proc/meminfo", "MemTotal"), " kB"), 64); err == nil {
		s.memGiB = kb / (1 << 20)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil && len(strings.Fields(string(b))) > 0 {
		s.load = strings.Fields(string(b))[0]
	}
	if s.chromium = output("/usr/bin/chromium", "--version"); s.chromium != unknown {
		s.chromium = "Debian's " + firstWords(s.chromium, 2)
	}
	s.node = output("node", "--version")
	s.playwright = npmVersion("playwright-core")
	s.mosquitto = output(firstBinary(os.Getenv("HAMLET_MOSQUITTO"), "mosquitto", "/usr/sbin/mosquitto"), "-h")
	s.influx = firstWords(output(firstBinary(os.Getenv("HAMLET_INFLUXD"), filepath.Join(root, ".tools", "influxd"),
		"influxd"), "version"), 2)
	s.hamletd = treeVersion(root)
	var err error
	if s.jsRaw, s.jsGz, err = gzipSize(ui.Static(), "app.js"); err != nil {
		return s, err
	}
	s.cssRaw, s.cssGz, err = gzipSize(ui.Static(), "app.css")
	return s, err
}

// gzipSize returns the size of file name in fsys, plain and gzipped at the
// best compression (as web's static handler serves it).
func gzipSize(fsys fs.FS, name string) (raw, gz int64, err error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0, 0, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	return int64(len(b)), int64(buf.Len()), nil
}

// treeVersion returns `git describe --always` of the tree at root, with
// "-dirty" when a tracked file other than bench/results.md (which `make
// bench` rewrites as it goes) has changed.
func treeVersion(root string) string {
	v := output("git", "-C", root, "describe", "--always")
	changed, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--",
		".", ":(exclude)bench/results.md").Output()
	if v != unknown && (err != nil || len(bytes.TrimSpace(changed)) > 0) {
		v += "-dirty"
	}
	return v
}

// output runs a command and returns the first line it printed, or unknown.
func output(name string, args ...string) string {
	if name == "" {
		return unknown
	}
	out, _ := exec.Command(name, args...).Output() // `mosquitto -h` exits non-zero after its version
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if line == "" {
		return unknown
	}
	return line
}

// firstWords returns the first n words of s ("Chromium 156.0.8078.114 built on …" → "Chromium 156.0.8078.114").
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// firstBinary returns the first candidate that is found, or "".
func firstBinary(candidates ...string) string {
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// npmVersion returns the version of an npm package in node_modules, or unknown.
func npmVersion(pkg string) string {
	b, err := os.ReadFile(filepath.Join("node_modules", pkg, "package.json"))
	if err != nil {
		return unknown
	}
	var p struct{ Version string }
	if json.Unmarshal(b, &p) != nil || p.Version == "" {
		return unknown
	}
	return p.Version
}
