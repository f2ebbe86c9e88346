package connectors_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"storelink/connectors"
)

func TestReadLocalFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ok, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := connectors.ReadLocalFile("CA file", ok, 10); err != nil || string(data) != "hello" {
		t.Fatalf("regular file: %q, %v", data, err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, 11), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		path string
		want error
		text string
	}{
		"too large": {big, connectors.ErrFileTooLarge, "larger than 10 bytes"},
		"folder":    {dir, connectors.ErrNotRegularFile, "not a regular file"},
		"missing":   {filepath.Join(dir, "nope"), os.ErrNotExist, "does not exist"},
	}
	if runtime.GOOS != "windows" {
		cases["device"] = struct {
			path string
			want error
			text string
		}{"/dev/zero", connectors.ErrNotRegularFile, "not a regular file"}
		fifo := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		cases["fifo without a writer"] = struct {
			path string
			want error
			text string
		}{fifo, connectors.ErrNotRegularFile, "not a regular file"}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := connectors.ReadLocalFile("CA file", c.path, 10); done <- err }()
			select {
			case err := <-done:
				if !errors.Is(err, c.want) {
					t.Fatalf("err = %v, want %v", err, c.want)
				}
				if msg := err.Error(); !strings.HasPrefix(msg, "CA file: "+c.path) || !strings.Contains(msg, c.text) {
					t.Errorf("message %q does not name the field, the file and %q", msg, c.text)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("ReadLocalFile did not return")
			}
		})
	}
}
