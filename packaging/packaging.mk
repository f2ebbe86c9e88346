# Packages and installs, included by the Makefile. Linux (.tar.xz, .deb) and
# Windows (.exe, .msi) are built here; macOS (.app in a .dmg) only on a macOS
# runner, by .github/workflows/release.yml with these same variables.
#
# One version: FyneApp.toml's [Details] Version (and Build). The build writes
# it into the binary (connectors.Version), the packages carry the same, and
# every package target checks the binary says so.
VERSION := $(shell packaging/fyneapp.sh Version)
LDFLAGS := -X storelink/connectors.versionFromBuild=$(VERSION)
DIST ?= $(CURDIR)/dist
PREFIX ?= $(HOME)/.local

# Pinned tools, run with "go run": nfpm for the .deb, go-winres for the
# Windows icon and version resource, and the Fyne tool. That one only
# packages binaries we build (its own Fyne version does not matter); before
# v1.7.3 its archive's Makefile failed to install the icon.
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
NFPM := github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.43.0
GO_WINRES := github.com/tc-hib/go-winres@v0.3.3

PACKAGE_PKGS := binutils xz-utils
WINDOWS_PKGS := gcc-mingw-w64-x86-64 msitools wixl osslsigncode file
MINGW_CC := x86_64-w64-mingw32-gcc

# One line before a build whose GL toolkit (GLFW, through cgo) is not in the
# build cache: that build is silent for several minutes.
FIRST_BUILD_NOTE = $(GO) list -tags $(TAGS) -f '{{if .Stale}}Note: this first build compiles the GL toolkit (GLFW) through cgo and takes a few minutes; later builds take seconds.{{end}}' github.com/go-gl/glfw/v3.3/glfw 2>/dev/null | grep . || true

# What the packaging scripts read (they read the version from FyneApp.toml).
# LDFLAGS goes to them as GO_LDFLAGS: C tools read an exported LDFLAGS.
export DIST FYNE_TOOL NFPM GO_WINRES GO TAGS MINGW_CC

.PHONY: version package-linux package-windows package-darwin install uninstall test-packaging test-deb test-install

version:
	@echo $(VERSION)

# dist/: Storelink-<version>-linux-amd64.tar.xz (the Fyne tool's package) and
# storelink_<version>_amd64.deb (nfpm, Depends from the libraries the window
# program links), each with both programs.
package-linux: deps
	@scripts/apt-install.sh $(PACKAGE_PKGS)
	@$(FIRST_BUILD_NOTE)
	$(GO) build -tags $(TAGS) -ldflags "-s -w $(LDFLAGS)" -o $(DIST)/linux/$(WINDOW) .
	CGO_ENABLED=0 $(GO) build -ldflags "-s -w $(LDFLAGS)" -o $(DIST)/linux/$(BIN) ./cmd/storelink
	packaging/package-linux.sh $(DIST)/linux

# dist/: storelink-window.exe (GUI), storelink.exe (console command line),
# both with icon and version resource, and
# Storelink-<version>-windows-amd64.msi; all signed when SIGN_CERT and
# SIGN_KEY (and optionally SIGN_PASS_FILE) name a certificate and its key.
package-windows: deps
	@scripts/apt-install.sh $(WINDOWS_PKGS)
	@GOOS=windows GOARCH=amd64 CC=$(MINGW_CC) $(FIRST_BUILD_NOTE)
	GO_LDFLAGS="$(LDFLAGS)" packaging/package-windows.sh

# macOS only (Apple's SDK), as the release workflow runs it on a macOS
# runner: dist/Storelink-<version>-macos.dmg with a universal Storelink.app.
# No deps: those are apt packages; Xcode's command line tools suffice.
package-darwin:
	@$(FIRST_BUILD_NOTE)
	GO_LDFLAGS="$(LDFLAGS)" packaging/package-darwin.sh

# For people building from source on Linux: storelink and storelink-window
# on the PATH with the desktop entry and icon, under PREFIX (default
# ~/.local; sudo make install PREFIX=/usr/local for everyone).
install: build
	packaging/install.sh install . "$(PREFIX)"

uninstall:
	packaging/install.sh uninstall . "$(PREFIX)"

# The packages installed and removed for real (dpkg needs root), and make
# install into a temporary PREFIX. Not part of make test: they build packages.
test-packaging: test-install test-deb

test-deb: package-linux
	packaging/test-deb.sh $(DIST)/storelink_$(VERSION)_amd64.deb

test-install: build
	packaging/test-install.sh
