#!/usr/bin/env bash
# check.sh runs the static checks: gofmt (lists unformatted files), go vet, and
# systemd-analyze security on the shipped unit, which must score 2.0 or lower.
set -euo pipefail
cd "$(dirname "$0")/.."
rc=0

mapfile -t files < <(find . -name '*.go' \
	-not -path './.git/*' -not -path './.tools/*' -not -path './.services/*' \
	-not -path '*/node_modules/*' -not -path '*/testdata/*')
unformatted=$(gofmt -l "${files[@]}")
if [ -n "$unformatted" ]; then
	echo "check: gofmt -w these files:" >&2
	echo "$unformatted" >&2
	rc=1
fi

echo "check: go vet ./..."
go vet ./... || rc=1

unit=systemd/hamletd.service
if command -v systemd-analyze >/dev/null; then
	# --threshold is on the 0-100 scale behind the 0.0-10.0 score shown.
	out=$(systemd-analyze security --offline=true --threshold=20 --no-pager "$unit" 2>&1) || {
		echo "$out" >&2
		echo "check: $unit scores above 2.0" >&2
		rc=1
	}
	grep -F 'Overall exposure level' <<<"$out" || true
else
	echo "check: systemd-analyze missing; run scripts/install-services.sh" >&2
	rc=1
fi
exit "$rc"
