//go:build e2e

// Issue 20 through the binary: Shopify connections are created and tested
// with `storelink create --app shopify` and `test --json`, one per
// diagnosis, against shopifytest; and no token or client secret reaches
// any output or file, even from a server that echoes the request.

package cli

import (
	"net"
	"strings"
	"testing"

	"storelink/connectors/shopify/shopifytest"
)

func TestE2EShopify(t *testing.T) {
	b := newBinary(t)
	token := map[string]string{"access_token": shopifytest.DefaultAccessToken}
	client := map[string]string{"client_secret": shopifytest.DefaultClientSecret}
	type conn struct {
		name   string
		opts   shopifytest.Options
		set    []string
		secret map[string]string
		want   string
		warn   string
		verify bool // create tests first and saves only what passes
	}
	conns := []conn{
		{"sh-token", shopifytest.Options{}, nil, token, "ok", "", true},
		{"sh-client", shopifytest.Options{}, []string{"auth_type=client_credentials", "client_id=" + shopifytest.DefaultClientID}, client, "ok", "", true},
		{"sh-old-version", shopifytest.Options{Versions: []string{"2026-04", "2026-10"}}, []string{"api_version=2025-10"}, token, "ok", "api_version_fallback", true},
		{"sh-wrong-token", shopifytest.Options{}, nil, map[string]string{"access_token": "shpat_ffffffffffffffffffffffffffffffff"}, "auth_invalid", "", false},
		{"sh-wrong-id", shopifytest.Options{}, []string{"auth_type=client_credentials", "client_id=0000aaaa0000aaaa0000aaaa0000aaaa"}, client, "auth_invalid", "", false},
		{"sh-wrong-secret", shopifytest.Options{}, []string{"auth_type=client_credentials", "client_id=" + shopifytest.DefaultClientID},
			map[string]string{"client_secret": "shpss_00000000000000000000000000000000"}, "auth_invalid", "", false},
		{"sh-not-permitted", shopifytest.Options{ShopNotPermitted: true}, []string{"auth_type=client_credentials", "client_id=" + shopifytest.DefaultClientID}, client, "forbidden", "", false},
		{"sh-frozen", shopifytest.Options{Frozen: true}, nil, token, "store_unavailable", "", false},
		{"sh-locked", shopifytest.Options{Locked: true}, nil, token, "store_unavailable", "", false},
		{"sh-throttled", shopifytest.Options{Throttled: true}, nil, token, "rate_limited", "", false},
		{"sh-429", shopifytest.Options{RateLimited: true}, nil, token, "rate_limited", "", false},
		{"sh-500", shopifytest.Options{Fail500: true}, nil, token, "server_error", "", false},
		{"sh-no-store", shopifytest.Options{UnknownShop: true}, nil, token, "not_api", "", false},
		{"sh-scopes", shopifytest.Options{}, []string{"required_scopes=read_products,write_inventory"}, token, "forbidden", "", false},
		{"sh-nothing", shopifytest.Options{}, []string{"shop=http://" + shopifyRefusedAddr(t)}, token, "unreachable", "", false},
	}
	for _, c := range conns {
		srv := shopifytest.New(c.opts)
		defer srv.Close()
		args := []string{"create", "--app", "shopify", "--name", c.name, "--secrets-stdin", "--set", "shop=" + srv.URL}
		for _, s := range c.set {
			args = append(args, "--set", s)
		}
		if !c.verify {
			args = append(args, "--no-verify")
		}
		if code, out, errs := b.run(secretsJSON(t, c.secret), args...); code != 0 {
			t.Fatalf("create %s: exit %d %q %q", c.name, code, out, errs)
		}
	}
	var printed []string
	for _, c := range conns {
		_, out, errs := b.run("", "test", c.name, "--json")
		printed = append(printed, out, errs)
		got, ok := parseLines(t, out)[c.name]
		if !ok || got.Code != c.want || got.OK != (c.want == "ok") {
			t.Errorf("%s: code %q ok %v, want %q (%s)", c.name, got.Code, got.OK, c.want, errs)
		}
		if c.warn != "" && !hasWarning(got, c.warn) {
			t.Errorf("%s: no %s warning in %+v", c.name, c.warn, got.Warnings)
		}
	}
	code, out, errs := b.run("", "test", "--all", "--json")
	if code != 1 || len(parseLines(t, out)) != len(conns) {
		t.Errorf("test --all: exit %d, %d lines for %d connections", code, len(parseLines(t, out)), len(conns))
	}
	printed = append(printed, out, errs)
	if got := parseLines(t, out)["sh-token"]; got.Requests != 2 {
		t.Errorf("a token test made %d requests, want 2", got.Requests)
	}
	if got := parseLines(t, out)["sh-client"]; got.Requests != 3 {
		t.Errorf("a client credentials test made %d requests, want 3", got.Requests)
	}

	// create verifies first: a refused token is not saved.
	srv := shopifytest.New(shopifytest.Options{})
	defer srv.Close()
	code, _, _ = b.run(`{"access_token":"shpat_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"}`, "create", "--app", "shopify", "--name", "refused",
		"--set", "shop="+srv.URL, "--secrets-stdin")
	if _, list, _ := b.run("", "list", "--json"); code != 1 || strings.Contains(list, `"refused"`) {
		t.Errorf("create with a refused token: exit %d, list %s", code, list)
	}
	if _, apps, _ := b.run("", "apps"); !strings.Contains(apps, "shopify") {
		t.Errorf("apps does not list shopify: %q", apps)
	}
	if _, codes, _ := b.run("", "codes"); !strings.Contains(codes, "store_unavailable") {
		t.Errorf("codes does not list store_unavailable: %q", codes)
	}
	b.assertNoLeak(shopifytest.DefaultAccessToken, printed...)
	b.assertNoLeak(shopifytest.DefaultClientSecret, printed...)
}

// A server that echoes every request back into its error: neither the
// token nor the client secret, in any encoding, reaches an output or a file.
func TestE2EShopifyEchoLeaksNoSecret(t *testing.T) {
	srv := echoServer(t)
	b := newBinary(t)
	secrets := []string{"shpat_echo0123456789abcdef0123456789ab", "shpss_echo0123456789abcdef0123456789ab"}
	cases := []struct {
		name    string
		sets    []string
		secrets map[string]string
	}{
		{"Shopify token", []string{"shop=" + srv.URL}, map[string]string{"access_token": secrets[0]}},
		{"Shopify client", []string{"shop=" + srv.URL, "auth_type=client_credentials", "client_id=echo0123456789abcdef0123456789ab"},
			map[string]string{"client_secret": secrets[1]}},
	}
	var printed []string
	for _, c := range cases {
		args := []string{"--log-level", "debug", "create", "--app", "shopify", "--name", c.name, "--secrets-stdin", "--json"}
		for _, s := range c.sets {
			args = append(args, "--set", s)
		}
		code, out, errs := b.run(secretsJSON(t, c.secrets), args...)
		if code != ExitFailed || !strings.Contains(out, `"server_error"`) {
			t.Errorf("%s: create against an echoing server: %d %s %s", c.name, code, out, errs)
		}
		printed = append(printed, out, errs)
		code, out, errs = b.run(secretsJSON(t, c.secrets), append(args, "--no-verify")...)
		if code != 0 {
			t.Fatalf("%s: create --no-verify: %d %s %s", c.name, code, out, errs)
		}
		printed = append(printed, out, errs)
		for _, words := range [][]string{{"test", c.name, "--json"}, {"test", c.name}} {
			_, out, errs = b.run("", append([]string{"--log-level", "debug"}, words...)...)
			printed = append(printed, out, errs)
		}
	}
	if !strings.Contains(strings.Join(printed, ""), "server_error") {
		t.Fatal("the echoing server was never reached: this test would prove nothing")
	}
	for _, s := range secrets {
		for _, form := range encodings("", s) {
			b.assertNoLeak(form, printed...)
		}
	}
}

func hasWarning(l testLine, code string) bool {
	for _, w := range l.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// shopifyRefusedAddr is a loopback address nothing listens on.
func shopifyRefusedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
