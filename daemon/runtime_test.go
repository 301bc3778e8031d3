package daemon

import (
	"log/slog"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestTuneRuntimeKeepsTheEnvironmentsSettings(t *testing.T) {
	procs, limit := runtime.GOMAXPROCS(0), debug.SetMemoryLimit(-1)
	gc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc)
	t.Cleanup(func() { runtime.GOMAXPROCS(procs); debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })
	log := slog.New(slog.DiscardHandler)

	TuneRuntime(func(string) string { return "" }, log)
	if got := runtime.GOMAXPROCS(0); got != DefaultMaxProcs {
		t.Errorf("GOMAXPROCS = %d, want %d", got, DefaultMaxProcs)
	}
	if got := debug.SetMemoryLimit(-1); got != DefaultMemoryLimit {
		t.Errorf("memory limit = %d, want %d", got, DefaultMemoryLimit)
	}
	if got := debug.SetGCPercent(gc); got != DefaultGCPercent {
		t.Errorf("GC percent = %d, want %d", got, DefaultGCPercent)
	}

	runtime.GOMAXPROCS(procs)
	debug.SetMemoryLimit(limit)
	set := map[string]string{"GOMAXPROCS": "2", "GOGC": "100", "GOMEMLIMIT": "1GiB"}
	TuneRuntime(func(k string) string { return set[k] }, log)
	if runtime.GOMAXPROCS(0) != procs || debug.SetMemoryLimit(-1) != limit {
		t.Error("GOMAXPROCS or the memory limit set by the environment was changed")
	}
	if got := debug.SetGCPercent(gc); got != gc {
		t.Errorf("GC percent set by the environment changed to %d", got)
	}
}
