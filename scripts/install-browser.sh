#!/usr/bin/env bash
# install-browser.sh installs what the phone UI's browser tests (e2e/browser)
# need and is missing: Debian's chromium (through install-services.sh
# --with-chromium, with Mosquitto and the rest), node and npm (Debian
# packages), and the npm packages of e2e/browser (playwright-core, axe-core)
# with `npm ci` from its package-lock.json. Idempotent and quick when all is
# present; exits non-zero with a clear message on failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "install-browser: $*"; }

"$root/scripts/install-services.sh" --with-chromium

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	say "installing nodejs and npm (Debian packages)"
	sudo_cmd=""
	[ "$(id -u)" = 0 ] || sudo_cmd=sudo
	$sudo_cmd apt-get install -y -qq nodejs npm >/dev/null ||
		{ $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq nodejs npm >/dev/null; } ||
		{ echo "install-browser: could not install nodejs and npm" >&2; exit 1; }
fi

dir=$root/e2e/browser
stamp=$dir/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
	say "npm ci in e2e/browser"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) ||
		{ echo "install-browser: npm ci failed in $dir" >&2; exit 1; }
fi
say "ready: $(command -v chromium || echo /usr/bin/chromium), node $(node --version)"
