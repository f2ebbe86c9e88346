package launch

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFindTheWindowProgramBesideThisOne(t *testing.T) {
	dir := t.TempDir()
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, WindowProgram)) || !strings.Contains(err.Error(), "storelink help") {
		t.Fatalf("missing program: %v", err)
	}
	path := filepath.Join(dir, WindowProgram+exeSuffix)
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "not an executable") {
			t.Fatalf("file without x bit: %v", err)
		}
	}
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(dir); err != nil || got != path {
		t.Fatalf("Find = %q, %v; want %q", got, err, path)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(dir); err == nil {
		t.Fatal("a folder named like the program was taken for it")
	}
}
