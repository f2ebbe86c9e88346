package vault

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

func TestKeychainCallsTimeOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	k := &Keychain{Service: "io.storelink.test", Timeout: 50 * time.Millisecond, backend: keyringBackend{
		get: func(string, string) (string, error) { <-release; return "", nil },
	}}
	_, err := k.Get("x")
	if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("err = %v", err)
	}
}

func TestKeychainErrorsAreWorded(t *testing.T) {
	noService := dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}
	k := &Keychain{Service: "io.storelink.test", backend: keyringBackend{
		set: func(string, string, string) error { return noService },
	}}
	err := k.Set("x", "value-that-must-not-show")
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "gnome-keyring") || strings.Contains(err.Error(), "value-that-must-not-show") {
		t.Fatalf("message = %q", err.Error())
	}
}
