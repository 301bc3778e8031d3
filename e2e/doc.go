// Package e2e holds hamlet's end-to-end tests: they build the real hamletd
// binary once per test run, start real Mosquitto and InfluxDB 1.8 servers
// (internal/testsvc), run `hamletd run --config FILE` as a subprocess on its
// own storage directory and HTTP port, publish tens of thousands of Tasmota
// energy-meter messages at QoS 1 with the simulator's Blast publisher while a
// fault happens (InfluxDB stopped and restarted, the broker restarted,
// hamletd killed with SIGKILL and restarted), and then check in InfluxDB, by
// an InfluxQL count and by the set of sequence numbers of every device, that
// nothing was lost. Another test checks that points InfluxDB refuses (a field
// type conflict) are counted and do not hold back the rest of their batch.
//
// The package has no non-test code. Its tests are skipped under -short, and
// skipped when Mosquitto or InfluxDB is not installed unless
// HAMLET_REQUIRE_SERVICES=1 (as `make test` sets), which turns a missing
// server into a failure. Run them with:
//
//	go test -race -count=1 ./e2e
//
// TestSoak (`make soak SOAK=30m`, not in CI) repeats those faults for a
// duration while a simulated area's lamps are commanded through the HTTP API
// and announcements fall due on its speakers; it checks every lamp's state
// after each fault and, at the end, every speaker's own play log (each
// announcement exactly once), and writes its table into bench/results.md.
// HAMLET_SOAK_LOG=FILE keeps the daemon's log.
//
// The daemon subprocess is built without -race; its output is kept in the
// test's temporary directory and its last lines are logged when a test fails.
package e2e
