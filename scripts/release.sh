#!/usr/bin/env bash
# release.sh VERSION: static hamletd binaries (CGO_ENABLED=0, pure-Go SQLite)
# for the boards hamlet runs on, in dist/, with a SHA256SUMS file.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-dev}
rm -rf dist && mkdir -p dist
for target in linux/amd64 linux/arm64 linux/arm/7; do
	IFS=/ read -r os arch arm <<<"$target"
	name=hamletd-$version-$os-$arch${arm:+v$arm}
	echo "release: building $name"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOARM=${arm:-} go build -trimpath \
		-ldflags "-s -w -X main.version=$version" -o "dist/$name" ./cmd/hamletd
done
(cd dist && sha256sum hamletd-* >SHA256SUMS)
echo "release: dist/ ($(ls dist | wc -l) files)"
cat dist/SHA256SUMS
