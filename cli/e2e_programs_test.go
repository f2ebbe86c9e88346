//go:build e2e

package cli

import (
	"debug/elf"
	"fmt"
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

// `storelink` runs the window program beside it, also when started through
// a link elsewhere (/usr/local/bin/storelink on macOS); without a display
// that program says so and what to do, instead of the toolkit's panic.
func TestE2EWindowWithoutDisplaySaysSo(t *testing.T) {
	b := newBinary(t)
	if _, err := os.Stat(filepath.Join(filepath.Dir(b.path), "storelink-window")); err != nil {
		t.Fatalf("the window program is not beside %s: %v", b.path, err)
	}
	link := filepath.Join(t.TempDir(), "storelink")
	if err := os.Symlink(b.path, link); err != nil {
		t.Fatal(err)
	}
	b.path = link
	free := 277 // a display nobody serves
	for ; free < 400; free++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", free)); err != nil {
			break
		}
	}
	for _, c := range []struct{ display, want string }{
		{"", "DISPLAY is not set"},
		{fmt.Sprintf(":%d", free), fmt.Sprintf(`the display ":%d" could not be opened`, free)},
	} {
		b.env = []string{"DISPLAY=" + c.display, "WAYLAND_DISPLAY="}
		code, out, errs := b.run("")
		if code != 1 || out != "" || !strings.Contains(errs, c.want) || !strings.Contains(errs, "storelink help") || strings.Contains(errs, "goroutine") {
			t.Errorf("DISPLAY=%q: %d %q %q", c.display, code, out, errs)
		}
	}
}
