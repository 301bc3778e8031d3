// Package bench holds hamlet's benchmarks, kept apart from the tests.
//
// The end-to-end ingest benchmark is the program bench/ingest, run by `make
// bench`, which writes bench/results.md. This package holds Go benchmarks for
// profiling the same path in one process, e.g.
//
//	go test ./bench -run '^$' -bench DaemonIngest -benchtime 1x -cpuprofile cpu.out
//	go tool pprof -top -focus hamlet bench.test cpu.out
package bench
