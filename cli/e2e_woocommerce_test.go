//go:build e2e

package cli

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"storelink/connectors/woocommerce/wootest"
)

// Issue 20: every WooCommerce diagnosis through the real binary: create
// with the key on stdin, then `test --all --json` and `test NAME --json`.
func TestE2EWooCommerce(t *testing.T) {
	b := newBinary(t)
	other := wootest.NewTLS(wootest.Options{})
	defer other.Close()
	// httptest's TLS servers share one certificate: trust it by CA file.
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: other.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	const badKey = "ck_1111111111111111111111111111111111111111"
	const badSecret = "cs_2222222222222222222222222222222222222222"
	cases := []struct {
		name   string
		tls    bool
		opts   wootest.Options
		set    []string
		key    string
		secret string
		want   string
		warn   string
	}{
		{name: "wc-https", tls: true, want: "ok"},
		{name: "wc-http-oauth", want: "ok"},
		{name: "wc-query", tls: true, set: []string{"auth_method=query"}, want: "ok"},
		{name: "wc-site", opts: wootest.Options{Site: "Welcome to nginx!"}, want: "not_api"},
		{name: "wc-nowoo", tls: true, opts: wootest.Options{NoWooCommerce: true}, want: "not_api"},
		{name: "wc-plain", tls: true, opts: wootest.Options{PlainPermalinks: true}, want: "ok", warn: "rewrite_missing"},
		{name: "wc-blocked", tls: true, opts: wootest.Options{BlockREST: &wootest.Error{Code: "rest_disabled", Message: "The REST API has been disabled on this site.", Status: 403}}, want: "api_disabled"},
		{name: "wc-waf", tls: true, opts: wootest.Options{WAF: true}, want: "forbidden"},
		{name: "wc-unknown-key", tls: true, key: badKey, want: "auth_invalid"},
		{name: "wc-wrong-secret", tls: true, secret: badSecret, want: "auth_invalid"},
		{name: "wc-readonly", tls: true, opts: wootest.Options{Permissions: wootest.Read}, set: []string{"required_access=read_write"}, want: "forbidden"},
		{name: "wc-stripped", tls: true, opts: wootest.Options{StripAuthHeader: true}, want: "ok", warn: "auth_header_stripped"},
		{name: "wc-signature", secret: badSecret, want: "signature_invalid"},
		{name: "wc-nonce", opts: wootest.Options{Replay: true}, want: "signature_invalid"},
		{name: "wc-limited", tls: true, opts: wootest.Options{RateLimit: "60"}, want: "rate_limited"},
		{name: "wc-500", tls: true, opts: wootest.Options{Fatal: true}, want: "server_error"},
		{name: "wc-moved", tls: true, opts: wootest.Options{RedirectTo: other.URL}, want: "moved"},
		{name: "wc-echo", tls: true, opts: wootest.Options{Echo: true}, set: []string{"auth_method=query"}, want: "not_api"},
	}
	for _, c := range cases {
		var srv *wootest.Server
		if c.tls {
			srv = wootest.NewTLS(c.opts)
		} else {
			srv = wootest.New(c.opts)
		}
		defer srv.Close()
		key, secret := wootest.DefaultKey, wootest.DefaultSecret
		if c.key != "" {
			key = c.key
		}
		if c.secret != "" {
			secret = c.secret
		}
		args := []string{"create", "--app", "woocommerce", "--name", c.name, "--secrets-stdin", "--no-verify",
			"--set", "store_url=" + srv.StoreURL()}
		if c.tls {
			args = append(args, "--set", "ca_file="+caFile)
		} else {
			args = append(args, "--set", "use_https=false")
		}
		for _, s := range c.set {
			args = append(args, "--set", s)
		}
		code, _, errs := b.run(secretsJSON(t, map[string]string{"consumer_key": key, "consumer_secret": secret}), args...)
		if code != 0 {
			t.Fatalf("create %s: %d %s", c.name, code, errs)
		}
	}
	// The clock test needs no server of its own: a server whose clock is
	// off stands for it in the conformance suite; here the binary's clock
	// is the real one.
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
	if got["wc-https"].Requests != 3 {
		t.Errorf("the happy path made %d requests, want 3", got["wc-https"].Requests)
	}
	for _, name := range []string{"wc-https", "wc-stripped", "wc-signature"} {
		if one := b.testOne(name); one.Code != got[name].Code {
			t.Errorf("test %s: code %q, --all said %q", name, one.Code, got[name].Code)
		}
	}
	if n := len(other.Hits()); n != 0 {
		t.Errorf("the key followed a redirect to another host (%d requests there)", n)
	}
	for _, s := range []string{wootest.DefaultSecret, wootest.DefaultKey, badSecret, badKey} {
		b.assertNoLeak(s, out, errs)
	}

	// create verifies first: a swapped pair is refused before any request.
	srv := wootest.NewTLS(wootest.Options{})
	defer srv.Close()
	code, _, errs = b.run(secretsJSON(t, map[string]string{"consumer_key": wootest.DefaultSecret, "consumer_secret": wootest.DefaultKey}),
		"create", "--app", "woocommerce", "--name", "swapped", "--set", "store_url="+srv.StoreURL(), "--set", "ca_file="+caFile, "--secrets-stdin")
	if code == 0 || !strings.Contains(errs, "swapped") && !strings.Contains(errs, "ck_") {
		t.Errorf("create with a swapped pair: exit %d, %q", code, errs)
	}
	if len(srv.Hits()) != 0 {
		t.Errorf("a swapped pair was sent: %+v", srv.Hits())
	}
	b.assertNoLeak(wootest.DefaultSecret, errs)
	// And a good key is verified and saved.
	code, _, errs = b.run(secretsJSON(t, map[string]string{"consumer_key": wootest.DefaultKey, "consumer_secret": wootest.DefaultSecret}),
		"create", "--app", "woocommerce", "--name", "verified", "--set", "store_url="+srv.StoreURL(), "--set", "ca_file="+caFile, "--secrets-stdin")
	if code != 0 {
		t.Errorf("create verified: exit %d %s", code, errs)
	}
	if _, out, _ := b.run("", "list", "--json"); !strings.Contains(out, `"verified"`) {
		t.Error("the verified connection was not saved")
	}
}
