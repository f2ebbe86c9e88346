package vault

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

// leftover writes a file as a killed atomic.WriteFile leaves it, age old.
func leftover(t *testing.T, path string, age time.Duration) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"schema":1,"intents":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-age)
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool { _, err := os.Lstat(path); return err == nil }

func TestTheJournalRemovesItsOwnTemporaryFiles(t *testing.T) {
	v, _ := newTestVault(t)
	state := filepath.Join(v.Dir(), "state")
	old := filepath.Join(state, JournalFile+"1234567890")
	fresh := filepath.Join(state, JournalFile+"42")         // another writer may be at it
	other := filepath.Join(state, JournalFile+".bak12")     // not ours
	lookalike := filepath.Join(state, JournalFile+"12-old") // not a temporary name
	leftover(t, old, 10*time.Minute)
	leftover(t, fresh, 0)
	leftover(t, other, 10*time.Minute)
	leftover(t, lookalike, 10*time.Minute)
	if _, err := v.Save(conn("Shop"), connectors.Values{"api_key": "k"}, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if exists(old) {
		t.Error("a save left the journal's stale temporary file")
	}
	for _, p := range []string{fresh, other, lookalike} {
		if !exists(p) {
			t.Errorf("%s was removed", filepath.Base(p))
		}
	}
}

func TestRemoveLeftoversCountsWhatItRemoved(t *testing.T) {
	v, _ := newTestVault(t)
	state := filepath.Join(v.Dir(), "state")
	for _, p := range []string{
		filepath.Join(v.Dir(), FileName+"3141592653"),
		filepath.Join(state, JournalFile+"2718281828"),
		filepath.Join(state, "upgates-guard.json161803"),
	} {
		leftover(t, p, 5*time.Minute)
	}
	leftover(t, filepath.Join(state, JournalFile+"7"), 0) // in the grace
	n, err := v.RemoveLeftovers()
	if err != nil || n != 3 {
		t.Fatalf("RemoveLeftovers = %d, %v; want 3", n, err)
	}
	if n, _ := v.RemoveLeftovers(); n != 0 {
		t.Errorf("a second run removed %d", n)
	}
}

func TestASymlinkedSettingsFileIsWrittenThrough(t *testing.T) {
	v, _ := newTestVault(t)
	elsewhere := t.TempDir()
	real := filepath.Join(elsewhere, "storelink-settings.json")
	if _, err := v.Save(conn("First"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(v.Path(), real); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, v.Path()); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Save(conn("Second"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(v.Path())
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a plain file (%v)", err)
	}
	data, err := os.ReadFile(real)
	if err != nil || !strings.Contains(string(data), `"Second"`) || !strings.Contains(string(data), `"First"`) {
		t.Fatalf("the link's target does not hold the new list: %s %v", data, err)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
		t.Errorf("the target's mode is %v, want 0600", fi.Mode().Perm())
	}
	cs, err := v.List()
	if err != nil || len(cs) != 2 {
		t.Errorf("List = %v, %v", cs, err)
	}
	entries, _ := os.ReadDir(elsewhere)
	if len(entries) != 1 {
		t.Errorf("the target's folder holds %d files, want only the target", len(entries))
	}
}

func TestASymlinkToSomethingElseIsRefused(t *testing.T) {
	for what, target := range map[string]string{"a folder": t.TempDir(), "nothing": filepath.Join(t.TempDir(), "gone.json")} {
		v, _ := newTestVault(t)
		if err := os.Symlink(target, v.Path()); err != nil {
			t.Fatal(err)
		}
		_, err := v.Save(conn("Shop"), nil, SaveOptions{})
		if err == nil {
			t.Errorf("a link to %s: saved", what)
		} else if what == "nothing" && (!strings.Contains(err.Error(), "is a link to") || !strings.Contains(err.Error(), "nothing was saved")) {
			t.Errorf("a link to %s: %v", what, err)
		}
		if fi, err := os.Lstat(v.Path()); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("a link to %s was replaced", what)
		}
	}
}
