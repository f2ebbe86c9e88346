//go:build keychain

// Tests against the real OS keychain; `make test` runs them inside
// dbus-run-session with an unlocked gnome-keyring, and the CI workflow
// (.github/workflows/test.yml) on Windows (Credential Manager) and macOS
// (Keychain) too. Without one they fail: they never skip.
package vault

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"storelink/connectors"
)

// credentialBlobMax is the most Windows' Credential Manager takes in one
// item (CRED_MAX_CREDENTIAL_BLOB_SIZE, 5 x 512 bytes; go-keyring refuses
// more before asking): why values are split into chunks.
const credentialBlobMax = 2560

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
	// The items really are in the keychain, split into chunks (2 of 2048
	// bytes; 3 of 1800 on macOS).
	head, err := k.Get(secretKey(c.ID, c.Generation, "api_key"))
	if want := headerChunks + strconv.Itoa(len(splitChunks(secret, chunkSize))); err != nil || head != want {
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
	switch {
	case runtime.GOOS != "linux":
		// Only the Secret Service reads many items in one call; elsewhere
		// SecretsMany reads them one by one.
		if !errors.Is(err, ErrNoBatch) {
			t.Errorf("GetMany on %s: %v %v, want ErrNoBatch", runtime.GOOS, got, err)
		}
	case err != nil || len(got) != 1 || !strings.HasSuffix(got[secretKey(cs[0].ID, 1, "api_key")], "first-secret-value"):
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

// Values around the one-item limits round-trip through the real keychain,
// and no item Storelink writes is over Credential Manager's 2,560 bytes: the
// largest single item, the first one split, one exactly at the limit, one
// just over it, and a split that falls inside multi-byte characters.
func TestRealKeychainValuesAroundTheItemLimit(t *testing.T) {
	k := NewKeychain("io.storelink.desktop.test")
	v, err := Open(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]string{
		"one item":        strings.Repeat("a", chunkSize),
		"first split":     strings.Repeat("b", chunkSize+1),
		"at the limit":    strings.Repeat("c", credentialBlobMax),
		"over it":         strings.Repeat("d", credentialBlobMax+1),
		"3 KiB of \u00e9": strings.Repeat("\u00e9", 1536), // 2 bytes each: cuts land inside characters
	}
	i := 0
	for what, secret := range sizes {
		i++
		c, err := v.Save(conn("Limit "+strconv.Itoa(i)), connectors.Values{"api_key": secret}, SaveOptions{})
		if err != nil {
			t.Errorf("%s (%d bytes): saving: %v", what, len(secret), err)
			continue
		}
		got, err := v.Secrets(c)
		if err != nil || got["api_key"] != secret {
			t.Errorf("%s (%d bytes): read back %d bytes, %v", what, len(secret), len(got["api_key"]), err)
		}
		key := secretKey(c.ID, c.Generation, "api_key")
		head, err := k.Get(key)
		if err != nil {
			t.Fatalf("%s: the head item: %v", what, err)
		}
		items := []string{head}
		if n, ok := chunkCount(head); ok {
			for j := 1; j <= n; j++ {
				part, err := k.Get(chunkKey(key, j))
				if err != nil {
					t.Fatalf("%s: chunk %d: %v", what, j, err)
				}
				items = append(items, part)
			}
		} else if len(secret) > chunkSize {
			t.Errorf("%s (%d bytes) is one item %q..., want chunks of at most %d", what, len(secret), head[:12], chunkSize)
		}
		for j, item := range items {
			if len(item) > credentialBlobMax {
				t.Errorf("%s: item %d holds %d bytes, over %d", what, j, len(item), credentialBlobMax)
			}
		}
		if err := v.Delete(c.Name); err != nil {
			t.Error(err)
		}
	}
	// The limit itself: the keychain takes an item of exactly 2,560 bytes;
	// Windows refuses one byte more, which is why values are split.
	raw := "limit-probe/api_key"
	if err := k.Set(raw, strings.Repeat("e", credentialBlobMax)); err != nil {
		t.Fatalf("an item of %d bytes: %v", credentialBlobMax, err)
	}
	if got, err := k.Get(raw); err != nil || len(got) != credentialBlobMax {
		t.Errorf("an item of %d bytes read back as %d bytes, %v", credentialBlobMax, len(got), err)
	}
	err = k.Set(raw, strings.Repeat("f", credentialBlobMax+1))
	if runtime.GOOS == "windows" && err == nil {
		t.Errorf("Credential Manager took an item of %d bytes: the limit moved, chunk sizes may grow", credentialBlobMax+1)
	}
	if err := k.Delete(raw); err != nil {
		t.Error(err)
	}
}
