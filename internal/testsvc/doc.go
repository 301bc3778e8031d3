// Package testsvc is test support: it starts real Mosquitto and InfluxDB 1.8
// servers for integration tests, each on free 127.0.0.1 ports with its data in
// the test's temporary directory, and stops them when the test ends.
//
// Integration tests never use mocks of the broker or the database; they call
// StartMosquitto and StartInflux instead. Both skip the test under -short or
// when the server is not installed, unless HAMLET_REQUIRE_SERVICES=1 is set (as
// `make test` and CI do), in which case a missing server fails the test.
// scripts/install-services.sh installs both.
//
// Each server runs in its own process group, is killed in t.Cleanup and, on
// Linux, also when the test binary dies (Pdeathsig), so none outlives the test.
// Its output goes to a file in the temporary directory; when it fails to start,
// or when the test fails, the file's last lines are logged with t.Logf.
//
// The configurations come from the templates the project ships,
// scripts/mosquitto.conf and scripts/influxdb.conf, found by walking up from
// the working directory to go.mod.
package testsvc
