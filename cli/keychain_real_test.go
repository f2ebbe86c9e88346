//go:build keychain

// Runs under scripts/keychain-test.sh against a real Secret Service; fails,
// never skips, without one.
package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"storelink/engine"
	"storelink/setup"
	"storelink/vault"
)

func TestRealKeychainCreateTestDelete(t *testing.T) {
	home := t.TempDir()
	srv := demoServer(t)
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Registry: demoRegistry(),
			Setup: func(level string) (*engine.Engine, error) {
				return setup.Open(setup.Options{Home: home, LogLevel: level, Registry: demoRegistry()})
			}})
		return code, out.String(), errb.String()
	}
	if code, out, stderr := run(`{"api_key": "`+goodKey+`"}`, "--log-level", "debug", "create", "--app", "demo", "--name", "Real", "--set", "url="+srv.URL, "--secrets-stdin"); code != 0 {
		t.Fatalf("create with the real keychain: %d %s %s", code, out, stderr)
	}
	v, err := vault.Open(home, vault.NewKeychain(setup.KeychainService))
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Get("Real")
	if err != nil {
		t.Fatal(err)
	}
	// The item is in the Secret Service, as secret-tool (libsecret) sees it.
	got, err := exec.Command("secret-tool", "lookup", "service", setup.KeychainService, "username", c.ID+"/1/api_key").Output()
	if err != nil || string(got) != "sl1:"+goodKey {
		t.Fatalf("secret-tool lookup = %q, %v", got, err)
	}
	// Nothing under the home folder holds the secret.
	_ = filepath.Walk(home, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(goodKey)) {
				t.Errorf("%s contains the secret", p)
			}
		}
		return nil
	})
	if code, out, _ := run("", "test", "Real", "--json"); code != 0 || !strings.Contains(out, `"code":"ok"`) {
		t.Fatalf("test: %d %s", code, out)
	}
	if code, _, stderr := run("", "delete", "Real"); code != 0 {
		t.Fatal(stderr)
	}
	if out, _ := exec.Command("secret-tool", "lookup", "service", setup.KeychainService, "username", c.ID+"/1/api_key").Output(); len(out) != 0 {
		t.Fatalf("the keychain item survived delete: %q", out)
	}
}
