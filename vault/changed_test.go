package vault

import (
	"testing"
	"time"

	"storelink/connectors"
)

// Two vaults on one folder are two processes: each notices the other's
// writes (a save, a recorded test, a delete), never its own.
func TestChangedNoticesOtherWritersOnly(t *testing.T) {
	mem := NewMemorySecrets()
	dir := t.TempDir()
	window, err := Open(dir, mem)
	if err != nil {
		t.Fatal(err)
	}
	cli, err := Open(dir, mem)
	if err != nil {
		t.Fatal(err)
	}
	changed := func(want bool, when string) {
		t.Helper()
		got, err := window.Changed()
		if err != nil || got != want {
			t.Fatalf("%s: Changed() = %v, %v; want %v", when, got, err, want)
		}
	}
	changed(false, "first look, no file yet")
	changed(false, "nothing happened")
	if _, err := window.Save(conn("Mine"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	changed(false, "after its own save")

	if _, err := cli.Save(conn("Theirs"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	changed(true, "after another's save")
	changed(false, "reported once")

	// The same size and, on a coarse clock, the same time: the file's
	// identity still tells a rewrite apart.
	at := time.Date(2025, 1, 31, 14, 5, 0, 0, time.UTC)
	for i, code := range []connectors.Code{connectors.CodeOK, connectors.CodeNotAPI} {
		if err := cli.Record("Theirs", Verification{At: at, Code: code, OK: i == 0}); err != nil {
			t.Fatal(err)
		}
		changed(true, "after another's recorded test "+string(code))
	}
	if err := window.Record("Theirs", Verification{At: at, OK: true, Code: connectors.CodeOK}); err != nil {
		t.Fatal(err)
	}
	changed(false, "after its own recorded test")
	if err := cli.Delete("Mine"); err != nil {
		t.Fatal(err)
	}
	changed(true, "after another's delete")
}
