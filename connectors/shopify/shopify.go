// Package shopify tests connections to Shopify stores through the GraphQL
// Admin API: a custom app's Admin API access token, or a Dev Dashboard app's
// client ID and secret exchanged for a short-lived token at every test. One
// GraphQL query reads the shop's name, domain, plan and currency, one read of
// access_scopes.json the scopes the token was granted, and each way Shopify
// refuses is put into words a store owner can act on.
package shopify

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"storelink/connectors"
)

// ID is the application's stable identifier.
const ID = "shopify"

// Field keys: part of the public contract (saved connections, CLI --set).
const (
	FieldShop           = "shop"
	FieldAuthType       = "auth_type"
	FieldAccessToken    = "access_token"
	FieldClientID       = "client_id"
	FieldClientSecret   = "client_secret"
	FieldAPIVersion     = "api_version"
	FieldRequiredScopes = "required_scopes"
)

// Authentication types.
const (
	AuthAccessToken       = "access_token"
	AuthClientCredentials = "client_credentials"
)

// APIVersions are the Admin API versions Storelink knows, oldest first
// (https://shopify.dev/docs/api/usage/versioning: a stable version each
// quarter, each supported for at least twelve months).
var APIVersions = []string{"2025-10", "2026-01", "2026-04", "2026-07", "2026-10"}

// DefaultAPIVersion is the newest stable version Storelink knows.
const DefaultAPIVersion = "2026-10"

// MaxConcurrency: Shopify's REST bucket holds 40 requests and drains 2 a
// second, GraphQL restores 100 cost points a second on the standard plan
// (https://shopify.dev/docs/api/usage/limits); ten requests at once stay well
// inside either bucket, and more only earn 429s for every app on the store.
const MaxConcurrency = 10

func init() { connectors.Register(Info()) }

// Info describes the Shopify application and its fields.
func Info() connectors.Info {
	return connectors.Info{
		ID:          ID,
		Title:       "Shopify",
		EnvPrefix:   "SHOPIFY", // storelink exec sets SHOPIFY_<FIELD KEY>
		Description: "Shopify stores through the GraphQL Admin API: a custom app's access token, or a Dev Dashboard app's client ID and secret.",
		Icon:        "shopify.svg",
		Fields:      fields(),
		New:         func() connectors.Connector { return &Connector{} },
		AdminURL:    adminURL,
		PlainHTTP:   plainHTTP,
		API:         api(),

		MaxConcurrency: MaxConcurrency,
		MaxConcurrencyReason: "Shopify lets an app make about 2 REST requests or 100 GraphQL cost points a second per store (a bucket of 40 requests absorbs bursts); " +
			"more at once only earns 429 Too Many Requests.",
	}
}

// plainHTTP names what an http:// Shop address would expose.
func plainHTTP(v connectors.Values) (host, secret string) {
	o := decode(v)
	if connectors.SchemeOf(o.Shop) != schemeHTTP {
		return "", ""
	}
	if o.Auth == AuthClientCredentials {
		return hostOf(o.Shop), "client secret and access token"
	}
	return hostOf(o.Shop), "access token"
}

// The empty value stands for the default, so a connection that never set
// auth_type still shows and requires the token.
var (
	whenToken  = connectors.Condition{Field: FieldAuthType, Values: []string{AuthAccessToken, ""}}
	whenClient = connectors.Condition{Field: FieldAuthType, Values: []string{AuthClientCredentials}}
)

func fields() []connectors.Field {
	versions := make([]connectors.Choice, len(APIVersions))
	for i, v := range APIVersions {
		versions[i] = connectors.Choice{Value: v, Label: v}
	}
	token := []connectors.Condition{whenToken}
	client := []connectors.Condition{whenClient}
	return []connectors.Field{
		{
			Key: FieldShop, Label: "Shop address", Kind: connectors.KindURL, Required: true, Address: true,
			Placeholder: shopExample,
			Help: "Your store's myshopify.com address, like your-store.myshopify.com. The store's name alone, or an address copied from the Shopify admin " +
				"(https://admin.shopify.com/store/your-store/...), is tidied up for you.",
			Validate:  validateShop,
			Warn:      warnShop,
			Normalize: NormalizeShop,
		},
		{
			Key: FieldAuthType, Label: "Authentication", Kind: connectors.KindChoice, Required: true, Default: AuthAccessToken,
			Choices: []connectors.Choice{
				{Value: AuthAccessToken, Label: "Admin API access token",
					Help: "The token of a custom app made in the Shopify admin (Settings > Apps and sales channels > Develop apps), starting with shpat_. It works until the app is uninstalled."},
				{Value: AuthClientCredentials, Label: "Client ID and secret (Dev Dashboard)",
					Help: "An app from Shopify's Dev Dashboard, installed on this store: Storelink exchanges its client ID and secret for a token at every test, which expires after 24 hours and is never stored."},
			},
			Help: "Admin API access token for a custom app made in the store's admin. Client ID and secret for an app made in Shopify's Dev Dashboard.",
		},
		{
			Key: FieldAccessToken, Label: "Admin API access token", Kind: connectors.KindSecret,
			VisibleWhen: token, RequiredWhen: token, Validate: validateToken, Warn: warnToken,
			Placeholder: "shpat_...",
			Help: "The custom app's Admin API access token, starting with shpat_: Settings > Apps and sales channels > Develop apps > (your app) > API credentials. " +
				"Shopify shows it once; if it is lost, uninstall and install the app again to get a new one.",
		},
		{
			Key: FieldClientID, Label: "Client ID", Kind: connectors.KindText,
			VisibleWhen: client, RequiredWhen: client, Validate: validateClientID,
			Help: "The app's client ID: Dev Dashboard > Apps > (your app) > Settings.",
		},
		{
			Key: FieldClientSecret, Label: "Client secret", Kind: connectors.KindSecret,
			VisibleWhen: client, RequiredWhen: client, Validate: validateToken, Warn: warnSecret,
			Placeholder: "shpss_...",
			Help:        "The app's secret, shown next to the client ID in Dev Dashboard > Apps > (your app) > Settings.",
		},
		{
			Key: FieldAPIVersion, Label: "API version", Kind: connectors.KindChoice, Default: DefaultAPIVersion, Advanced: true,
			Choices: versions,
			Help: "The Admin API version to ask for, named by year and month. Use the one your integration is built for; " +
				"when Shopify no longer serves it, it answers with a newer one and the test warns.",
		},
		{
			Key: FieldRequiredScopes, Label: "Required scopes", Kind: connectors.KindText, Advanced: true,
			Placeholder: "read_products,write_orders",
			Help:        "Access scopes your integration needs, like read_products,write_orders. The test fails and names each one the token was not granted.",
			Validate:    validateScopes,
		},
	}
}

// options are a connection's values, decoded and typed.
type options struct {
	Shop         string // name.myshopify.com, or scheme://host[:port]
	ShopNote     string // what NormalizeShop changed
	Auth         string
	AccessToken  string
	ClientID     string
	ClientSecret string
	Version      string
	Required     []string
}

func decode(v connectors.Values) options {
	shop, note := NormalizeShop(v.String(FieldShop))
	auth := v.String(FieldAuthType)
	if auth == "" {
		auth = AuthAccessToken
	}
	version := v.String(FieldAPIVersion)
	if version == "" {
		version = DefaultAPIVersion
	}
	return options{
		Shop: shop, ShopNote: note, Auth: auth,
		AccessToken:  strings.TrimSpace(v[FieldAccessToken]),
		ClientID:     v.String(FieldClientID),
		ClientSecret: strings.TrimSpace(v[FieldClientSecret]),
		Version:      version,
		Required:     parseScopes(v.String(FieldRequiredScopes)),
	}
}

// tokenPrefixes are the Admin API token kinds Shopify issues: custom app
// (shpat_), custom app from a partner (shpca_), legacy private app password
// (shppa_).
var tokenPrefixes = []string{"shpat_", "shpca_", "shppa_"}

func validateToken(v string) error {
	if strings.ContainsFunc(strings.TrimSpace(v), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("must not contain spaces or line breaks; copy it again in one piece")
	}
	return nil
}

// warnToken catches the secrets most often pasted in the token's place.
func warnToken(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(v, "shpss_"):
		return "this is an app's client secret (shpss_), not an Admin API access token: choose Client ID and secret, or copy the token (shpat_) from the app's API credentials."
	case !slices.ContainsFunc(tokenPrefixes, func(p string) bool { return strings.HasPrefix(v, p) }):
		return "Admin API access tokens start with shpat_; this one does not, so it may be a Storefront API token or an API key."
	}
	return ""
}

func warnSecret(v string) string {
	if v = strings.TrimSpace(v); strings.HasPrefix(v, "shpat_") {
		return "this is an Admin API access token (shpat_), not a client secret: choose Admin API access token instead."
	}
	return ""
}

var clientIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]+$`) })

func validateClientID(v string) error {
	if !clientIDPattern().MatchString(v) {
		return fmt.Errorf("must be letters and digits only, as the Dev Dashboard shows it; copy it again")
	}
	if strings.HasPrefix(v, "shpss_") || strings.HasPrefix(v, "shpat_") {
		return fmt.Errorf("holds a secret (it starts with %s), not the client ID; put it in its own field and copy the client ID from the Dev Dashboard", v[:6])
	}
	return nil
}

var scopePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(unauthenticated_)?(read|write)_[a-z0-9_]+$`) })

// parseScopes splits "read_products, write_orders" into its handles.
func parseScopes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if f = strings.ToLower(f); !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

func validateScopes(v string) error {
	for _, s := range parseScopes(v) {
		if !scopePattern().MatchString(s) {
			return fmt.Errorf("%q is not an access scope; write them like read_products,write_orders", s)
		}
	}
	return nil
}

// adminURL is the store's Shopify admin, at /admin of its myshopify.com address.
func adminURL(v connectors.Values) string {
	shop, _ := NormalizeShop(v.String(FieldShop))
	if shop == "" {
		return ""
	}
	return baseURL(shop) + "/admin"
}
