package connectors_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

// A CA file is checked when the connection is saved, not only when it is
// tested: saving with --no-verify must not keep a path to nothing or to a
// file that is no certificate (issue 17).
func TestCAFileIsCheckedAtSaveTime(t *testing.T) {
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{ID: "x", Title: "X", New: func() connectors.Connector { return nil }})
	info, _ := reg.Lookup("x")
	f, ok := info.Field(connectors.FieldCAFile)
	if !ok {
		t.Fatal("no ca_file field")
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(good, []byte(issue(t, "Office CA", true, nil, time.Now().Add(time.Hour)).pem), 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "passwd")
	if err := os.WriteFile(notPEM, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing.pem"): "does not exist; enter the full path",
		notPEM:                            "holds no PEM certificate",
		dir:                               "not a regular file",
		"/dev/zero":                       "not a regular file",
	} {
		msg := f.Check(connectors.Values{connectors.FieldCAFile: path})
		if !strings.Contains(msg, want) || !strings.Contains(msg, path) {
			t.Errorf("ca_file=%s: %q, want %q", path, msg, want)
		}
	}
	if msg := f.Check(connectors.Values{connectors.FieldCAFile: good}); msg != "" {
		t.Errorf("a good CA file: %q", msg)
	}
}
