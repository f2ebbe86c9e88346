package engine_test

// doctor_test.go: the doctor's checks over a real vault and keychain.

import (
	"errors"
	"testing"

	"storelink/engine"
	"storelink/vault"
)

func TestDoctorChecksAndCleans(t *testing.T) {
	f := newFixture(t, 0)
	f.eng = engine.New(engine.Deps{Store: f.store, Registry: registry(), Keychain: f.secrets,
		Paths: engine.Paths{Logs: t.TempDir() + "/storelink.log", Connections: f.store.Path(), Keychain: "memory"}})
	f.create("Shop")
	got := map[string]engine.Diagnosis{}
	for _, d := range f.eng.Doctor() {
		got[d.Check] = d
	}
	for _, check := range []string{"keychain", "settings", "journal", "logs", "permissions", "certificates"} {
		if d, ok := got[check]; !ok || !d.OK || d.Message == "" {
			t.Errorf("%s: %+v", check, d)
		}
	}
	// Whole sentences: "1 connection" in the singular, the keychain inside its sentence.
	if msg := got["settings"].Message; msg != f.store.Path()+" holds 1 connection and 0 agents." {
		t.Errorf("settings: %q", msg)
	}
	if msg := got["keychain"].Message; msg != "Reachable and unlocked: a test item was stored in memory, read back and deleted." {
		t.Errorf("keychain: %q", msg)
	}
	if len(f.secrets.Keys()) != 1 {
		t.Errorf("the test item is gone again: %v", f.secrets.Keys())
	}
	f.secrets.Fail = func(op, _ string) error {
		if op == "set" {
			return &vault.KeychainError{Op: "store", Why: "the keyring is locked", Hint: "Unlock it.", Err: errors.New("locked")}
		}
		return nil
	}
	for _, d := range f.eng.Doctor() {
		if d.Check == "keychain" && (d.OK || d.Hint != "Unlock it.") {
			t.Errorf("a locked keychain: %+v", d)
		}
	}
}
