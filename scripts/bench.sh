#!/usr/bin/env bash
# bench.sh is `make bench`: it installs the services when missing, starts a
# fresh Mosquitto and InfluxDB 1.8 in a temporary directory, builds hamletd as
# `make build` does, and runs, each writing its own section of
# bench/results.md with the machine: the ingest benchmark (bench/ingest: a
# bare counting subscriber, hamletd and Telegraf into InfluxDB), the
# acknowledgement paths (hamletd's PUBACKs against paho's), "all lights on"
# (bench/lights), the uptime report (bench/uptime), the phone UI's page
# weights and timings (the browser test e2e/browser in headless Chromium, with
# its own Mosquitto and InfluxDB) and hamletd's memory with 5,000 devices
# (bench/memory); then it stops the services.
#
#   scripts/bench.sh [flags for bench/ingest, e.g. -devices 200 -messages 50]
#   ROUNDS=1 scripts/bench.sh           # rounds of ceiling then hamlet (default 3)
#   OUT= scripts/bench.sh               # do not write bench/results.md
#   BENCH=. BENCHTIME=2s scripts/bench.sh  # also run Go micro-benchmarks under bench/
#   LIGHTS=200 scripts/bench.sh         # lamps of the "all lights on" benchmark (default 1000)
#   TELEGRAF=0 scripts/bench.sh         # without the Telegraf phase (by default every round also
#       # measures Telegraf 1.37.2 on the same load; it is built into .tools/ once, about ten minutes)
#   MEMORY_DEVICES=5000 MEMORY_DURATION=5m scripts/bench.sh
#       # the memory benchmark (bench/memory, run last): hamletd's RSS while that many
#       # simulated devices report every 10 s (defaults 5000 and 5m; MEMORY_DEVICES=0 skips it)
#   MEMORY_ONLY=1 scripts/bench.sh      # only the memory benchmark
#   UI=0 scripts/bench.sh               # without the phone UI's weights and timings (by default
#       # scripts/install-browser.sh installs Chromium, node and the npm packages when missing,
#       # then the browser test runs UI_RUNS times (default 3, about 2 minutes each) and writes
#       # the phone-ui section of bench/results.md: heaviest page loads, median timings)
#   COMPARE=1 scripts/bench.sh -devices 200 -messages 100
#       # instead: hamletd's own PUBACKs against paho's acknowledgement path (a
#       # second hamletd built with -tags paho_ack), with the benchmark's and a
#       # gentler publisher; writes its own section of bench/results.md. A default
#       # run makes that comparison too, after the ingest rounds, with 500 × 100
#       # messages per phase (ACKPATH=0 leaves it out)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-services.sh >/dev/null
ui=${UI:-1}
if [ -n "${COMPARE:-}" ] || [ -n "${MEMORY_ONLY:-}" ]; then
	ui=0
fi
if [ "$ui" != 0 ]; then
	scripts/install-browser.sh >/dev/null
fi

state=$(mktemp -d "${TMPDIR:-/tmp}/hamlet-bench.XXXXXX")
cleanup() {
	HAMLET_SERVICES_DIR=$state scripts/services.sh stop all >/dev/null 2>&1 || true
	rm -rf "$state"
}
trap cleanup EXIT

version=$(git describe --always --dirty 2>/dev/null || echo dev)
echo "bench: building hamletd ($version) and the benchmark"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$state/hamletd" ./cmd/hamletd
go build -o "$state/ingest" ./bench/ingest
go build -o "$state/lights" ./bench/lights
telegraf=()
if [ "${TELEGRAF:-1}" != 0 ] && [ -z "${COMPARE:-}" ] && [ -z "${MEMORY_ONLY:-}" ]; then
	if [ ! -x "$root/.tools/telegraf" ]; then
		echo "bench: building Telegraf 1.37.2 into .tools/ (go install, once; about ten minutes)"
		mkdir -p "$root/.tools"
		GOBIN=$root/.tools go install github.com/influxdata/telegraf/cmd/telegraf@v1.37.2
	fi
	telegraf=(-telegraf "$root/.tools/telegraf")
fi
go build -o "$state/memory" ./bench/memory
compare=()
if [ -n "${COMPARE:-}" ] || { [ "${ACKPATH:-1}" != 0 ] && [ -z "${MEMORY_ONLY:-}" ]; }; then
	CGO_ENABLED=0 go build -tags paho_ack -trimpath -ldflags "-s -w -X main.version=$version-paho_ack" -o "$state/hamletd-paho" ./cmd/hamletd
fi
if [ -n "${COMPARE:-}" ]; then
	compare=(-compare -hamletd-paho "$state/hamletd-paho")
fi

# Fresh services on free ports (never the developer's .services).
HAMLET_SERVICES_DIR=$state HAMLET_MQTT_PORT=${HAMLET_BENCH_MQTT_PORT:-} HAMLET_INFLUX_PORT=${HAMLET_BENCH_INFLUX_PORT:-} \
	scripts/services.sh start all
set -a
# shellcheck disable=SC1091
. "$state/env"
set +a

out=${OUT-$root/bench/results.md}

# Memory: hamletd's resident memory while MEMORY_DEVICES simulated devices
# report every 10 s for MEMORY_DURATION (bench/memory; its own section).
memory() {
	if [ "${MEMORY_DEVICES:-5000}" != 0 ]; then
		echo "bench: memory with ${MEMORY_DEVICES:-5000} devices for ${MEMORY_DURATION:-5m} (bench/memory)"
		"$state/memory" -hamletd "$state/hamletd" -devices "${MEMORY_DEVICES:-5000}" -duration "${MEMORY_DURATION:-5m}" \
			-workdir "$state/memory-work" ${out:+-out "$out"}
	fi
}
if [ -n "${MEMORY_ONLY:-}" ]; then
	memory
	exit 0
fi
# "All lights on" for LIGHTS simulated lamps (default 1000), first: after the
# ingest rounds, influxd compacts their points for minutes and takes the CPU
# the 1,000 lamps and the broker need (a p99 of 312 ms then, 184–211 ms before).
if [ -z "${COMPARE:-}" ]; then
	"$state/lights" -lights "${LIGHTS:-1000}" -rounds "${ROUNDS:-3}" -hamletd "$state/hamletd" ${out:+-out "$out"}
fi
"$state/ingest" -hamletd "$state/hamletd" -rounds "${ROUNDS:-3}" -workdir "$state/work" ${out:+-out "$out"} "${compare[@]}" "${telegraf[@]}" "$@"

# The acknowledgement path: hamletd's own PUBACKs against paho's (its own section).
if [ -z "${COMPARE:-}" ] && [ "${ACKPATH:-1}" != 0 ]; then
	echo "bench: acknowledgement path, hamletd's own PUBACKs against paho's (bench/ingest -compare)"
	"$state/ingest" -hamletd "$state/hamletd" -compare -hamletd-paho "$state/hamletd-paho" -devices 500 -messages 100 \
		-workdir "$state/work-ackpath" ${out:+-out "$out"}
fi


# The uptime report over a year of one area, locally and from the same InfluxDB.
echo "bench: uptime report (bench/uptime)"
go run ./bench/uptime ${out:+-out "$out"}

# The phone UI: every page's first-load weight and two timings, measured by
# the browser test (its own hamletd, simulator, Mosquitto and InfluxDB; the
# HAMLET_* settings of this script's services must not reach its hamletd).
if [ "$ui" != 0 ]; then
	echo "bench: phone UI page weights and timings (e2e/browser in headless Chromium, ${UI_RUNS:-3} runs)"
	env -u HAMLET_MQTT_BROKER -u HAMLET_INFLUX_URL -u HAMLET_INFLUX_BUCKET \
		HAMLET_REQUIRE_SERVICES=1 HAMLET_BENCH_UI_OUT="$out" \
		go test -count="${UI_RUNS:-3}" -timeout 30m -run '^TestPhoneUI$' ./e2e/browser || ui_failed=1
	if [ -z "${ui_failed:-}" ] && [ -n "$out" ]; then
		echo "bench: phone-ui section written to $out"
	fi
elif [ -z "${COMPARE:-}" ]; then
	echo "bench: phone UI page weights and timings skipped (UI=0); the results file keeps its phone-ui section"
fi

if [ -z "${COMPARE:-}" ]; then
	memory
fi

if [ -n "${BENCH:-}" ]; then
	mapfile -t pkgs < <(go list -f '{{if .TestGoFiles}}{{.ImportPath}}{{end}}' ./bench/... 2>/dev/null)
	if [ ${#pkgs[@]} -gt 0 ]; then
		go test -run='^$' -bench="$BENCH" -benchtime="${BENCHTIME:-1s}" -benchmem "${pkgs[@]}"
	fi
fi

# A failing browser test does not stop the memory benchmark, but the run fails.
if [ -n "${ui_failed:-}" ]; then
	echo "bench: the browser test failed (its output above); the phone-ui section may not have been rewritten" >&2
	exit 1
fi
