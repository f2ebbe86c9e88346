package app

// Issue 17, finding 5, in the window: the import's file is a regular file
// of at most 1 MiB, or a refusal naming it; a pipe or a device is not
// offered by the file dialog at all.

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2/storage"

	"storelink/connectors"
)

func TestImportFileIsBoundedAndRegular(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	p.OpenImporter()
	d := p.Importer
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, connectors.MaxImportFileSize+1); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{"/dev/zero", "is not a regular file"},
		{big, "is larger than 1 MiB"},
	} {
		r, err := storage.Reader(storage.NewFileURI(c.path))
		if err != nil {
			t.Fatal(err)
		}
		d.data = nil
		d.loadFile(r, nil)
		if !d.message.Visible() || !strings.Contains(d.message.Text, c.want) || !strings.Contains(d.message.Text, c.path) ||
			!strings.Contains(d.message.Text, "Installation request file") {
			t.Errorf("%s: the dialog says %q", c.path, d.message.Text)
		}
		if d.data != nil {
			t.Errorf("%s: %d bytes were kept for the import", c.path, len(d.data))
		}
	}
	good := filepath.Join(dir, "request.json")
	if err := os.WriteFile(good, []byte(`{"token":"x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Reader(storage.NewFileURI(good))
	if err != nil {
		t.Fatal(err)
	}
	d.loadFile(r, nil)
	if string(d.data) != `{"token":"x"}` || d.message.Visible() || !strings.Contains(d.loaded.Text, "13 bytes") {
		t.Errorf("a real file: data %q, message %q, loaded %q", d.data, d.message.Text, d.loaded.Text)
	}

	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if d.FileFilter.Matches(storage.NewFileURI(fifo)) {
		t.Error("the file dialog offers a pipe named like a request")
	}
	if !d.FileFilter.Matches(storage.NewFileURI(good)) {
		t.Error("the file dialog does not offer a real request.json")
	}
}
