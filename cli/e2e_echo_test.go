//go:build e2e

// A store that echoes the request back into its error pages (the query in a
// 500 page's title, the headers and body in a JSON error), for every
// platform and authentication type: no secret, in any encoding, may reach
// standard output, standard error, the debug log, connections.json or any
// file under STORELINK_HOME.

package cli

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		var headers strings.Builder
		for k, vs := range r.Header {
			fmt.Fprintf(&headers, "%s: %s\n", k, strings.Join(vs, ", "))
		}
		if strings.Contains(r.Header.Get("Accept"), "json") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"message":"Internal error for %s","headers":%q,"body":%q,"auth":%q}`,
				r.URL.RequestURI(), headers.String(), body, r.Header.Get("Authorization"))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<html><head><title>500 at %s</title></head><body><pre>%s\n%s</pre></body></html>",
			html.EscapeString(r.URL.RequestURI()), headers.String(), body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// encodings are every form a careless server may echo a secret in.
func encodings(user, secret string) []string {
	out := []string{secret, url.QueryEscape(secret), base64.StdEncoding.EncodeToString([]byte(secret + ":"))}
	if user != "" {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(user+":"+secret)))
	}
	return out
}

func TestE2EEchoingServersLeakNoSecret(t *testing.T) {
	srv := echoServer(t)
	host := hostPort(t, srv.URL)
	cases := []struct {
		name, app string
		sets      []string
		secrets   map[string]string
		user      string
	}{
		{"PrestaShop", "prestashop", []string{"store_url=" + host, "use_https=false"},
			map[string]string{"api_key": "PSKEYPSKEYPSKEYPSKEYPSKEYPSKEY12"}, ""},
		{"Magento OAuth", "magento2", []string{"base_uri=" + srv.URL + "/rest", "auth_type=oauth1", "signature_method=PLAINTEXT", "consumer_key=ck0123456789abcdef0123456789abcd"},
			map[string]string{"consumer_secret": "cs-secret-0123456789", "access_token": "at-token-0123456789", "token_secret": "ts-secret-0123456789"}, ""},
		{"Magento token", "magento2", []string{"base_uri=" + srv.URL + "/rest", "auth_type=token"},
			map[string]string{"access_token": "bearer-token-0123456789"}, ""},
		{"Magento admin", "magento2", []string{"base_uri=" + srv.URL + "/rest", "auth_type=admin", "username=shopadmin"},
			map[string]string{"password": "admin-p4ssw0rd-secret"}, "shopadmin"},
		{"Upgates", "upgates", []string{"api_url=" + srv.URL + "/api/v2", "api_user=apilogin"},
			map[string]string{"api_key": "upgates-key-0123456789"}, "apilogin"},
	}
	b := newBinary(t)
	var printed []string
	for _, c := range cases {
		args := []string{"--log-level", "debug", "create", "--app", c.app, "--name", c.name, "--secrets-stdin", "--json"}
		for _, s := range c.sets {
			args = append(args, "--set", s)
		}
		var js []string
		for k, v := range c.secrets {
			js = append(js, fmt.Sprintf("%q:%q", k, v))
		}
		stdin := "{" + strings.Join(js, ",") + "}"
		code, out, stderr := b.run(stdin, args...)
		if code != ExitFailed || !strings.Contains(out, `"ok":false`) {
			t.Errorf("%s: create against an echoing server fails its test: %d %s %s", c.name, code, out, stderr)
		}
		printed = append(printed, out, stderr)
		// Saved without verifying, then tested by name and all together.
		code, out, stderr = b.run(stdin, append(args, "--no-verify")...)
		if code != 0 {
			t.Fatalf("%s: create --no-verify: %d %s %s", c.name, code, out, stderr)
		}
		printed = append(printed, out, stderr)
		for _, words := range [][]string{{"test", c.name, "--json"}, {"test", c.name}} {
			_, out, stderr = b.run("", append([]string{"--log-level", "debug"}, words...)...)
			printed = append(printed, out, stderr)
		}
	}
	_, out, stderr := b.run("", "--log-level", "debug", "test", "--all", "--json")
	printed = append(printed, out, stderr)
	_, out, stderr = b.run("", "list", "--json")
	printed = append(printed, out, stderr)
	if !strings.Contains(strings.Join(printed, ""), "server_error") {
		t.Fatal("the echoing server was never reached: this test would prove nothing")
	}
	for _, c := range cases {
		for _, secret := range c.secrets {
			for _, form := range encodings(c.user, secret) {
				b.assertNoLeak(form, printed...)
			}
		}
	}
}
