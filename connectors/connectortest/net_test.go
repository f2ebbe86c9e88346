package connectortest_test

import (
	"errors"
	"net"
	"syscall"
	"testing"

	"storelink/connectors/connectortest"
)

func TestDeadAddressRefusesADial(t *testing.T) {
	addr := connectortest.DeadAddress(t)
	if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" {
		t.Fatalf("address %q: %v", addr, err)
	}
	c, err := net.Dial("tcp", addr)
	if err == nil {
		c.Close()
		t.Fatalf("something listens at %s", addr)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Logf("dial %s: %v (not ECONNREFUSED on this system)", addr, err)
	}
}
