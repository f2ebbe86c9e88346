# Packages and installs, included by the Makefile.
#
# One version: FyneApp.toml's [Details] Version (and Build). The build writes
# it into the binary (connectors.Version), the packages carry the same, and
# every package target checks the binary says so.
VERSION := $(shell packaging/fyneapp.sh Version)
BUILD_NUMBER := $(shell packaging/fyneapp.sh Build)
LDFLAGS := -X storelink/connectors.versionFromBuild=$(VERSION)

# One line before a build whose GL toolkit (GLFW, through cgo) is not in the
# build cache: that build is silent for several minutes.
FIRST_BUILD_NOTE = $(GO) list -tags $(TAGS) -f '{{if .Stale}}Note: this first build compiles the GL toolkit (GLFW) through cgo and takes a few minutes; later builds take seconds.{{end}}' github.com/go-gl/glfw/v3.3/glfw 2>/dev/null | grep . || true

.PHONY: version

version:
	@echo $(VERSION)
