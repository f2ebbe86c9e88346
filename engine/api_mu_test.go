package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"storelink/connectors"
	"storelink/connectors/magento2/magentotest"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
	"storelink/engine"
	"storelink/vault"
)

// echoProxy stands in front of target and answers GET .../V1/echo itself
// with everything the request carried, as a misbehaving store or a debug
// extension would; the rest goes through to target. seen keeps the
// Authorization headers it received.
func echoProxy(t *testing.T, target string) (*httptest.Server, func() []string) {
	t.Helper()
	u, _ := url.Parse(target)
	proxy := httputil.NewSingleHostReverseProxy(u)
	var mu sync.Mutex
	var seen []string
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if !strings.HasSuffix(r.URL.Path, "/V1/echo") {
			proxy.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
		_ = json.NewEncoder(w).Encode(map[string]any{"headers": r.Header, "query": r.URL.RawQuery, "body": string(body)})
	}))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// A Magento admin login's fetched token and an OAuth connection's secrets
// never come back through e.Call, even from a store that echoes the request.
func TestCallMagentoEchoShowsNoSecret(t *testing.T) {
	h := newHome(t)
	m := magentotest.New(magentotest.Options{})
	t.Cleanup(m.Close)
	echo, seen := echoProxy(t, m.URL)
	h.create("magento2", connectors.Values{"name": "Admin", "base_uri": echo.URL + "/rest", "auth_type": "admin",
		"username": magentotest.DefaultAdminUser, "password": magentotest.DefaultAdminPassword})
	h.create("magento2", connectors.Values{"name": "Plain", "base_uri": echo.URL + "/rest", "auth_type": "oauth1", "signature_method": "PLAINTEXT",
		"consumer_key": magentotest.DefaultConsumerKey, "consumer_secret": magentotest.DefaultConsumerSecret,
		"access_token": magentotest.DefaultAccessToken, "token_secret": magentotest.DefaultTokenSecret})
	for _, name := range []string{"Admin", "Plain"} {
		var shown []string
		body := []byte(`{"password":"` + magentotest.DefaultAdminPassword + `"}`)
		_, err := h.eng.Call(context.Background(), name, connectors.APIRequest{Method: "POST", Path: "/V1/echo?token=" + magentotest.DefaultAccessToken, Body: body}, engine.CallOptions{
			Sent: func(r connectors.Request) {
				shown = append(shown, r.URL, r.Header.Get("Authorization"), string(r.Body))
			},
		}, func(_ connectors.APIRequest, resp *connectors.Response) error {
			if resp.Status != 200 {
				t.Errorf("%s: %s %s", name, resp.StatusText, resp.Body)
			}
			shown = append(shown, string(resp.Body))
			for k, vs := range resp.Header {
				shown = append(shown, k+": "+strings.Join(vs, ", "))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		auths := seen()
		sentAuth := auths[len(auths)-1]
		secrets := []string{magentotest.DefaultAdminPassword, magentotest.DefaultConsumerSecret, magentotest.DefaultTokenSecret, magentotest.DefaultAccessToken}
		if tok, ok := strings.CutPrefix(sentAuth, "Bearer "); ok {
			secrets = append(secrets, tok)
		} else if name == "Admin" {
			t.Fatalf("the admin call sent %q", sentAuth)
		}
		all := strings.Join(shown, "\n")
		if !strings.Contains(all, "X-Echo-Authorization") {
			t.Fatalf("%s: the echo is missing from what was handed back", name)
		}
		for _, s := range secrets {
			if strings.Contains(all, s[max(len(s)-16, 0):]) {
				t.Errorf("%s: a secret (…%s) shows in what e.Call handed back:\n%s", name, s[len(s)-3:], all)
			}
		}
	}
}

// An Upgates call through the engine counts a refused login in the
// engine's state, and holds back the call that could be the 5th.
func TestCallUpgatesHoldsBackTheLockoutLogin(t *testing.T) {
	dir := t.TempDir()
	secrets := vault.NewMemorySecrets()
	store, err := vault.Open(dir, secrets)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Deps{Store: store, Registry: connectors.Default, State: upgatestest.NewState()})
	t.Cleanup(func() { eng.Close() })
	srv := upgatestest.New(t, upgatestest.Options{})
	v := srv.Values()
	v[connectors.FieldName] = "Shop"
	v[upgates.FieldAPIKey] = "wrong-key-0123456789"
	if out, err := eng.Create(context.Background(), engine.Draft{App: "upgates", Values: v}, engine.SaveOptions{NoVerify: true}); err != nil || !out.Saved {
		t.Fatalf("create: %v", err)
	}
	for i := 1; i < upgates.LockoutAttempts; i++ {
		_, err := eng.Call(context.Background(), "Shop", connectors.APIRequest{Path: "/orders"}, engine.CallOptions{},
			func(_ connectors.APIRequest, resp *connectors.Response) error {
				if resp.Status != 401 {
					t.Errorf("attempt %d: %s", i, resp.StatusText)
				}
				return nil
			})
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	seen := srv.Requests()
	_, err = eng.Call(context.Background(), "Shop", connectors.APIRequest{Path: "/orders"}, engine.CallOptions{},
		func(connectors.APIRequest, *connectors.Response) error {
			t.Error("the call that could be the 5th failed login was sent")
			return nil
		})
	var re *connectors.ResultError
	if !errors.As(err, &re) || re.Result.Code != connectors.CodeLockedOut || srv.Requests() != seen {
		t.Fatalf("err %v, %d requests (was %d); want a local locked_out refusal", err, srv.Requests(), seen)
	}
	if strings.Contains(re.Result.Message+re.Result.Hint, "wrong-key") {
		t.Errorf("the refusal names the key: %s", re.Result.Message)
	}
}
