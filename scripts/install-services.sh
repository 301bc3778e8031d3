#!/usr/bin/env bash
# install-services.sh installs what hamlet's tests, demo and checks need and is
# missing: Mosquitto 2 and its clients (Debian packages), InfluxDB OSS 1.8.10
# (built from the Go module proxy into <repo>/.tools/influxd), systemd-analyze,
# espeak-ng and ffmpeg (text to speech and audio conversion for announcements),
# a C compiler (go test -race needs cgo), curl, make, and python3-ephem (the
# independent reference the sun-time tests of schedule/ compare against). With --with-chromium
# (or HAMLET_WITH_CHROMIUM=1) it also installs Chromium for the browser tests.
#
# It is idempotent and quick when everything is present. It uses sudo only when
# not run as root, runs apt-get update only when an install fails without it,
# prints what it does, and exits non-zero with a clear message on failure.
set -euo pipefail

INFLUXD_VERSION=v1.8.10
INFLUXD_MODULE=github.com/influxdata/influxdb
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/.tools
with_chromium=${HAMLET_WITH_CHROMIUM:-0}

for arg in "$@"; do
	case $arg in
	--with-chromium) with_chromium=1 ;;
	-h | --help)
		sed -n '2,10s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "install-services: unknown argument '$arg' (known: --with-chromium)" >&2
		exit 2
		;;
	esac
done

say() { echo "install-services: $*"; }
die() {
	echo "install-services: error: $*" >&2
	exit 1
}

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "not root and sudo is missing; run as root to install packages"
	sudo_cmd=(sudo)
fi

# missing CMD [DIR...] succeeds when CMD is neither on PATH nor in one of the DIRs
# (Debian puts mosquitto in /usr/sbin, which a normal user's PATH may lack).
missing() {
	local cmd=$1 dir
	shift
	command -v "$cmd" >/dev/null 2>&1 && return 1
	for dir in "$@"; do
		[ -x "$dir/$cmd" ] && return 1
	done
	return 0
}

apt_updated=0
# apt_install PKG... installs Debian packages, updating the package lists only
# when the first attempt fails (a fresh image often has none).
apt_install() {
	command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
	say "apt-get install $*"
	local env=(env DEBIAN_FRONTEND=noninteractive)
	local log
	log=$(mktemp)
	if "${sudo_cmd[@]}" "${env[@]}" apt-get install -y --no-install-recommends "$@" >"$log" 2>&1; then
		rm -f "$log"
		return 0
	fi
	if [ "$apt_updated" -eq 0 ]; then
		say "install failed; running apt-get update and retrying"
		"${sudo_cmd[@]}" "${env[@]}" apt-get update >"$log" 2>&1 || {
			tail -n 20 "$log" >&2
			die "apt-get update failed"
		}
		apt_updated=1
		if "${sudo_cmd[@]}" "${env[@]}" apt-get install -y --no-install-recommends "$@" >"$log" 2>&1; then
			rm -f "$log"
			return 0
		fi
	fi
	tail -n 20 "$log" >&2
	rm -f "$log"
	die "apt-get install $* failed"
}

pkgs=()
missing mosquitto /usr/sbin /usr/local/sbin && pkgs+=(mosquitto)
missing mosquitto_pub && pkgs+=(mosquitto-clients)
missing systemd-analyze && pkgs+=(systemd)
missing gcc && pkgs+=(gcc libc6-dev)
missing curl && pkgs+=(curl ca-certificates)
missing make && pkgs+=(make)
missing git && pkgs+=(git)
# Debian's module is for Debian's python (a pyenv python3 on PATH does not see it).
/usr/bin/python3 -c 'import ephem' >/dev/null 2>&1 || pkgs+=(python3 python3-ephem)
missing espeak-ng && pkgs+=(espeak-ng)
missing ffmpeg && pkgs+=(ffmpeg)
if [ "$with_chromium" = 1 ] && missing chromium && missing chromium-browser; then
	pkgs+=(chromium)
fi
if [ ${#pkgs[@]} -gt 0 ]; then
	apt_install "${pkgs[@]}"
fi

# influxd: "influxd version" of a go-installed binary says "unknown", so the
# module version recorded in the binary is what tells which release it is.
influxd_version() {
	[ -x "$tools/influxd" ] || return 0
	go version -m "$tools/influxd" 2>/dev/null | awk -v m="$INFLUXD_MODULE" '$1 == "mod" && $2 == m { print $3 }'
}

command -v go >/dev/null || die "go not found on PATH (expected e.g. /usr/local/go/bin)"
if [ "$(influxd_version)" = "$INFLUXD_VERSION" ]; then
	:
else
	say "go install $INFLUXD_MODULE/cmd/influxd@$INFLUXD_VERSION into $tools (about a minute the first time)"
	mkdir -p "$tools"
	log=$(mktemp)
	if ! GOBIN=$tools go install \
		-ldflags "-X main.version=${INFLUXD_VERSION#v} -X main.branch=${INFLUXD_VERSION} -X main.commit=module" \
		"$INFLUXD_MODULE/cmd/influxd@$INFLUXD_VERSION" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		die "building influxd $INFLUXD_VERSION failed"
	fi
	rm -f "$log"
	[ "$(influxd_version)" = "$INFLUXD_VERSION" ] || die "$tools/influxd is not $INFLUXD_VERSION after go install"
fi

mosquitto_bin=$(PATH=$PATH:/usr/sbin:/usr/local/sbin command -v mosquitto)
say "ready: $("$mosquitto_bin" -h 2>&1 | head -n 1 || true), influxd $(influxd_version) ($tools/influxd), $(systemd-analyze --version | head -n 1)"
