//go:build !windows

package vault

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A connections.json (or journal) that links to a device or to a pipe
// nobody writes is refused at once, never read for ever.
func TestOwnFilesThatAreNotRegularAreRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/dev/zero", fifo} {
		for _, own := range []string{FileName, filepath.Join("state", JournalFile)} {
			t.Run(filepath.Base(target)+" as "+own, func(t *testing.T) {
				v, _ := newTestVault(t)
				path := filepath.Join(v.Dir(), own)
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(target, path); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() {
					_, err := v.List()
					if err == nil {
						_, err = v.loadJournal()
					}
					done <- err
				}()
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), "is not a regular file") {
						t.Fatalf("err = %v, want a refusal naming a file that is not regular", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("reading the vault's own file did not return")
				}
			})
		}
	}
}
