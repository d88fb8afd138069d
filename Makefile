# Countersign — `make demo` and `make test` are all a fresh Debian machine with Swift needs.
SHELL := /bin/bash
SWIFT ?= swift
DEBIAN_PACKAGES := pkg-config openssl libxml2-dev libsqlite3-dev libssl-dev libyaml-dev libpq-dev \
                   xmlstarlet libxml2-utils postgresql chromium python3
BIN = $(shell $(SWIFT) build -c release --show-bin-path)
# The release binary carries the Swift runtime and Foundation (linked statically): it starts in a
# couple of milliseconds and runs where no Swift toolchain is installed.
RELEASE := -c release --static-swift-stdlib

.PHONY: deps build demo test lint bench clean

## deps: install the Debian packages that are missing (quiet when all are present)
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v bagit.py >/dev/null || python3 -m pip install -q bagit 2>/dev/null \
	    || python3 -m pip install -q --break-system-packages bagit

build: deps
	$(SWIFT) build $(RELEASE) --product countersign

## demo: run the main job on the embedded SQLite store, in out/demo/
demo: build
	"$(BIN)/countersign" demo

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

## test: lint, then every test (Swift Testing)
test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: the benchmarks, each printed as a ratio against the floor its issue names
bench: deps
	$(SWIFT) build $(RELEASE) --product countersign
	$(SWIFT) build -c release --product countersign-bench  # TestSupport needs Testing, not in the static SDK
	"$(BIN)/countersign-bench"

clean:
	rm -rf .build out/demo
