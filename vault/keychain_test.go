package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

func TestKeychainCallsTimeOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	k := &Keychain{Service: "io.storelink.test", Timeout: 50 * time.Millisecond, checkBus: noBusCheck, backend: keyringBackend{
		get: func(string, string) (string, error) { <-release; return "", nil },
	}}
	_, err := k.Get("x")
	if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("err = %v", err)
	}
}

func TestKeychainErrorsAreWorded(t *testing.T) {
	noService := dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}
	k := &Keychain{Service: "io.storelink.test", checkBus: noBusCheck, backend: keyringBackend{
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

func TestNoSessionBusStartsNothingAndSaysSo(t *testing.T) {
	calls := 0
	k := &Keychain{Service: "io.storelink.test", backend: keyringBackend{
		get: func(string, string) (string, error) { calls++; return "", nil },
	}}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no bus socket there
	if runtime.GOOS != "linux" {
		t.Skip("only Linux reaches its keychain over a session bus")
	}
	_, err := k.Get("x")
	var ke *KeychainError
	if !errors.As(err, &ke) || calls != 0 || !strings.Contains(err.Error(), "no desktop session") || !strings.Contains(ke.Hint, "dbus-run-session") {
		t.Fatalf("without a session bus: calls %d, %v", calls, err)
	}
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Error("it is an unavailable keychain")
	}
	// With a bus socket in the runtime folder, go-keyring is asked.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	if _, err := k.Get("x"); err != nil || calls != 1 {
		t.Errorf("with a bus: calls %d, %v", calls, err)
	}
}

// noBusCheck: the unit tests' fake backends need no session bus.
func noBusCheck() error { return nil }
