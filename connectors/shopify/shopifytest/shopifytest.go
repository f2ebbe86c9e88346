// Package shopifytest is a Shopify Admin API emulator for tests: an httptest
// server on 127.0.0.1 that answers the three requests a test makes (and
// the REST resources of rest.go) the way Shopify's public documentation
// shows them (each body below names its source):
//
//   - POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token
//     (shopify.dev/docs/api/admin-graphql, "Authentication"): the shop's
//     name, domains, plan and currency, with extensions.cost; a version
//     Shopify no longer serves is answered by the oldest one it does, named
//     in X-Shopify-API-Version (shopify.dev/docs/api/usage/versioning,
//     "fall forward");
//   - GET /admin/oauth/access_scopes.json (shopify.dev/docs/api/admin-rest,
//     AccessScope): {"access_scopes":[{"handle":...}]};
//   - POST /admin/oauth/access_token with grant_type=client_credentials
//     (shopify.dev/docs/apps/build/authentication-authorization/access-tokens/
//     client-credentials-grant): {"access_token","scope","expires_in":86399}.
//
// and the refusals: 401 for a token Shopify does not know, 402 for a frozen
// store, 423 for a locked one (shopify.dev/docs/api/usage/response-codes),
// 429 with Retry-After and GraphQL's THROTTLED error
// (shopify.dev/docs/api/usage/limits), 500, a store that does not exist, and
// the token endpoint's OAuth errors.
package shopifytest

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
)

// Credentials a server accepts when Options leave them empty.
const (
	DefaultAccessToken  = "shpat_0123456789abcdef0123456789abcdef"
	DefaultClientID     = "3b6f2c8e0a1d4f5b9c7e6d5a4b3c2d1e"
	DefaultClientSecret = "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"
	DefaultHandle       = "storelink-test"
)

// DefaultVersions are the Admin API versions served when Options name none.
var DefaultVersions = []string{"2026-01", "2026-04", "2026-07", "2026-10"}

// DefaultScopes are granted when Options name none.
var DefaultScopes = []string{"read_products", "write_orders", "read_customers"}

// Options choose which store, and which trouble, a server emulates.
type Options struct {
	Handle        string // the myshopify.com name: DefaultHandle
	ShopName      string // "Storelink Test Store"
	PrimaryDomain string // "shop.example"
	Plan          string // plan displayName: "Basic"
	Currency      string // "EUR"

	AccessToken, ClientID, ClientSecret string // defaults above
	Scopes                              []string
	// Versions are the stable versions served, oldest first; a well-formed
	// older one falls forward to the first.
	Versions []string

	UnknownShop      bool // no store at this address: every path is Shopify's 404 page
	Frozen           bool // 402 Payment Required
	Locked           bool // 423 Locked
	RateLimited      bool // 429 Too Many Requests with Retry-After
	Throttled        bool // GraphQL THROTTLED: the cost bucket is empty
	Fail500          bool // 500 Internal Server Error
	ShopNotPermitted bool // the client credentials grant is refused for this store
	// Products is how many products the store has ("Product 1"...).
	Products int
	// Echo is a broken proxy in front of the Admin API: every request
	// under /admin/api/ gets a 400 page repeating its headers, the token
	// included (the token exchange still works).
	Echo bool
}

// Hit is one request the server received.
type Hit struct {
	Method, Path, Token, ContentType string
}

// Server is a running emulator.
type Server struct {
	*httptest.Server
	opts Options

	mu       sync.Mutex
	issued   map[string]bool // tokens from the client credentials grant
	hits     []Hit
	products []product
}

// New starts an emulator on 127.0.0.1; Close it when done.
func New(o Options) *Server {
	o = withDefaults(o)
	s := &Server{opts: o, issued: map[string]bool{}}
	s.seed()
	ts := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("shopifytest: " + err.Error())
	}
	ts.Listener = l
	ts.Start()
	s.Server = ts
	return s
}

func withDefaults(o Options) Options {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.Handle, DefaultHandle)
	def(&o.ShopName, "Storelink Test Store")
	def(&o.PrimaryDomain, "shop.example")
	def(&o.Plan, "Basic")
	def(&o.Currency, "EUR")
	def(&o.AccessToken, DefaultAccessToken)
	def(&o.ClientID, DefaultClientID)
	def(&o.ClientSecret, DefaultClientSecret)
	if o.Scopes == nil {
		o.Scopes = DefaultScopes
	}
	if o.Versions == nil {
		o.Versions = DefaultVersions
	}
	return o
}

// Hits returns the requests received so far.
func (s *Server) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

// Issued reports how many tokens the client credentials grant gave out.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.issued)
}

func (s *Server) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits = append(s.hits, Hit{Method: r.Method, Path: r.URL.Path,
		Token: r.Header.Get("X-Shopify-Access-Token"), ContentType: r.Header.Get("Content-Type")})
}

// knows reports whether token opens the Admin API.
func (s *Server) knows(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return token != "" && (token == s.opts.AccessToken || s.issued[token])
}

func (s *Server) issue() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "shpat_" + hex.EncodeToString(b)
	s.mu.Lock()
	s.issued[tok] = true
	s.mu.Unlock()
	return tok
}
