package vault

import (
	"errors"
	"testing"
)

// Warm connects in the background when a session bus is there, and never
// without one: godbus would autolaunch a dbus-daemon, which keeps running.
func TestKeychainWarmConnectsOnlyWithABus(t *testing.T) {
	connected := make(chan struct{}, 1)
	backend := keyringBackend{connect: func() { connected <- struct{}{} }}

	k := &Keychain{Service: "io.storelink.test", checkBus: noBusCheck, backend: backend}
	k.Warm()
	<-connected // bounded by the test's own timeout

	noBus := &Keychain{Service: "io.storelink.test", checkBus: func() error { return errors.New("no session bus") }, backend: backend}
	noBus.Warm()
	select {
	case <-connected:
		t.Fatal("Warm connected without a session bus")
	default:
	}
	(&Keychain{}).Warm() // no connect: nothing to do, no panic
}
