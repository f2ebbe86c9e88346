//go:build e2e

// End-to-end tests of the real binary ($STORELINK_BIN), as scripts use it,
// with the real OS keychain: `make test-cli` runs them inside
// scripts/with-keyring.sh. They fail, never skip, without the binary.
package cli

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"storelink/connectors/prestashop/pstest"
)

type binary struct {
	t    *testing.T
	path string
	home string
}

func newBinary(t *testing.T) *binary {
	t.Helper()
	p := os.Getenv("STORELINK_BIN")
	if p == "" {
		t.Fatal("STORELINK_BIN is not set: run these tests with `make test-cli`")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("STORELINK_BIN: %v", err)
	}
	return &binary{t: t, path: p, home: t.TempDir()}
}

func (b *binary) run(stdin string, args ...string) (int, string, string) {
	b.t.Helper()
	cmd := exec.Command(b.path, args...)
	cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home, "STORELINK_LOG_LEVEL=debug")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		b.t.Fatalf("running %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

// assertNoLeak fails if secret is in any file under the home folder (log
// included) or was printed.
func (b *binary) assertNoLeak(secret string, printed ...string) {
	b.t.Helper()
	for _, p := range printed {
		if strings.Contains(p, secret) {
			b.t.Errorf("the secret was printed: %q", p)
		}
	}
	_ = filepath.Walk(b.home, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(secret)) {
				b.t.Errorf("%s contains a secret", p)
			}
		}
		return nil
	})
}

func TestE2EEmptyHome(t *testing.T) {
	b := newBinary(t)
	if code, out, errs := b.run("", "version"); code != 0 || !strings.HasPrefix(out, "storelink ") {
		t.Fatalf("version: %d %q %q", code, out, errs)
	}
	code, out, _ := b.run("", "apps")
	for _, id := range []string{"prestashop", "magento2", "upgates"} {
		if code != 0 || !strings.Contains(out, id) {
			t.Errorf("apps does not list %s: %q", id, out)
		}
	}
	if code, out, _ := b.run("", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("list --json: %d %q", code, out)
	}
	if code, _, _ := b.run("", "test", "--all", "--json"); code != 0 {
		t.Fatalf("test --all on no connections: %d", code)
	}
}

type testLine struct {
	Name     string `json:"name"`
	OK       bool   `json:"ok"`
	Code     string `json:"code"`
	Requests int    `json:"requests"`
	Warnings []struct {
		Code string `json:"code"`
	} `json:"warnings"`
}

func parseLines(t *testing.T, out string) map[string]testLine {
	t.Helper()
	got := map[string]testLine{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var tl testLine
		if err := json.Unmarshal([]byte(l), &tl); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		got[tl.Name] = tl
	}
	return got
}

func hostPort(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// The example: create against such servers with --no-verify, then
// `test --all --json` gives each documented code.
func TestE2EPrestaShopCodes(t *testing.T) {
	b := newBinary(t)
	other := pstest.New(pstest.Options{})
	defer other.Close()
	cases := []struct {
		name string
		opts pstest.Options
		want string
		warn string
	}{
		{"ps-ok", pstest.Options{}, "ok", ""},
		{"ps-16", pstest.Options{Version: "1.6.1.24"}, "ok", ""},
		{"ps-disabled", pstest.Options{Disabled: true}, "api_disabled", ""},
		{"ps-stripped", pstest.Options{StripAuthHeader: true}, "ok", "auth_header_stripped"},
		{"ps-norewrite", pstest.Options{NoRewrite: true}, "ok", "rewrite_missing"},
		{"ps-keydisabled", pstest.Options{KeyDisabled: true}, "auth_invalid", ""},
		{"ps-noperm", pstest.Options{NoPermissions: true}, "forbidden", ""},
		{"ps-wrongshop", pstest.Options{WrongShop: true}, "forbidden", ""},
		{"ps-site", pstest.Options{Site: "Just a blog"}, "not_api", ""},
		{"ps-500", pstest.Options{Fail500: true}, "server_error", ""},
		{"ps-moved", pstest.Options{RedirectTo: other.URL}, "moved", ""},
	}
	key := pstest.DefaultKey
	for _, c := range cases {
		srv := pstest.New(c.opts)
		defer srv.Close()
		code, _, errs := b.run(`{"api_key":"`+key+`"}`, "create", "--app", "prestashop", "--name", c.name,
			"--set", "store_url="+hostPort(t, srv.URL), "--set", "use_https=false", "--secrets-stdin", "--no-verify")
		if code != 0 {
			t.Fatalf("create %s: %d %s", c.name, code, errs)
		}
	}
	code, out, errs := b.run("", "test", "--all", "--json")
	if code != 1 {
		t.Errorf("some tests fail, so exit 1; got %d (%s)", code, errs)
	}
	got := parseLines(t, out)
	for _, c := range cases {
		g, ok := got[c.name]
		if !ok || g.Code != c.want {
			t.Errorf("%s: code %q, want %q", c.name, g.Code, c.want)
		}
		if c.warn != "" {
			found := false
			for _, w := range g.Warnings {
				found = found || w.Code == c.warn
			}
			if !found {
				t.Errorf("%s: no %s warning in %+v", c.name, c.warn, g.Warnings)
			}
		}
	}
	if got["ps-ok"].Requests != 1 {
		t.Errorf("the happy path made %d requests, want 1", got["ps-ok"].Requests)
	}
	if n := len(other.Hits()); n != 0 {
		t.Errorf("the key followed a redirect to another host (%d requests there)", n)
	}
	b.assertNoLeak(key, out, errs)

	// create verifies first: a wrong key is refused and nothing is saved.
	srv := pstest.New(pstest.Options{})
	defer srv.Close()
	code, _, _ = b.run(`{"api_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, "create", "--app", "prestashop", "--name", "wrong",
		"--set", "store_url="+hostPort(t, srv.URL), "--set", "use_https=false", "--secrets-stdin")
	if code != 1 {
		t.Errorf("create with a wrong key: exit %d, want 1", code)
	}
	if _, out, _ := b.run("", "list", "--json"); strings.Contains(out, `"wrong"`) {
		t.Error("a connection that failed its test was saved")
	}
}
