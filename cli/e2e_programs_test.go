//go:build e2e

package cli

import (
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command line program links no GUI toolkit (built without cgo, it
// loads no library at all: no GL, no X), and alone, without the window
// program beside it, says so when asked for the window instead of failing
// obscurely. With the window program beside it the window test runs
// `storelink` and finds the window.
func TestE2ECommandLineProgramStandsAlone(t *testing.T) {
	b := newBinary(t)
	f, err := elf.Open(b.path)
	if err != nil {
		t.Fatal(err)
	}
	libs, err := f.ImportedLibraries()
	_ = f.Close()
	if err != nil || len(libs) != 0 {
		t.Errorf("storelink links %v (%v); the command line should load no library", libs, err)
	}

	alone := filepath.Join(t.TempDir(), "storelink")
	copyFile(t, b.path, alone)
	b.path = alone
	for _, args := range [][]string{nil, {"--log-level", "debug"}} {
		code, out, errs := b.run("", args...)
		if code != 1 || out != "" || !strings.Contains(errs, filepath.Join(filepath.Dir(alone), "storelink-window")) || !strings.Contains(errs, "storelink help") {
			t.Errorf("storelink %v without the window program: %d %q %q", args, code, out, errs)
		}
	}
	if code, out, _ := b.run("", "version"); code != 0 || !strings.HasPrefix(out, "storelink ") {
		t.Errorf("version without the window program: %d %q", code, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
