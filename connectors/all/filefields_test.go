package all

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"storelink/connectors"
)

// Every file field of every platform is checked at save time.
func TestEveryFileFieldIsChecked(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	passwd := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(passwd, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, info := range connectors.All() {
		for _, f := range info.Fields {
			if f.Kind != connectors.KindFile {
				continue
			}
			n++
			if msg := f.Check(connectors.Values{f.Key: missing}); !strings.Contains(msg, "does not exist") {
				t.Errorf("%s.%s accepts a missing file (%q)", info.ID, f.Key, msg)
			}
			if msg := f.Check(connectors.Values{f.Key: passwd}); !strings.Contains(msg, "holds no") {
				t.Errorf("%s.%s accepts a file that is not what it expects (%q)", info.ID, f.Key, msg)
			}
		}
	}
	if n < 4 { // ca_file of each platform and upgates' public_key_file
		t.Errorf("only %d file fields found", n)
	}
}
