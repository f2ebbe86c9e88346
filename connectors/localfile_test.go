package connectors_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

// fileCase is a path ReadLocalFile must refuse, the error and the words.
type fileCase struct {
	path string
	want error
	text string
}

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
	cases := map[string]fileCase{
		"too large": {big, connectors.ErrFileTooLarge, "larger than 10 bytes"},
		"folder":    {dir, connectors.ErrNotRegularFile, "not a regular file"},
		"missing":   {filepath.Join(dir, "nope"), os.ErrNotExist, "does not exist"},
	}
	addSpecialFiles(t, dir, cases)
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
