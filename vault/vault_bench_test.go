package vault

import (
	"strconv"
	"testing"

	"storelink/connectors"
)

// Listing 200 saved connections: what the window pays at start-up.
func BenchmarkList200(b *testing.B) {
	v, _ := Open(b.TempDir(), NewMemorySecrets())
	for i := 0; i < 200; i++ {
		if _, err := v.Save(conn("C"+strconv.Itoa(i)), connectors.Values{"api_key": "secret-" + strconv.Itoa(i)}, SaveOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if l, err := v.List(); err != nil || len(l) != 200 {
			b.Fatal(err)
		}
	}
}

// One save (lock, read, keychain, atomic write with fsync) among 100 others.
func BenchmarkSaveAmong100(b *testing.B) {
	v, _ := Open(b.TempDir(), NewMemorySecrets())
	for i := 0; i < 100; i++ {
		_, _ = v.Save(conn("C"+strconv.Itoa(i)), nil, SaveOptions{})
	}
	c, _ := v.Save(conn("Edited"), connectors.Values{"api_key": "secret"}, SaveOptions{})
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if c, err = v.Save(c, connectors.Values{"api_key": "secret"}, SaveOptions{Replace: c.Name}); err != nil {
			b.Fatal(err)
		}
	}
}
