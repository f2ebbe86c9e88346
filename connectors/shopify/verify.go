package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"storelink/connectors"
	"storelink/redact"
)

// Connector tests one Shopify connection.
type Connector struct{}

var _ connectors.Connector = (*Connector)(nil)

// Where store owners act, used in hints.
const (
	developApps  = "Settings > Apps and sales channels > Develop apps"
	devDashboard = "Dev Dashboard > Apps > (your app) > Settings"
	domainsPage  = "Settings > Domains"
)

// shopQuery reads what the result shows of the store; each field costs 0
// or 1 point (shopify.dev/docs/api/admin-graphql/latest/objects/Shop).
const shopQuery = `{ shop { name myshopifyDomain primaryDomain { host } plan { displayName partnerDevelopment shopifyPlus } currencyCode } }`

// Test reads the shop with one GraphQL query and the token's scopes with one
// REST read, after exchanging the client credentials when those are used.
func (c *Connector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	o := decode(cfg.Values)
	if r, bad := o.invalid(); bad {
		return r
	}
	t := &tester{ctx: ctx, cfg: cfg, o: o, client: cfg.HTTP, token: o.AccessToken}
	r := t.run()
	if o.ShopNote != "" {
		r.Warn(connectors.CodeNormalized, "Shop address: "+o.ShopNote+".")
	}
	return r
}

func invalid(msg, hint string) (connectors.Result, bool) {
	return connectors.Fail(connectors.CodeInvalidInput, msg, hint), true
}

// invalid reports values that cannot be tested, before any request.
func (o options) invalid() (connectors.Result, bool) {
	switch {
	case o.Shop == "":
		return invalid("Shop is empty.", "Enter the store's address, like "+shopExample+".")
	case validateShop(o.Shop) != nil:
		return invalid("Shop "+validateShop(o.Shop).Error()+".", "Copy the store's myshopify.com address from "+domainsPage+" in the Shopify admin.")
	case !slices.Contains(APIVersions, o.Version):
		return invalid(fmt.Sprintf("API version %q is not one Storelink knows (%s).", o.Version, strings.Join(APIVersions, ", ")),
			"Choose one of them in Advanced > API version; "+DefaultAPIVersion+" is the newest.")
	case validateScopes(strings.Join(o.Required, ",")) != nil:
		return invalid("Required scopes: "+validateScopes(strings.Join(o.Required, ",")).Error()+".", "Write them like read_products,write_orders, or leave the field empty.")
	}
	switch o.Auth {
	case AuthAccessToken:
		if o.AccessToken == "" {
			return invalid("Admin API access token is empty.", "Copy it from "+developApps+" > (your app) > API credentials.")
		}
	case AuthClientCredentials:
		switch {
		case o.ClientID == "" || o.ClientSecret == "":
			return invalid("Client ID and client secret are both needed.", "Copy them from "+devDashboard+".")
		case validateClientID(o.ClientID) != nil:
			return invalid("Client ID "+validateClientID(o.ClientID).Error()+".", "Copy the client ID from "+devDashboard+".")
		}
	default:
		return invalid(fmt.Sprintf("Authentication %q is not one of %s, %s.", o.Auth, AuthAccessToken, AuthClientCredentials),
			"Choose Admin API access token or Client ID and secret.")
	}
	return connectors.Result{}, false
}

type tester struct {
	ctx    context.Context
	cfg    connectors.Config
	o      options
	client *connectors.Client
	token  string // the access token, or the one the client credentials bought
	// expires says when an exchanged token ends ("" for a custom app's).
	expires string
}

// red masks with the connection's secrets; Diagnose has none and masks
// their shapes only.
func (t *tester) red() *redact.Redactor {
	if t.client == nil {
		return nil
	}
	return t.client.Redactor()
}

func (t *tester) host() string { return hostOf(t.o.Shop) }

func (t *tester) run() connectors.Result {
	var checks []connectors.Check
	if t.o.Auth == AuthClientCredentials {
		t.cfg.Step("Exchanging the client ID and secret for a token at " + t.host() + "...")
		if r, failed := t.exchange(); failed {
			return r
		}
		checks = append(checks, connectors.Check{Name: "Client credentials exchanged", OK: true, Detail: "token expires " + t.expires})
	}
	t.cfg.Step("Asking " + t.host() + "'s Admin API (" + t.o.Version + ") for the shop...")
	resp, err := t.send(http.MethodPost, baseURL(t.o.Shop)+"/admin/api/"+t.o.Version+"/graphql.json", mustJSON(map[string]string{"query": shopQuery}))
	if err != nil {
		return t.netFail(err)
	}
	if r, refused := t.refusal(resp, "the Admin API"); refused {
		return r
	}
	shop, r, ok := t.readShop(resp)
	if !ok {
		return r
	}
	served := strings.TrimSpace(resp.Header.Get("X-Shopify-API-Version"))
	checks = append(checks, connectors.Check{Name: "Admin API answers", OK: true, Detail: "version " + served})

	t.cfg.Step("Reading the token's access scopes...")
	resp, err = t.send(http.MethodGet, baseURL(t.o.Shop)+"/admin/oauth/access_scopes.json", nil)
	if err != nil {
		return t.netFail(err)
	}
	if r, refused := t.refusal(resp, "the access scopes"); refused {
		return r
	}
	var scopes struct {
		AccessScopes []struct {
			Handle string `json:"handle"`
		} `json:"access_scopes"`
	}
	if json.Unmarshal(resp.Body, &scopes) != nil || scopes.AccessScopes == nil {
		return t.notAPI(resp, "/admin/oauth/access_scopes.json")
	}
	var granted []string
	for _, s := range scopes.AccessScopes {
		granted = append(granted, s.Handle)
	}
	return t.success(shop, served, granted, checks)
}

// send makes one request with the token in X-Shopify-Access-Token
// (shopify.dev/docs/api/admin-graphql, "Authentication").
func (t *tester) send(method, u string, body []byte) (*connectors.Response, error) {
	h := http.Header{"Accept": {"application/json"}, "X-Shopify-Access-Token": {t.token}}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return t.client.Do(t.ctx, connectors.Request{Method: method, URL: u, Header: h, Body: body})
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // a map of strings always encodes
	}
	return data
}

// shopInfo is the GraphQL answer's shop.
type shopInfo struct {
	Name            string `json:"name"`
	MyshopifyDomain string `json:"myshopifyDomain"`
	PrimaryDomain   struct {
		Host string `json:"host"`
	} `json:"primaryDomain"`
	Plan struct {
		DisplayName        string `json:"displayName"`
		PartnerDevelopment bool   `json:"partnerDevelopment"`
		ShopifyPlus        bool   `json:"shopifyPlus"`
	} `json:"plan"`
	CurrencyCode string `json:"currencyCode"`
}

type graphqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

type graphqlAnswer struct {
	Data *struct {
		Shop *shopInfo `json:"shop"`
	} `json:"data"`
	Errors     []graphqlError `json:"errors"`
	Extensions struct {
		Cost struct {
			RequestedQueryCost float64 `json:"requestedQueryCost"`
			ThrottleStatus     struct {
				MaximumAvailable   float64 `json:"maximumAvailable"`
				CurrentlyAvailable float64 `json:"currentlyAvailable"`
				RestoreRate        float64 `json:"restoreRate"`
			} `json:"throttleStatus"`
		} `json:"cost"`
	} `json:"extensions"`
}

// readShop reads a 200 answer of the GraphQL endpoint: the shop, or
// GraphQL's own errors (which come with status 200).
func (t *tester) readShop(resp *connectors.Response) (shopInfo, connectors.Result, bool) {
	var a graphqlAnswer
	if json.Unmarshal(resp.Body, &a) != nil {
		return shopInfo{}, t.notAPI(resp, "/admin/api/"+t.o.Version+"/graphql.json"), false
	}
	for _, e := range a.Errors {
		switch e.Extensions.Code {
		case "THROTTLED":
			ts := a.Extensions.Cost.ThrottleStatus
			wait := seconds((a.Extensions.Cost.RequestedQueryCost - ts.CurrentlyAvailable) / max(ts.RestoreRate, 1))
			return shopInfo{}, connectors.Fail(connectors.CodeRateLimited,
				fmt.Sprintf("Shopify throttled the query: this app's cost bucket on %s holds %s of %s points and refills %s a second, so the query can run again in %s.",
					t.host(), num(ts.CurrentlyAvailable), num(ts.MaximumAvailable), num(ts.RestoreRate), wait),
				"Test again in "+wait+"; if it keeps happening, another integration with this app's credentials is using up the bucket, or lower Concurrency level in Advanced."), false
		case "ACCESS_DENIED":
			return shopInfo{}, connectors.Fail(connectors.CodeForbidden,
				fmt.Sprintf("Shopify denied the shop query: %q.", shorten(e.Message, 200, t.red())),
				"Give the app the access it names in its configuration ("+developApps+" > (your app) > Configuration, or its version in the Dev Dashboard), then install it again."), false
		}
	}
	if len(a.Errors) > 0 {
		return shopInfo{}, connectors.Fail(connectors.CodeServerError,
			fmt.Sprintf("Shopify's Admin API answered the shop query with an error: %q.", shorten(a.Errors[0].Message, 200, t.red())),
			"Check www.shopifystatus.com and try again later; if it persists, choose a newer API version in Advanced."), false
	}
	if a.Data == nil || a.Data.Shop == nil || a.Data.Shop.MyshopifyDomain == "" {
		return shopInfo{}, t.notAPI(resp, "/admin/api/"+t.o.Version+"/graphql.json"), false
	}
	return *a.Data.Shop, connectors.Result{}, true
}

func (t *tester) success(shop shopInfo, served string, granted []string, checks []connectors.Check) connectors.Result {
	name := cmpOr(shop.Name, shop.MyshopifyDomain)
	plan := shop.Plan.DisplayName
	msg := fmt.Sprintf("Connected to %s (%s)", name, shop.MyshopifyDomain)
	if plan != "" {
		msg += " on the " + plan + " plan"
	}
	msg += fmt.Sprintf(": the token may %s.", scopeWords(granted))
	if t.expires != "" {
		msg += " The token Shopify issued for this test expires " + t.expires + "; Storelink asks for a new one at every test and keeps none."
	}
	r := connectors.Success(msg)
	r.Server = connectors.Server{
		Platform: "Shopify", Version: served, ShopName: shop.Name, URL: baseURL(t.o.Shop),
		Extra: map[string]string{
			"myshopify_domain": shop.MyshopifyDomain, "primary_domain": shop.PrimaryDomain.Host,
			"plan": plan, "currency": shop.CurrencyCode, "api_version": served,
			"scopes": strings.Join(granted, ","),
		},
	}
	if t.expires != "" {
		r.Server.Extra["token_expires"] = t.expires
	}
	r.Checks = append(r.Checks, checks...)
	for _, g := range granted {
		r.Permissions = append(r.Permissions, connectors.Permission{Resource: g, Title: capitalize(words(g))})
	}
	r.AddCheck("Access scopes", true, strings.Join(granted, ", "))
	if served != "" && served != t.o.Version {
		r.Warn(connectors.CodeAPIVersionFallback, fmt.Sprintf("Shopify no longer serves API version %s and answered with %s instead: your integration gets %s's behaviour. "+
			"Choose %s or newer in Advanced > API version, after checking Shopify's release notes for what changed.", t.o.Version, served, served, served))
	}
	if missing := missingScopes(granted, t.o.Required); len(missing) > 0 {
		named := make([]string, len(missing))
		for i, m := range missing {
			named[i] = m + " (" + words(m) + ")"
		}
		r.OK, r.Code = false, connectors.CodeForbidden
		r.Message = "The token works but lacks access scopes you need: " + strings.Join(named, ", ") + "."
		r.Hint = "Add them to the app (" + developApps + " > (your app) > Configuration > Admin API integration, or the app's version in the Dev Dashboard), save, and install the app again; " +
			"a custom app then shows a new token to copy here."
		r.AddCheck("Required scopes", false, strings.Join(missing, ", "))
	} else if len(t.o.Required) > 0 {
		r.AddCheck("Required scopes", true, "all granted")
	}
	return r
}

// missingScopes lists the required scopes not granted. A write scope
// includes its read scope (shopify.dev/docs/api/usage/access-scopes).
func missingScopes(granted, required []string) []string {
	var out []string
	for _, s := range required {
		implied := strings.Replace(s, "read_", "write_", 1)
		if !slices.Contains(granted, s) && !(strings.Contains(s, "read_") && slices.Contains(granted, implied)) {
			out = append(out, s)
		}
	}
	return out
}

// words puts a scope handle in words: read_all_orders -> "read all orders";
// unauthenticated_ scopes are the Storefront API's.
func words(scope string) string {
	s, storefront := strings.CutPrefix(scope, "unauthenticated_")
	s = strings.ReplaceAll(s, "_", " ")
	if storefront {
		s += " (Storefront API)"
	}
	return s
}

func scopeWords(granted []string) string {
	if len(granted) == 0 {
		return "do nothing: it was granted no access scopes"
	}
	w := make([]string, len(granted))
	for i, g := range granted {
		w[i] = words(g)
	}
	if len(w) == 1 {
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
