package vault

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"storelink/connectors"
)

// crashAfterSecrets does what a save killed after writing its keychain
// items, before the settings file, leaves behind.
func crashAfterSecrets(t *testing.T, v *Vault, id string, values map[string]string) {
	t.Helper()
	in := intent{ID: id, Generation: 1, Items: plannedItems(values, func(f string) string { return secretKey(id, 1, f) })}
	if err := v.intend(in); err != nil {
		t.Fatal(err)
	}
	if _, err := v.putSecrets(v.secrets, id, 1, values); err != nil {
		t.Fatal(err)
	}
}

func TestTheNextSaveRemovesWhatACrashLeft(t *testing.T) {
	v, mem := newTestVault(t)
	kept, err := v.Save(conn("Kept"), connectors.Values{"api_key": "kept-secret-value"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 5*chunkSize+7) // several chunks
	crashAfterSecrets(t, v, "deadbeefdeadbeef", map[string]string{"api_key": "orphan-value", "private_key": big})
	// A kill between the chunks and the head item: chunks without a head.
	head := secretKey("cafecafecafecafe", 1, "private_key")
	if err := v.intend(intent{ID: "cafecafecafecafe", Generation: 1, Items: map[string]int{head: 3}}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		_ = mem.Set(chunkKey(head, i), "part")
	}
	// And the temporary file of a killed settings write.
	tmp := filepath.Join(v.Dir(), FileName+"123456789")
	if err := os.WriteFile(tmp, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(mem.Keys()) <= 1 {
		t.Fatal("the crash left nothing to clean")
	}
	if _, err := v.Save(conn("Next"), connectors.Values{"api_key": "next-secret-value"}, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	next, _ := v.Get("Next")
	want := []string{secretKey(kept.ID, 1, "api_key"), secretKey(next.ID, 1, "api_key")}
	got := mem.Keys()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the keychain holds exactly the saved connections' items:\n got %v\nwant %v", got, want)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Error("the temporary settings file is removed")
	}
	if _, err := os.Stat(v.journalPath()); !os.IsNotExist(err) {
		t.Error("an empty journal is removed")
	}
}

func TestCleanReportsWhatItRemovedAndWhatWaits(t *testing.T) {
	v, mem := newTestVault(t)
	crashAfterSecrets(t, v, "0123012301230123", map[string]string{"api_key": "orphan-value"})
	mem.Fail = func(op, _ string) error {
		if op == "delete" {
			return &KeychainError{Op: "delete", Why: "locked"}
		}
		return nil
	}
	if removed, pending, err := v.Clean(); err == nil || removed != 0 || pending != 1 {
		t.Errorf("a locked keychain: removed %d, pending %d, %v", removed, pending, err)
	}
	mem.Fail = nil
	if removed, pending, err := v.Clean(); err != nil || removed != 1 || pending != 0 || len(mem.Keys()) != 0 {
		t.Errorf("then: removed %d, pending %d, %v, left %v", removed, pending, err, mem.Keys())
	}
}

func TestEditRemovesTheSupersededItemsThroughTheJournal(t *testing.T) {
	v, mem := newTestVault(t)
	c, _ := v.Save(conn("Shop"), connectors.Values{"api_key": "first-secret-value"}, SaveOptions{})
	// The old generation's item cannot be removed right after the write.
	mem.Fail = func(op, key string) error {
		if op == "delete" && strings.Contains(key, "/1/") {
			return &KeychainError{Op: "delete", Why: "busy"}
		}
		return nil
	}
	if _, err := v.Save(conn("Shop"), connectors.Values{"api_key": "second-secret-value"}, SaveOptions{Replace: "Shop"}); err != nil {
		t.Fatal(err)
	}
	mem.Fail = nil
	if got := len(mem.Keys()); got != 2 {
		t.Fatalf("the old item waits in the journal: %d items", got)
	}
	if _, _, err := v.Clean(); err != nil {
		t.Fatal(err)
	}
	if keys := mem.Keys(); len(keys) != 1 || keys[0] != secretKey(c.ID, 2, "api_key") {
		t.Errorf("left: %v", keys)
	}
}
