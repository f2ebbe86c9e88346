# Storelink: `make run` and `make test` do all the set-up on Debian/Ubuntu.
SHELL := /bin/bash
GO ?= go
TAGS := migrated_fynedo
# Two programs from one engine: the command line (no GUI toolkit, no cgo, so
# scripts' commands start fast) and the window; `storelink` alone runs the
# window program installed beside it.
BIN := storelink
WINDOW := storelink-window
ARTIFACTS ?= $(CURDIR)/artifacts
# Fyne reads the language from LC_ALL/LANG: "C" is not a language tag and
# makes it log an error, so name one. LC_ALL is cleared: the shells would
# warn if en_US.UTF-8 is not generated on the machine.
export LANG := en_US.UTF-8
unexport LC_ALL
export CGO_ENABLED := 1

BUILD_PKGS := gcc pkg-config libgl1-mesa-dev xorg-dev
TEST_PKGS := xvfb xauth xdotool imagemagick gnome-keyring libsecret-tools dbus-x11 x11-utils

.PHONY: all deps deps-test build run test test-unit test-keychain test-window test-cli bench fuzz lint-workflows clean

all: build

deps:
	@scripts/apt-install.sh $(BUILD_PKGS)

deps-test: deps
	@scripts/apt-install.sh $(TEST_PKGS)

build: deps
	@$(FIRST_BUILD_NOTE)
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(WINDOW) .
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/storelink

run: build
	./$(BIN)

# Every test: unit and server tests under -race, the real keychain, the real
# window under Xvfb, and the command line through the real binary.
test: deps-test
	$(GO) vet -tags $(TAGS) ./...
	$(GO) vet -tags e2e,keychain,$(TAGS) ./cli/ ./vault/
	$(MAKE) test-unit test-keychain test-window test-cli

test-unit:
	$(GO) test -race -count=1 -tags ci,$(TAGS) ./...

test-keychain:
	scripts/keychain-test.sh

test-window: build
	ARTIFACTS=$(ARTIFACTS) scripts/window-test.sh ./$(BIN)

# The real binary, as scripts use it, with the real keychain.
test-cli: build
	STORELINK_BIN=$(CURDIR)/$(BIN) scripts/expect-tests.sh 41 scripts/with-keyring.sh $(GO) test -count=1 -v -tags e2e,$(TAGS) -run 'E2E' ./cli/

# Go benchmarks, then whole processes against the toolkit's floor (a bare
# Fyne window built with the same flags) and curl, under Xvfb with a real
# keychain; figures to artifacts/ (copy them into docs/BENCHMARKS.md).
bench: deps-test build
	mkdir -p $(ARTIFACTS)
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./... | tee $(ARTIFACTS)/bench-go.txt
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(ARTIFACTS)/floor ./bench/floor
	scripts/with-keyring.sh bench/run.sh ./$(BIN) $(ARTIFACTS)/floor $(ARTIFACTS)/bench-process.md
	scripts/with-keyring.sh bench/api.sh ./$(BIN) $(ARTIFACTS)/bench-api.md

# Every fuzz target for a minute (not part of make test); new interesting
# inputs are kept in testdata/fuzz.
fuzz:
	scripts/fuzz.sh 60s

# The GitHub workflows, checked with actionlint (and the shellcheck it runs
# on each step, when shellcheck is installed); not part of make test, as it
# fetches actionlint through the Go module proxy the first time.
ACTIONLINT := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
lint-workflows:
	$(GO) run $(ACTIONLINT) -no-color .github/workflows/*.yml

clean:
	rm -rf $(BIN) $(WINDOW) $(ARTIFACTS)

# VERSION and LDFLAGS (from FyneApp.toml), packages, make install.
include packaging/packaging.mk
