// Package deps holds the repository's dependency rules and the test that
// enforces them on every package, test files included where a rule says so:
// the domain (devices/...) imports only the standard library and itself;
// viper is only in config; paho only in mqttlink, the simulator (sim) and the
// benchmark's publisher (bench/...); the InfluxDB client only in telemetry
// and uptime; internal/testutil only in tests
// and the test support internal/testsvc. It also requires a package
// comment on every package. The test lists the packages
// with `go list -json ./...` and fails when it cannot list them.
package deps
