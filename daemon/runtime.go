package daemon

import (
	"log/slog"
	"runtime"
	"runtime/debug"
)

// Go runtime settings of the daemon, used unless the environment sets
// GOMAXPROCS, GOGC or GOMEMLIMIT.
const (
	// DefaultMaxProcs keeps the daemon on one CPU at a time. hamletd shares
	// a small box with the broker and InfluxDB and its work per message is a
	// few microseconds: with more Ps the Go scheduler wakes and spins extra
	// threads at every hand-off between goroutines, which costs the broker
	// and InfluxDB more CPU than the parallelism gains (bench/results.md).
	DefaultMaxProcs = 1
	// DefaultGCPercent lets the heap grow to three times the live data
	// between collections while it is small; DefaultMemoryLimit caps it.
	DefaultGCPercent = 200
	// DefaultMemoryLimit is the soft limit on the memory the Go runtime
	// maps: the collector runs more often near it, so that the resident
	// size stays well under 60 MB during an ingest burst.
	DefaultMemoryLimit = 32 << 20
)

// TuneRuntime applies DefaultMaxProcs, DefaultGCPercent and
// DefaultMemoryLimit for the settings the environment (getenv) does not
// make, and logs the effective ones. `hamletd run` calls it before New; it
// changes the whole process, so tests and embedders need not.
func TuneRuntime(getenv func(string) string, log *slog.Logger) {
	if getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(DefaultMaxProcs)
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
	gcPercent := debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	log.Info("go runtime", "gomaxprocs", runtime.GOMAXPROCS(0), "gogc", gcPercent,
		"memory_limit_bytes", debug.SetMemoryLimit(-1))
}
