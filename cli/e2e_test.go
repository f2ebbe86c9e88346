//go:build e2e

// End-to-end tests of the real binary ($STORELINK_BIN), as scripts use it,
// with the real OS keychain: `make test-cli` runs them inside
// scripts/with-keyring.sh. They fail, never skip, without the binary.
package cli

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storelink/connectors/magento2/magentotest"
	"storelink/connectors/prestashop/pstest"
	"storelink/connectors/upgates/upgatestest"
)

type binary struct {
	t    *testing.T
	path string
	home string
	env  []string // more environment, after the test's own
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
	cmd.Env = append(append(os.Environ(), "STORELINK_HOME="+b.home, "STORELINK_LOG_LEVEL=debug"), b.env...)
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
	// Debian's and containers' default locale: scripts must get a clean
	// standard error (Fyne used to log "Error parsing user locale C").
	b.env = []string{"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="}
	if code, out, errs := b.run("", "list", "--json"); code != 0 || errs != "" {
		t.Errorf("list --json with LANG=C.UTF-8: %d %q, stderr %q", code, out, errs)
	}
	b.env = nil
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
	// One connection by name, as the example runs it.
	for _, name := range []string{"ps-ok", "ps-disabled", "ps-stripped"} {
		if one := b.testOne(name); one.Code != got[name].Code {
			t.Errorf("test %s: code %q, --all said %q", name, one.Code, got[name].Code)
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

// secretsJSON is the --secrets-stdin document for m.
func secretsJSON(t *testing.T, m map[string]string) string {
	t.Helper()
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// testOne runs `storelink test NAME --json` and returns its one line.
func (b *binary) testOne(name string) testLine {
	b.t.Helper()
	_, out, errs := b.run("", "test", name, "--json")
	got := parseLines(b.t, out)
	line, ok := got[name]
	if !ok {
		b.t.Fatalf("test %s printed no line for it: %q %q", name, out, errs)
	}
	return line
}

// Issue 5: create and test through the binary for OAuth with every method,
// a token and an admin login, and the documented failures.
func TestE2EMagento(t *testing.T) {
	b := newBinary(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))

	all := magentotest.New(magentotest.Options{SignatureMethods: magentotest.AllMethods, RSAPublicKey: &key.PublicKey})
	defer all.Close()
	stock := magentotest.New(magentotest.Options{Version: "2.4.7"})
	defer stock.Close()
	old := magentotest.New(magentotest.Options{Version: "2.4.3"})
	defer old.Close()
	skewed := magentotest.New(magentotest.Options{ClockOffset: -time.Hour}) // our clock an hour ahead: Magento refuses timestamps over 600 s in its future
	defer skewed.Close()

	type conn struct {
		name, want string
		verify     bool // create without --no-verify: the test runs first
		set        []string
		secrets    map[string]string
	}
	oauth := func(s *magentotest.Server, method string) ([]string, map[string]string) {
		set := []string{"base_uri=" + s.BaseURI(), "auth_type=oauth1", "signature_method=" + method,
			"consumer_key=" + magentotest.DefaultConsumerKey}
		sec := map[string]string{"access_token": magentotest.DefaultAccessToken}
		if strings.HasPrefix(method, "RSA") {
			sec["private_key"] = keyPEM
		} else {
			sec["consumer_secret"] = magentotest.DefaultConsumerSecret
			sec["token_secret"] = magentotest.DefaultTokenSecret
		}
		return set, sec
	}
	var conns []conn
	for _, m := range magentotest.AllMethods {
		set, sec := oauth(all, m)
		conns = append(conns, conn{"mg-" + strings.ToLower(m), "ok", true, set, sec})
	}
	refusedSet, refusedSec := oauth(stock, "HMAC-SHA1")
	skewSet, skewSec := oauth(skewed, "HMAC-SHA256")
	conns = append(conns,
		conn{"mg-token", "ok", true, []string{"base_uri=" + old.BaseURI(), "auth_type=token"},
			map[string]string{"access_token": magentotest.DefaultAccessToken}},
		conn{"mg-admin", "ok", true, []string{"base_uri=" + stock.BaseURI(), "auth_type=admin", "username=" + magentotest.DefaultAdminUser},
			map[string]string{"password": magentotest.DefaultAdminPassword}},
		conn{"mg-sha1-refused", "signature_method_unsupported", false, refusedSet, refusedSec},
		conn{"mg-bearer-off", "bearer_disabled", false, []string{"base_uri=" + stock.BaseURI(), "auth_type=token"},
			map[string]string{"access_token": magentotest.DefaultAccessToken}},
		conn{"mg-skew", "clock_skew", false, skewSet, skewSec},
	)
	for _, c := range conns {
		args := []string{"create", "--app", "magento2", "--name", c.name, "--secrets-stdin"}
		for _, s := range c.set {
			args = append(args, "--set", s)
		}
		if !c.verify {
			args = append(args, "--no-verify")
		}
		if code, out, errs := b.run(secretsJSON(t, c.secrets), args...); code != 0 {
			t.Fatalf("create %s: exit %d %q %q", c.name, code, out, errs)
		}
	}
	for _, c := range conns {
		if got := b.testOne(c.name); got.Code != c.want || got.OK != (c.want == "ok") {
			t.Errorf("%s: code %q ok %v, want %q", c.name, got.Code, got.OK, c.want)
		}
	}
	// Every saved method signed the requests the server saw with its own name.
	seen := map[string]bool{}
	for _, h := range all.Hits() {
		seen[h.SignatureMethod] = true
	}
	for _, m := range magentotest.AllMethods {
		if !seen[m] {
			t.Errorf("no request reached Magento signed with %s", m)
		}
	}
	_, out, errs := b.run("", "test", "--all", "--json")
	if n := len(parseLines(t, out)); n != len(conns) {
		t.Errorf("test --all printed %d lines for %d connections", n, len(conns))
	}
	b.assertNoLeak(magentotest.DefaultConsumerSecret, out, errs)
	b.assertNoLeak(magentotest.DefaultTokenSecret, out, errs)
	b.assertNoLeak(magentotest.DefaultAccessToken, out, errs)
	b.assertNoLeak(magentotest.DefaultAdminPassword, out, errs)
	b.assertNoLeak(strings.Split(keyPEM, "\n")[1], out, errs)
}

// Issue 6 through the binary: an installation request is imported after its
// signature is checked, the connection is tested by name, a forged one is
// refused.
func TestE2EUpgatesImport(t *testing.T) {
	b := newBinary(t)
	in := newInstallation(t)
	signer, pub, req, file := in.signer, in.pub, in.req, in.file
	code, out, errs := b.run(signer.SignatureToken+"\n", "upgates", "import", file, "--public-key", pub, "--name", "My Upgates", "--json")
	if code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if got := b.testOne("My Upgates"); got.Code != "ok" || got.Requests != 1 {
		t.Errorf("test My Upgates: %+v", got)
	}
	forged := req
	forged.APIUser = "someone-else"
	_ = os.WriteFile(file, upgatestest.Body(forged, signer.Sign(req)), 0o600)
	code, out2, errs2 := b.run(signer.SignatureToken+"\n", "upgates", "import", file, "--public-key", pub, "--name", "Forged")
	if code != 1 || !strings.Contains(errs2, "signature_invalid") {
		t.Errorf("a forged request: exit %d %q", code, errs2)
	}
	if _, list, _ := b.run("", "list", "--json"); strings.Contains(list, "Forged") || !strings.Contains(list, "My Upgates") {
		t.Errorf("list after import = %s", list)
	}
	b.assertNoLeak(req.APIKey, out, errs, out2, errs2)
	b.assertNoLeak(signer.SignatureToken, out, errs, out2, errs2)
}
