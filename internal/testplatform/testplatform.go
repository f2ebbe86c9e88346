// Package testplatform is a throw-away fourth platform that only tests
// import. It proves what adding a platform takes: one package like this
// and one import line; nothing in app/, cli/, forms/ or engine/ changes.
package testplatform

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"storelink/connectors"
)

// ID is the platform's identifier.
const ID = "acme"

// Token is the one token the test store accepts.
const Token = "acme-token-0123456789abcdef"

func init() { connectors.Register(Info()) }

// Info describes the platform.
func Info() connectors.Info {
	return connectors.Info{
		ID: ID, Title: "Acme Shop", Description: "A platform that exists only in tests.", Icon: "prestashop.svg",
		Fields: []connectors.Field{
			{Key: "shop_url", Label: "Shop URL", Kind: connectors.KindURL, Required: true,
				Help: "The shop's address, like http://127.0.0.1:8080."},
			{Key: "token", Label: "API token", Kind: connectors.KindSecret, Required: true,
				Help: "The token from the shop's settings."},
		},
		New: func() connectors.Connector { return connector{} },
		PlainHTTP: func(v connectors.Values) (string, string) {
			if u := v.String("shop_url"); strings.HasPrefix(u, "http://") {
				return strings.TrimPrefix(u, "http://"), "API token"
			}
			return "", ""
		},
		Commands: []connectors.Command{{Name: "hello", Summary: "say hello from the Acme platform",
			Run: func(_ context.Context, env connectors.CommandEnv, args []string) error {
				if len(args) > 0 {
					return connectors.Usagef("usage: storelink acme hello")
				}
				fmt.Fprintln(env.Stdout, "hello from acme")
				return nil
			}}},
	}
}

type connector struct{}

func (connector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	cfg.Step("Asking the Acme shop...")
	resp, err := cfg.HTTP.Do(ctx, connectors.Request{URL: strings.TrimRight(cfg.Values.String("shop_url"), "/") + "/api/ping",
		Header: http.Header{"Authorization": {"Bearer " + cfg.Values["token"]}}})
	if err != nil {
		return connectors.FailFromError(err)
	}
	if resp.Status == http.StatusUnauthorized {
		return connectors.Fail(connectors.CodeAuthInvalid, "The Acme shop does not know this token.", "Copy the token again.")
	}
	var body struct{ Shop string }
	if json.Unmarshal(resp.Body, &body) != nil || body.Shop == "" {
		return connectors.Fail(connectors.CodeNotAPI, "Something answered, but not the Acme API.", "Check the Shop URL.")
	}
	r := connectors.Success("Connected to " + body.Shop + ".")
	r.Server.ShopName = body.Shop
	return r
}

// NewServer is an Acme store on loopback.
func NewServer(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/ping" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+Token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"shop":"Acme Test Store"}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}
