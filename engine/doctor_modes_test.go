package engine_test

// doctor_modes_test.go: the doctor tightens loose file modes and removes
// temporary leftovers.

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"storelink/engine"
	"storelink/vault"
)

// doctorIn runs the doctor over a vault in home, with logs in home/logs.
func doctorIn(t *testing.T, home string) map[string]engine.Diagnosis {
	t.Helper()
	secrets := vault.NewMemorySecrets()
	store, err := vault.Open(home, secrets)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Deps{Store: store, Registry: registry(), Keychain: secrets,
		Paths: engine.Paths{Home: home, Connections: store.Path(), Logs: filepath.Join(home, "logs", "storelink.log"), Keychain: "memory"}})
	got := map[string]engine.Diagnosis{}
	for _, d := range eng.Doctor() {
		got[d.Check] = d
	}
	return got
}

func TestDoctorTightensWhatOthersMayReadOrWrite(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps access in ACLs")
	}
	home := t.TempDir()
	files := map[string]os.FileMode{
		"connections.json":         0o644,
		"state/upgates-guard.json": 0o666,
		"logs/storelink.log":       0o644,
		"logs/storelink-2024.log":  0o640,
	}
	for name, mode := range files {
		p := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		content := "line\n"
		if name == "connections.json" {
			content = `{"schema":2,"connections":[]}`
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	folders := map[string]os.FileMode{"": 0o777, "state": 0o755, "logs": 0o750}
	for name, mode := range folders {
		if err := os.Chmod(filepath.Join(home, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	d := doctorIn(t, home)["permissions"]
	if !d.OK {
		t.Errorf("tightened modes are not a problem left: %+v", d)
	}
	for _, want := range []string{
		"The Storelink folder " + home + " was readable and writable by other users (mode 0777); it was tightened to 0700.",
		"The settings file " + filepath.Join(home, "connections.json") + " was readable by other users (mode 0644); it was tightened to 0600.",
		"The state file " + filepath.Join(home, "state", "upgates-guard.json") + " was readable and writable",
		"The log folder " + filepath.Join(home, "logs") + " was readable",
		"The log file " + filepath.Join(home, "logs", "storelink.log") + " was readable",
	} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("the report does not say %q:\n%s", want, d.Message)
		}
	}
	for name := range files {
		if fi, _ := os.Stat(filepath.Join(home, name)); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %04o after doctor, want 0600", name, fi.Mode().Perm())
		}
	}
	for name := range folders {
		if fi, _ := os.Stat(filepath.Join(home, name)); fi.Mode().Perm() != 0o700 {
			t.Errorf("folder %q is %04o after doctor, want 0700", name, fi.Mode().Perm())
		}
	}
	if again := doctorIn(t, home)["permissions"]; !again.OK || !strings.Contains(again.Message, "private to your user") {
		t.Errorf("a second run: %+v", again)
	}
}

func TestDoctorRemovesTemporaryLeftovers(t *testing.T) {
	home := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{"connections.json8675309", "state/keychain-journal.json1234", "state/keychain-journal.json99"} {
		p := filepath.Join(home, name)
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
	d := doctorIn(t, home)["journal"]
	if !d.OK || !strings.Contains(d.Message, "Removed 3 temporary files left by interrupted writes.") {
		t.Errorf("journal: %+v", d)
	}
	left, _ := filepath.Glob(filepath.Join(home, "state", "*.json*"))
	if more, _ := filepath.Glob(filepath.Join(home, "connections.json[0-9]*")); len(left)+len(more) != 0 {
		t.Errorf("left: %v %v", left, more)
	}
}
