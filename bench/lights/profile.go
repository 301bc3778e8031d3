package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// writeAllocs writes the heap profile to path, its allocation counts
// cumulative since the process started: compare two with
// `go tool pprof -sample_index=alloc_space -diff_base before after`.
func writeAllocs(path string) error {
	runtime.GC() // the profile shows allocations as of the last GC
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
