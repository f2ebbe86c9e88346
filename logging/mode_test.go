package logging

import (
	"os"
	"path/filepath"
	"testing"

	"storelink/redact"
)

// The log names the shops a user reaches: it is created for its user alone.
func TestTheLogIsCreatedPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	log, closer, err := Setup(Options{Dir: dir, Redactor: redact.New()})
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hello")
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, FileName): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %04o", path, fi.Mode().Perm(), err, want)
		}
	}
}
