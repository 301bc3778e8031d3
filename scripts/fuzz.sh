#!/usr/bin/env bash
# fuzz.sh runs every native Go fuzz target (func FuzzXxx in a _test.go file) of
# the module, one at a time, for FUZZTIME each (default 5s): a short pass that
# catches regressions on every `make test`, not a fuzzing campaign. It passes
# when there are no targets, runs each target of a package separately, goes on
# after a failure and exits 1 at the end if any target failed. A failing input
# is saved under the package's testdata/fuzz/ by go test; commit it as a
# regression case once fixed.
#
#   FUZZTIME=30s scripts/fuzz.sh          # longer
#   FUZZ='FuzzDecode' scripts/fuzz.sh     # only targets whose name matches
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
filter=${FUZZ:-.}

# Packages with a fuzz target, by Go's own idea of the module's packages, so
# testdata/, vendored and hidden directories are left out as go test does.
pkgs=()
while read -r dir path; do
	if grep -qsE '^func Fuzz[A-Z0-9_]' "$dir"/*_test.go; then
		pkgs+=("$path")
	fi
done < <(go list -f '{{.Dir}} {{.ImportPath}}' ./...)

if [ ${#pkgs[@]} -eq 0 ]; then
	echo "fuzz: no fuzz targets"
	exit 0
fi

# "go test -list" prints a package's matching names, then "ok <pkg> <time>".
targets=()
names=()
while read -r first second _; do
	case $first in
	Fuzz*) names+=("$first") ;;
	ok)
		for n in "${names[@]}"; do targets+=("$second $n"); done
		names=()
		;;
	esac
done < <(go test -list '^Fuzz' "${pkgs[@]}")

# fuzz_one runs one target. Go's fuzz coordinator sometimes stops with
# "context deadline exceeded" when -fuzztime ends while a worker is still
# starting or minimizing on a loaded machine; that is not a finding (no
# failing input is written), so such a run is tried once more.
fuzz_one() {
	local out
	out=$(mktemp)
	if go test -run='^$' -fuzz="^$2\$" -fuzztime="$fuzztime" -fuzzminimizetime=10s "$1" 2>&1 | tee "$out"; then
		rm -f "$out"
		return 0
	fi
	if grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written to' "$out"; then
		rm -f "$out"
		echo "fuzz: $1 $2 stopped by the fuzzing engine's deadline without a finding; once more"
		go test -run='^$' -fuzz="^$2\$" -fuzztime="$fuzztime" -fuzzminimizetime=10s "$1"
		return
	fi
	rm -f "$out"
	return 1
}

failed=()
ran=0
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	[[ $name =~ $filter ]] || continue
	echo "fuzz: $pkg $name for $fuzztime"
	ran=$((ran + 1))
	if ! fuzz_one "$pkg" "$name"; then
		failed+=("$pkg $name")
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	printf 'fuzz: FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "fuzz: $ran target(s) passed"
