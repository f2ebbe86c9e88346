package connectortest

// net.go: addresses for tests of what a client does when the network fails.

import (
	"net"
	"testing"
)

// DeadAddress is a host:port on 127.0.0.1 where nothing listens: a port the
// system just handed out, its listener closed, so a dial there is refused.
func DeadAddress(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
