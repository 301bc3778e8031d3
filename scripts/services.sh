#!/usr/bin/env bash
# services.sh starts, stops and reports the real services that hamlet talks to,
# for the demo and for manual use: a Mosquitto broker and an InfluxDB 1.8 server,
# both on loopback ports, with their data, logs and configs in a state directory.
#
#   scripts/services.sh start|stop|restart|status [mosquitto|influxd|all]
#
# Ports: HAMLET_MQTT_PORT, HAMLET_INFLUX_PORT and HAMLET_INFLUX_RPC_PORT when set;
# otherwise the port used last time, else the usual one (1883, 8086, 8088), else
# a random one, whichever is free first. State: HAMLET_SERVICES_DIR (default
# <repo>/.services). After start and stop it rewrites <state>/env with
# HAMLET_MQTT_BROKER, HAMLET_INFLUX_URL, HAMLET_INFLUX_BUCKET and the PIDs; load
# it with: set -a; . .services/env; set +a
# Every command is idempotent. status exits 3 when a requested service is down.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state=${HAMLET_SERVICES_DIR:-$root/.services}
PATH=$PATH:/usr/sbin:/usr/local/sbin

say() { echo "services: $*"; }
die() {
	echo "services: error: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start|stop|restart|status [mosquitto|influxd|all]" >&2
	exit 2
}

# port_free PORT succeeds when nothing listens on PORT.
port_free() {
	if command -v ss >/dev/null; then
		[ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
	else
		! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

# pick_port ENVVALUE LASTFILE DEFAULT prints the port to use.
pick_port() {
	local given=$1 last=$2 def=$3 p i
	if [ -n "$given" ]; then
		port_free "$given" || die "port $given (from the environment) is in use"
		echo "$given"
		return
	fi
	for p in $(cat "$last" 2>/dev/null) "$def"; do
		if port_free "$p"; then
			echo "$p"
			return
		fi
	done
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if port_free "$p"; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# alive PID succeeds when PID exists and is not a zombie waiting to be reaped.
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st%% *}" != Z ]
}

# running NAME succeeds when NAME's recorded PID is alive and still runs NAME.
running() {
	local pid
	pid=$(cat "$state/$1.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$1"
}

# spawn NAME CMD... starts CMD in its own session with output appended to the
# log and records its PID.
spawn() {
	local name=$1
	shift
	echo "--- $(date -Is) $*" >>"$state/$name.log"
	if command -v setsid >/dev/null; then
		setsid "$@" </dev/null >>"$state/$name.log" 2>&1 &
	else
		nohup "$@" </dev/null >>"$state/$name.log" 2>&1 &
	fi
	echo $! >"$state/$name.pid"
}

# wait_ready NAME SECONDS CHECK... polls CHECK until it succeeds, failing early
# with the log's tail when the process exits. It asks only whether the
# spawned PID is alive: for a moment after spawn that PID is still the forked
# shell, whose command line does not name the service yet (running would say
# no, and the service, left without a PID file, would outlive the failure).
wait_ready() {
	local name=$1 secs=$2
	shift 2
	local deadline=$((SECONDS + secs)) pid
	pid=$(cat "$state/$name.pid")
	while ! "$@" >/dev/null 2>&1; do
		if ! alive "$pid"; then
			tail -n 20 "$state/$name.log" >&2
			rm -f "$state/$name.pid"
			die "$name exited during start (log: $state/$name.log)"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			tail -n 20 "$state/$name.log" >&2
			die "$name not ready after ${secs}s (log: $state/$name.log)"
		fi
		sleep 0.2
	done
}

start_mosquitto() {
	if running mosquitto; then
		say "mosquitto already running (pid $(cat "$state/mosquitto.pid"), port $(cat "$state/mosquitto.port"))"
		return
	fi
	command -v mosquitto >/dev/null || die "mosquitto not installed; run scripts/install-services.sh"
	local port dir=$state/mosquitto
	port=$(pick_port "${HAMLET_MQTT_PORT:-}" "$state/mosquitto.port" 1883)
	mkdir -p "$dir"
	sed -e "s#@PORT@#$port#g" -e "s#@DIR@#$dir#g" -e "s#@USER@#$(id -un)#g" \
		"$root/scripts/mosquitto.conf" >"$state/mosquitto.conf"
	echo "$port" >"$state/mosquitto.port"
	say "starting mosquitto on 127.0.0.1:$port (data $dir)"
	spawn mosquitto mosquitto -c "$state/mosquitto.conf"
	wait_ready mosquitto 10 timeout 2 mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 \
		-i "hamlet-services-ready-$$" -t hamlet/services/ready -m ok
	say "mosquitto ready (pid $(cat "$state/mosquitto.pid"))"
}

start_influxd() {
	if running influxd; then
		say "influxd already running (pid $(cat "$state/influxd.pid"), port $(cat "$state/influxd.port"))"
		return
	fi
	local bin=${HAMLET_INFLUXD:-$root/.tools/influxd}
	[ -x "$bin" ] || bin=$(command -v influxd) || die "influxd not installed; run scripts/install-services.sh"
	command -v curl >/dev/null || die "curl not installed; run scripts/install-services.sh"
	local port rpc dir=$state/influxdb
	port=$(pick_port "${HAMLET_INFLUX_PORT:-}" "$state/influxd.port" 8086)
	echo "$port" >"$state/influxd.port"
	rpc=$(pick_port "${HAMLET_INFLUX_RPC_PORT:-}" "$state/influxd.rpcport" 8088)
	[ "$rpc" != "$port" ] || die "influxd HTTP and RPC ports are both $port"
	echo "$rpc" >"$state/influxd.rpcport"
	mkdir -p "$dir"
	sed -e "s#@HTTP_PORT@#$port#g" -e "s#@RPC_PORT@#$rpc#g" -e "s#@DIR@#$dir#g" \
		"$root/scripts/influxdb.conf" >"$state/influxdb.conf"
	say "starting influxd on 127.0.0.1:$port, rpc 127.0.0.1:$rpc (data $dir)"
	spawn influxd "$bin" run -config "$state/influxdb.conf"
	wait_ready influxd 60 curl -fsS --max-time 2 "http://127.0.0.1:$port/health"
	curl -fsS --max-time 10 -XPOST "http://127.0.0.1:$port/query" \
		--data-urlencode 'q=CREATE DATABASE hamlet' >/dev/null ||
		die "CREATE DATABASE hamlet failed on influxd (log: $state/influxd.log)"
	say "influxd ready (pid $(cat "$state/influxd.pid")), database hamlet exists"
}

stop_one() {
	local name=$1 pid i
	if ! running "$name"; then
		rm -f "$state/$name.pid"
		say "$name not running"
		return
	fi
	pid=$(cat "$state/$name.pid")
	say "stopping $name (pid $pid)"
	kill -TERM "$pid"
	for i in $(seq 1 75); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		say "$name did not stop in 15s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$state/$name.pid"
}

status_one() {
	local name=$1
	if running "$name"; then
		say "$name running (pid $(cat "$state/$name.pid"), 127.0.0.1:$(cat "$state/$name.port"), log $state/$name.log)"
	else
		say "$name stopped"
		return 3
	fi
}

write_env() {
	local tmp=$state/env.tmp
	{
		echo "# Written by scripts/services.sh; load with: set -a; . $state/env; set +a"
		if running mosquitto; then
			echo "HAMLET_MQTT_BROKER=tcp://127.0.0.1:$(cat "$state/mosquitto.port")"
			echo "MOSQUITTO_PID=$(cat "$state/mosquitto.pid")"
		fi
		if running influxd; then
			echo "HAMLET_INFLUX_URL=http://127.0.0.1:$(cat "$state/influxd.port")"
			echo "HAMLET_INFLUX_BUCKET=hamlet/autogen"
			echo "INFLUXD_PID=$(cat "$state/influxd.pid")"
		fi
	} >"$tmp"
	mv "$tmp" "$state/env"
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
cmd=$1
case ${2:-all} in
all) names=(mosquitto influxd) ;;
mosquitto | influxd) names=("$2") ;;
*) usage ;;
esac
mkdir -p "$state"

case $cmd in
start)
	for n in "${names[@]}"; do "start_$n"; done
	write_env
	say "environment in $state/env"
	;;
stop)
	for n in "${names[@]}"; do stop_one "$n"; done
	write_env
	;;
restart)
	for n in "${names[@]}"; do stop_one "$n"; done
	for n in "${names[@]}"; do "start_$n"; done
	write_env
	;;
status)
	rc=0
	for n in "${names[@]}"; do status_one "$n" || rc=3; done
	exit "$rc"
	;;
*) usage ;;
esac
