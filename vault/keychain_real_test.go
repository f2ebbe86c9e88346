//go:build keychain

// Tests against the real OS keychain; `make test` runs them inside
// dbus-run-session with an unlocked gnome-keyring. Without one they fail:
// they never skip.
package vault

import (
	"strings"
	"testing"

	"storelink/connectors"
)

func TestRealKeychain4KiBSecretRoundTrip(t *testing.T) {
	k := NewKeychain("io.storelink.desktop.test")
	v, err := Open(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.Repeat("0123456789abcdef", 256) // 4 KiB
	pemKey := rsaPEM(t, 4096)
	c, err := v.Save(conn("Real"), connectors.Values{"api_key": secret, "private_key": pemKey}, SaveOptions{})
	if err != nil {
		t.Fatalf("saving to the real keychain: %v", err)
	}
	got, err := v.Secrets(c)
	if err != nil {
		t.Fatal(err)
	}
	if got["api_key"] != secret || got["private_key"] != pemKey {
		t.Fatal("secrets did not round-trip through the Secret Service")
	}
	// The items really are in the Secret Service, split into chunks.
	head, err := k.Get(secretKey(c.ID, c.Generation, "api_key"))
	if err != nil || head != headerChunks+"2" {
		t.Fatalf("primary item = %q, %v", head, err)
	}
	if err := v.Delete("Real"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(secretKey(c.ID, c.Generation, "api_key") + "#1"); err != ErrSecretNotFound {
		t.Fatalf("chunk still present after delete: %v", err)
	}
}
