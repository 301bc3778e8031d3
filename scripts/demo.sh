#!/usr/bin/env bash
# demo.sh is `make demo`: it builds hamletd and runs `hamletd demo`. When
# Mosquitto and InfluxDB are installed (scripts/install-services.sh, which
# `make test` runs), it first starts them with their state in
# hamlet-demo/services, so that the demo uses the real broker and exports to
# the real InfluxDB (the reports across areas then work), and stops them when
# the demo ends. Without them the demo runs hamletd's embedded broker and no
# InfluxDB. A broker given in HAMLET_MQTT_BROKER is used as it is.
#
#   scripts/demo.sh [hamletd demo flags]      # LISTEN=0.0.0.0:8080 serves the LAN
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { echo "hamlet demo: $*"; }

version=$(git describe --always --dirty 2>/dev/null || echo dev)
say "biên dịch hamletd (lần đầu 1–3 phút) / building hamletd (the first build takes 1–3 minutes)…"
mkdir -p .tools hamlet-demo
CGO_ENABLED=0 go build -ldflags "-X main.version=$version" -o .tools/hamletd-demo ./cmd/hamletd

influxd=$root/.tools/influxd
[ -x "$influxd" ] || influxd=$(command -v influxd || true)
state=$root/hamlet-demo/services
if [ -z "${HAMLET_MQTT_BROKER:-}" ] && command -v mosquitto >/dev/null && [ -n "$influxd" ]; then
	# One demo per folder: the second must not take over (or stop) the first one's services.
	exec 9>"$root/hamlet-demo/services.lock"
	if ! flock -n 9; then
		say "một bản chạy thử khác đang chạy trong hamlet-demo / another demo is already running in hamlet-demo: stop it with Ctrl+C" >&2
		exit 1
	fi
	stop() {
		HAMLET_SERVICES_DIR=$state scripts/services.sh stop all >/dev/null 2>&1 || true
		say "đã dừng Mosquitto và InfluxDB / Mosquitto and InfluxDB stopped"
	}
	say "khởi động Mosquitto và InfluxDB thật / starting the real Mosquitto and InfluxDB (state in hamlet-demo/services)"
	trap stop EXIT
	if HAMLET_SERVICES_DIR=$state HAMLET_INFLUXD=$influxd scripts/services.sh start all >"$state.log" 2>&1; then
		set -a
		# shellcheck disable=SC1091
		. "$state/env"
		set +a
	else
		say "không khởi động được (xem $state.log); dùng broker nhúng, không có InfluxDB / could not start them (see $state.log): the embedded broker, no InfluxDB" >&2
		# What did start would hold the embedded broker's port.
		HAMLET_SERVICES_DIR=$state scripts/services.sh stop all >/dev/null 2>&1 || true
		unset HAMLET_MQTT_BROKER HAMLET_INFLUX_URL HAMLET_INFLUX_BUCKET
	fi
elif [ -z "${HAMLET_MQTT_BROKER:-}" ]; then
	say "chưa cài Mosquitto và InfluxDB (scripts/install-services.sh): dùng broker nhúng, không có InfluxDB / Mosquitto and InfluxDB are not installed (scripts/install-services.sh installs them): the embedded broker, no InfluxDB"
fi

# Not exec: the services are stopped when the demo ends.
status=0
.tools/hamletd-demo demo --listen "${LISTEN:-127.0.0.1:8080}" "$@" || status=$?
exit "$status"
