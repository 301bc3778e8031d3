// Package browser holds the phone UI's browser tests: real headless
// Chromium (Debian's chromium), driven by playwright-core from npm (this
// folder's package.json, installed by scripts/install-browser.sh), at a
// 390×844 viewport (and 360×740 for the narrow-phone checks), against a
// real hamletd built from the tree, the simulator (`hamletd sim`), a real
// Mosquitto and a real InfluxDB (Báo cáo across areas). The Go test starts
// them and runs ui.test.mjs with node; the script asks the Go test to stop
// and start hamletd (for the live-connection banner) and InfluxDB (for the
// message when it does not answer) over its stdout/stdin.
//
// The tests are skipped under -short, and when Chromium, node or the npm
// packages are missing, unless HAMLET_REQUIRE_SERVICES=1 (as `make test`
// sets), which turns a missing piece into a failure. Screenshots go to a
// folder the test prints (HAMLET_SHOTS to choose it). Run:
//
//	scripts/install-browser.sh && go test -count=1 -v ./e2e/browser
//
// With HAMLET_BENCH_UI_OUT set to a results file (as `make bench` does),
// the test also collects the script's WEIGHT and TIMING lines and writes
// them, with the machine, the versions and the baseline (the embedded
// app.js and app.css gzipped, measured in the same run), as the phone-ui
// section of that file (bench.WriteSection). With -count=N, each run
// rewrites it with all runs so far: each page's heaviest load, every timing
// and its median against the budget:
//
//	HAMLET_REQUIRE_SERVICES=1 HAMLET_BENCH_UI_OUT=$PWD/bench/results.md \
//		go test -count=3 -run TestPhoneUI ./e2e/browser
package browser
