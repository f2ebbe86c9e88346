//go:build e2e

package cli

// e2e_api_test.go: `storelink api` through the real binary and the real
// keychain against pstest: reads, writes with -f and --input, paging, an
// HTTP error with its code, an echoing server, writes refused without
// --yes, a pinned TLS certificate and an on-premise store behind an SSH
// agent.

import (
	"crypto/tls"
	"encoding/base64"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"storelink/agents/sshtest"
	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
)

// psCreate saves a PrestaShop connection without testing it.
func (b *binary) psCreate(name, host string, more ...string) {
	b.t.Helper()
	args := []string{"create", "--app", "prestashop", "--name", name, "--set", "store_url=" + host, "--secrets-stdin", "--no-verify"}
	for _, s := range more {
		args = append(args, "--set", s)
	}
	if code, out, errs := b.run(`{"api_key":"`+pstest.DefaultKey+`"}`, args...); code != 0 {
		b.t.Fatalf("create %s: %d %s %s", name, code, out, errs)
	}
}

func TestE2EAPIReadsWritesAndPages(t *testing.T) {
	b := newBinary(t)
	srv := pstest.New(pstest.Options{Products: 5})
	defer srv.Close()
	b.psCreate("Shop", srv.Host(), "use_https=false")
	var printed []string
	code, out, errs := b.run("", "api", "Shop", "/products?display=[id,reference]")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, "<reference><![CDATA[demo_5]]></reference>") {
		t.Fatalf("GET: %d %q %q", code, out, errs)
	}
	// A write without a terminal needs --yes, and sends nothing before.
	before := srv.Requests()
	code, _, errs = b.run("", "api", "Shop", "/products", "-f", "reference=mug")
	if code != ExitInvalid || !strings.Contains(errs, "--yes") || srv.Requests() != before {
		t.Errorf("POST without --yes: %d %q", code, errs)
	}
	code, out, errs = b.run("", "api", "Shop", "/products", "-f", "reference=mug", "-f", "name[1]=Mug", "--yes")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, "<id><![CDATA[6]]></id>") {
		t.Fatalf("POST -f: %d %q %q", code, out, errs)
	}
	doc := filepath.Join(t.TempDir(), "cup.xml")
	if err := os.WriteFile(doc, []byte(`<prestashop><product><reference>cup</reference><name><language id="1">Cup</language></name></product></prestashop>`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = b.run("", "api", "Shop", "POST", "/products", "--input", doc, "--yes")
	printed = append(printed, out, errs)
	if code != 0 || !strings.Contains(out, "<id><![CDATA[7]]></id>") {
		t.Fatalf("POST --input: %d %q %q", code, out, errs)
	}
	if got := srv.Products(); len(got) != 7 || got[5].Name != "Mug" || got[6].Reference != "cup" {
		t.Errorf("created %+v", got[5:])
	}
	// 7 products, 3 a page: 3, 3, 1.
	before = srv.Requests()
	code, out, errs = b.run("", "api", "Shop", "/products?limit=0,3", "--paginate")
	printed = append(printed, out, errs)
	if code != 0 || strings.Count(out, "<product id=") != 7 || srv.Requests()-before != 3 {
		t.Errorf("--paginate: %d, %d requests: %q %q", code, srv.Requests()-before, out, errs)
	}
	b.assertNoLeak(pstest.DefaultKey, printed...)
}

func TestE2EAPIErrorHasItsCode(t *testing.T) {
	b := newBinary(t)
	for _, c := range []struct {
		opts pstest.Options
		want string
	}{
		{pstest.Options{Disabled: true}, "(api_disabled)"},
		{pstest.Options{KeyDisabled: true}, "(auth_invalid)"},
		{pstest.Options{WrongShop: true}, "(forbidden)"},
	} {
		srv := pstest.New(c.opts)
		defer srv.Close()
		b.psCreate("Shop "+c.want, srv.Host(), "use_https=false")
		code, out, errs := b.run("", "api", "Shop "+c.want, "/products")
		if code != ExitFailed || !strings.Contains(errs, c.want) || !strings.Contains(out, "<errors>") {
			t.Errorf("%s: %d %q %q", c.want, code, out, errs)
		}
	}
	// The key only gets through as ws_key: the call says so and succeeds.
	srv := pstest.New(pstest.Options{StripAuthHeader: true})
	defer srv.Close()
	b.psCreate("Stripped", srv.Host(), "use_https=false")
	code, out, errs := b.run("", "api", "Stripped", "/products")
	if code != 0 || !strings.Contains(out, "<products>") || !strings.Contains(errs, "warning (auth_header_stripped)") || !srv.SawWSKey() {
		t.Errorf("stripped header: %d %q %q", code, out, errs)
	}
	b.assertNoLeak(pstest.DefaultKey, out, errs)
}

// An echoing store: the key never shows, not even base64'd in the
// echoed Authorization; --verbose shows the header, masked.
func TestE2EAPIEchoingServer(t *testing.T) {
	b := newBinary(t)
	srv := echoServer(t)
	const key = "PSKEYPSKEYPSKEYPSKEYPSKEYPSKEY12"
	args := []string{"create", "--app", "prestashop", "--name", "Echo", "--set", "store_url=" + hostPort(t, srv.URL),
		"--set", "use_https=false", "--secrets-stdin", "--no-verify"}
	if code, _, errs := b.run(`{"api_key":"`+key+`"}`, args...); code != 0 {
		t.Fatal(errs)
	}
	var printed []string
	for _, extra := range [][]string{{"--verbose"}, {"-i"}, {"-H", "Accept: application/json"}, {"POST", "--yes", "-f", "note=" + key}} {
		code, out, errs := b.run("", append([]string{"--log-level", "debug", "api", "Echo"}, append(extra, "/products?x=1")...)...)
		if code != ExitFailed {
			t.Errorf("%v: exit %d, want 1 for a 500", extra, code)
		}
		printed = append(printed, out, errs)
		if extra[0] == "--verbose" && !strings.Contains(errs, "> Authorization: Basic ") {
			t.Errorf("--verbose shows no Authorization: %q", errs)
		}
	}
	if !strings.Contains(strings.Join(printed, ""), "Authorization") {
		t.Fatal("the server echoed nothing: this test would prove nothing")
	}
	for _, form := range encodings("", key) {
		b.assertNoLeak(form, printed...)
	}
	b.assertNoLeak(base64.StdEncoding.EncodeToString([]byte(key + ":"))[:16], printed...)
}

// A store whose certificate is pinned by fingerprint, for another name.
func TestE2EAPIPinnedStore(t *testing.T) {
	b := newBinary(t)
	cert := selfSignedFor(t, "shop.example")
	srv := httptest.NewUnstartedServer(pstest.Handler(pstest.Options{}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()
	b.psCreate("Pinned", hostPort(t, srv.URL), "use_https=true", "tls_fingerprint="+connectors.Fingerprint(cert.Leaf))
	code, out, errs := b.run("", "api", "Pinned", "/products")
	if code != 0 || !strings.Contains(out, "<product id=\"1\" xlink:href=\"https://") || !strings.Contains(errs, "warning (tls)") {
		t.Errorf("pinned: %d %q %q", code, out, errs)
	}
	// Without the pin, the same store is refused before any key is sent.
	b.psCreate("Unpinned", hostPort(t, srv.URL), "use_https=true")
	if code, out, errs = b.run("", "api", "Unpinned", "/products"); code != ExitFailed || out != "" || !strings.Contains(errs, "(tls") {
		t.Errorf("unpinned: %d %q %q", code, out, errs)
	}
}

// An on-premise store only the SSH agent reaches.
func TestE2EAPIThroughAnAgent(t *testing.T) {
	b := newBinary(t)
	shop := pstest.New(pstest.Options{})
	defer shop.Close()
	u, _ := url.Parse(shop.URL)
	const pw = "agent-pass-0123456789"
	ssh := sshtest.Start(t, sshtest.Options{Passwords: map[string]string{"shop": pw}, Hosts: map[string]string{"shop.internal:80": u.Host}})
	code, out, errs := b.run(`{"password":"`+pw+`"}`, "agent", "create", "--name", "Office", "--set", "host="+ssh.Host(),
		"--set", "port="+strconv.Itoa(ssh.Port()), "--set", "user=shop", "--set", "auth=password", "--secrets-stdin",
		"--accept-host-key", ssh.Fingerprint(), "--json")
	if code != 0 {
		t.Fatalf("agent create: %d %s %s", code, out, errs)
	}
	code, out, errs = b.run(`{"api_key":"`+pstest.DefaultKey+`"}`, "create", "--app", "prestashop", "--name", "Behind", "--mode", "on-premise",
		"--agent", "Office", "--set", "store_url=shop.internal", "--set", "use_https=false", "--secrets-stdin", "--no-verify")
	if code != 0 {
		t.Fatalf("on-premise create: %d %s %s", code, out, errs)
	}
	before := shop.Requests()
	code, out, errs = b.run("", "api", "Behind", "/products", "--verbose")
	if code != 0 || !strings.Contains(out, `xlink:href="http://shop.internal/api/products/1"`) || shop.Requests() != before+1 {
		t.Errorf("through the agent: %d %q %q", code, out, errs)
	}
	b.assertNoLeak(pstest.DefaultKey, out, errs)
	b.assertNoLeak(pw, out, errs)
}
