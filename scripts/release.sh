#!/usr/bin/env bash
# release.sh VERSION: static hamletd binaries (CGO_ENABLED=0, pure-Go SQLite)
# for the boards hamlet runs on, in dist/, with a SHA256SUMS file.
# release.sh --check: only cross-compile the ARM targets into a temporary
# directory (make test runs it, so the ARM builds never break unnoticed).
set -euo pipefail
cd "$(dirname "$0")/.."
targets="linux/amd64 linux/arm64 linux/arm/7"
if [ "${1:-}" = --check ]; then
	dist=$(mktemp -d)
	trap 'rm -rf "$dist"' EXIT
	for target in linux/arm64 linux/arm/7; do
		IFS=/ read -r os arch arm <<<"$target"
		CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOARM=${arm:-} go build -trimpath -o "$dist/hamletd" ./cmd/hamletd
		echo "release check: $target builds ($(du -h "$dist/hamletd" | cut -f1))"
	done
	exit 0
fi
version=${1:-dev}
rm -rf dist && mkdir -p dist
for target in $targets; do
	IFS=/ read -r os arch arm <<<"$target"
	name=hamletd-$version-$os-$arch${arm:+v$arm}
	echo "release: building $name"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOARM=${arm:-} go build -trimpath \
		-ldflags "-s -w -X main.version=$version" -o "dist/$name" ./cmd/hamletd
done
(cd dist && sha256sum hamletd-* >SHA256SUMS)
echo "release: dist/ ($(ls dist | wc -l) files)"
cat dist/SHA256SUMS
