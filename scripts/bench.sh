#!/usr/bin/env bash
# bench.sh runs the benchmarks under bench/ (kept apart from the tests), and
# passes with a note while there are none.
#
#   BENCH=Ingest BENCHTIME=10s scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t pkgs < <(go list ./bench/... 2>/dev/null)
if [ ${#pkgs[@]} -eq 0 ]; then
	echo "bench: no benchmark packages under bench/"
	exit 0
fi
exec go test -run='^$' -bench="${BENCH:-.}" -benchtime="${BENCHTIME:-1s}" -benchmem "${pkgs[@]}"
