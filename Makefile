# Entry points for building, testing and running hamlet. Each target is short
# and delegates to scripts/; see README.md.

GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
FUZZTIME  ?= 5s
BENCHTIME ?= 1s

.PHONY: test fuzz bench soak build release check demo install-services install-browser services-start services-stop services-status clean

## test: install missing services and the browser, run every test against real Mosquitto and InfluxDB
## (the phone UI's in headless Chromium), then a short fuzz pass
test: install-services install-browser
	HAMLET_REQUIRE_SERVICES=1 $(GO) test -race -count=1 ./...
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh
	scripts/release.sh --check

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## bench: run the benchmarks (bench/, and the phone UI's page weights and timings in headless Chromium,
## installing the browser when missing; UI=0 leaves them out), results in bench/results.md
bench:
	BENCHTIME=$(BENCHTIME) scripts/bench.sh

## soak: faults (InfluxDB outages, broker restarts, SIGKILLs, garbage) while telemetry flows, lamps are
## commanded and announcements fall due, for SOAK (default 30m; not in CI); every point, every lamp's
## state and every speaker's plays (none twice) checked, memory and goroutines flat; results in bench/results.md
SOAK ?= 30m
soak: install-services
	HAMLET_REQUIRE_SERVICES=1 HAMLET_SOAK=$(SOAK) HAMLET_SOAK_OUT=$(CURDIR)/bench/results.md \
		$(GO) test -run TestSoak -count=1 -timeout 0 -v ./e2e

## build: a static ./hamletd (set GOOS/GOARCH in the environment to cross-compile, e.g. GOARCH=arm64)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o hamletd ./cmd/hamletd

## release: static binaries for linux/amd64, arm64 and armv7 (Raspberry Pi) in dist/, with SHA256SUMS
release:
	scripts/release.sh $(VERSION)

## check: gofmt, go vet and the systemd unit's security score
check:
	scripts/check.sh

## demo: a simulated area with the daemon (on the real Mosquitto and InfluxDB when installed, else the
## embedded broker); prints the URL and a login per role.
## LISTEN=0.0.0.0:8080 serves phones on the LAN (and prints a QR code).
LISTEN ?= 127.0.0.1:8080
demo:
	@LISTEN=$(LISTEN) scripts/demo.sh

install-services:
	scripts/install-services.sh

install-browser:
	scripts/install-browser.sh

## services-start/-stop/-status: Mosquitto and InfluxDB for manual use (.services/, .services/env)
services-start: install-services
	scripts/services.sh start all

services-stop:
	scripts/services.sh stop all

services-status:
	scripts/services.sh status all

## clean: remove the binary and the services' state (stops them first)
clean: services-stop
	rm -rf hamletd .services
