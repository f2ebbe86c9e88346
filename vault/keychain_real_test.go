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

// The batch read over the Secret Service gives what item-by-item reads give,
// chunked values included, and leaves out what is not there.
func TestRealKeychainReadsManyAtOnce(t *testing.T) {
	k := NewKeychain("io.storelink.desktop.test")
	v, err := Open(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("0123456789abcdef", 512) // 8 KiB: chunked
	var cs []Connection
	for i, secret := range []string{"first-secret-value", big, "third-secret-value"} {
		c, err := v.Save(conn("Many "+string(rune('A'+i))), connectors.Values{"api_key": secret}, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	got, err := k.GetMany([]string{secretKey(cs[0].ID, 1, "api_key"), "no/such/item"})
	if err != nil || len(got) != 1 || !strings.HasSuffix(got[secretKey(cs[0].ID, 1, "api_key")], "first-secret-value") {
		t.Fatalf("GetMany: %v %v", got, err)
	}
	reads := v.SecretsMany(cs)
	for _, c := range cs {
		one, err := v.Secrets(c)
		if err != nil || reads[c.ID].Err != nil || reads[c.ID].Values["api_key"] != one["api_key"] {
			t.Errorf("%s: batch %v / %v, one by one %v", c.Name, reads[c.ID].Err, len(reads[c.ID].Values["api_key"]), err)
		}
	}
	for _, c := range cs {
		_ = v.Delete(c.Name)
	}
}
