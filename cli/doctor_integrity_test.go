package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `storelink doctor` removes what interrupted writes left and tightens a
// home and a log others may read or write, and says so.
func TestDoctorRemovesLeftoversAndTightensModes(t *testing.T) {
	h := newHarness(t)
	if code, out, errs := h.run("", "list"); code != 0 { // creates the home and the log
		t.Fatalf("list: %d %s %s", code, out, errs)
	}
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{"state/keychain-journal.json4242", "state/keychain-journal.json77", "connections.json1999"} {
		p := filepath.Join(h.home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(h.home, "logs", "storelink.log") // as an older Storelink or a copy left it
	if err := os.WriteFile(log, []byte("time=... level=info\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{h.home: 0o777, log: 0o644} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := h.run("", "doctor")
	if code != 0 {
		t.Fatalf("doctor: %d %s %s", code, out, errs)
	}
	for _, want := range []string{
		"Removed 3 temporary files left by interrupted writes.",
		"The Storelink folder " + h.home + " was readable and writable by other users (mode 0777); it was tightened to 0700.",
		"The log file " + log + " was readable by other users (mode 0644); it was tightened to 0600.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, out)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(h.home, "state", "keychain-journal.json*")); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
	for path, want := range map[string]os.FileMode{h.home: 0o700, log: 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want %04o", path, fi.Mode().Perm(), err, want)
		}
	}
}
