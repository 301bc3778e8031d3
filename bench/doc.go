// Package bench holds hamlet's benchmarks, kept apart from the tests.
//
// The end-to-end ingest benchmark is the program bench/ingest, run by `make
// bench`, which writes bench/results.md. `COMPARE=1 scripts/bench.sh` runs
// its -compare mode instead: hamletd's own acknowledgement path against
// paho's (a hamletd built with -tags paho_ack), with the benchmark's and a
// gentler publisher, written as its own section of bench/results.md. `make
// bench` also runs the phone UI's browser test (e2e/browser) with
// HAMLET_BENCH_UI_OUT set, which writes the page weights and timings as the
// phone-ui section (UI=0 leaves it out). This package holds Go benchmarks for
// profiling the same path in one process, e.g.
//
//	go test ./bench -run '^$' -bench DaemonIngest -benchtime 1x -cpuprofile cpu.out
//	go tool pprof -top -focus hamlet bench.test cpu.out
//
// and micro-benchmarks of hamletd's own work per message, without the broker
// and InfluxDB: BenchmarkDecodeTasmotaSensor (the protocol router and the
// Tasmota decoder) and BenchmarkPipelineHandle (decode, registry and line
// protocol, as ingest.Pipeline.Handle does it):
//
//	go test ./bench -run '^$' -bench 'Decode|Pipeline' -benchmem
package bench
