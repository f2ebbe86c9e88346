package shopifytest

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Bodies as Shopify's documentation prints them.
const (
	// shopify.dev/docs/api/admin-rest, "Status and error codes", sample 401.
	bodyInvalidToken = `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`
	// Same page, sample 429; the REST rate-limit page adds Retry-After.
	bodyRateLimited = `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`
	// Same page, sample 500.
	bodyServerError = `{"errors":"An unexpected error occurred"}`
	// Same page, sample 404.
	bodyNotFound = `{"errors":"Not Found"}`
	// A frozen store's 402, as third parties record it (Shopify's page
	// gives the status and its meaning, "The shop is frozen", not a body).
	bodyFrozen = `{"errors":"Unavailable Shop"}`
	// Shopify documents 423 Locked (response-codes; changelog 2018-08-30,
	// "Admin API requests to locked stores will return a 423") without a
	// body: this one is a stand-in, and the connector reads only the status.
	bodyLocked = `{"errors":"Locked"}`
	// A GraphQL call on an empty cost bucket, as Shopify's rate-limit page
	// and its community forum show it: 200, errors[].extensions.code
	// THROTTLED and the bucket in extensions.cost.throttleStatus.
	bodyThrottled = `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":0,"restoreRate":100.0}}}}`
	// What a *.myshopify.com address without a store answers: a 404 page.
	pageUnknownShop = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Store unavailable</title></head>" +
		"<body><h1>Sorry, this store is currently unavailable.</h1></body></html>\n"
)

const jsonType = "application/json; charset=utf-8"

var graphqlPath = regexp.MustCompile(`^/admin/api/([^/]+)/graphql\.json$`)
var stableVersion = regexp.MustCompile(`^\d{4}-(01|04|07|10)$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	o := s.opts
	switch {
	case o.UnknownShop:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, pageUnknownShop)
		return
	case o.Frozen:
		writeJSON(w, http.StatusPaymentRequired, bodyFrozen)
		return
	case o.Locked:
		writeJSON(w, http.StatusLocked, bodyLocked)
		return
	case o.Fail500:
		writeJSON(w, http.StatusInternalServerError, bodyServerError)
		return
	case o.Echo && strings.HasPrefix(r.URL.Path, "/admin/api/"):
		echo(w, r)
		return
	}
	switch p := r.URL.Path; {
	case p == "/admin/oauth/access_token":
		s.accessToken(w, r)
	case p == "/admin/oauth/access_scopes.json":
		s.accessScopes(w, r)
	case graphqlPath.MatchString(p):
		s.graphql(w, r, graphqlPath.FindStringSubmatch(p)[1])
	case restPath.MatchString(p):
		m := restPath.FindStringSubmatch(p)
		s.rest(w, r, m[1], m[2])
	default:
		writeJSON(w, http.StatusNotFound, bodyNotFound)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", jsonType)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// authorized answers 401 unless the request carries a token Shopify knows.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.knows(r.Header.Get("X-Shopify-Access-Token")) {
		return true
	}
	writeJSON(w, http.StatusUnauthorized, bodyInvalidToken)
	return false
}

// rateLimited answers a REST call over the bucket: 429, Retry-After in
// seconds (shopify.dev/docs/api/admin-rest/usage/rate-limits).
func (s *Server) rateLimited(w http.ResponseWriter) bool {
	if !s.opts.RateLimited {
		return false
	}
	w.Header().Set("Retry-After", "2.0")
	writeJSON(w, http.StatusTooManyRequests, bodyRateLimited)
	return true
}

func (s *Server) accessScopes(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	}
	if s.rateLimited(w) || !s.authorized(w, r) {
		return
	}
	type handle struct {
		Handle string `json:"handle"`
	}
	out := struct {
		AccessScopes []handle `json:"access_scopes"`
	}{AccessScopes: []handle{}}
	for _, sc := range s.opts.Scopes {
		out.AccessScopes = append(out.AccessScopes, handle{sc})
	}
	data, _ := json.Marshal(out)
	w.Header().Set("X-Shopify-Shop-Api-Call-Limit", "1/40")
	writeJSON(w, http.StatusOK, string(data))
}

// served is the version Shopify answers a request for v with: v itself, the
// oldest supported one for an older stable name, "" for no version at all.
func (s *Server) served(v string) string {
	vs := s.opts.Versions
	switch {
	case slices.Contains(vs, v):
		return v
	case stableVersion.MatchString(v) && len(vs) > 0 && v < vs[0]:
		return vs[0]
	}
	return ""
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request, version string) {
	served := s.served(version)
	if r.Method != http.MethodPost || served == "" {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	}
	w.Header().Set("X-Shopify-API-Version", served)
	if s.rateLimited(w) || !s.authorized(w, r) {
		return
	}
	var req struct {
		Query string `json:"query"`
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" ||
		json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req) != nil || strings.TrimSpace(req.Query) == "" {
		writeJSON(w, http.StatusBadRequest, `{"errors":{"query":"Required parameter missing or invalid"}}`)
		return
	}
	if s.opts.Throttled {
		writeJSON(w, http.StatusOK, bodyThrottled)
		return
	}
	o := s.opts
	shop := map[string]any{
		"name":            o.ShopName,
		"myshopifyDomain": o.Handle + ".myshopify.com",
		"primaryDomain":   map[string]any{"host": o.PrimaryDomain},
		"plan":            map[string]any{"displayName": o.Plan, "partnerDevelopment": o.Plan == "Development", "shopifyPlus": o.Plan == "Shopify Plus"},
		"currencyCode":    o.Currency,
	}
	data, _ := json.Marshal(map[string]any{"shop": shop})
	writeJSON(w, http.StatusOK, `{"data":`+string(data)+
		`,"extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1999,"restoreRate":100.0}}}}`)
}

// accessToken is the client credentials grant. Its refusals are HTML pages
// titled "400 - Oauth error <code>", the code and text as Shopify's
// troubleshooting and third parties record them: application_cannot_be_found
// (an unknown client ID, quoted back), invalid_client (a secret that does not
// match), shop_not_permitted ("Client credentials cannot be performed on this
// shop.", shopify.dev's client-credentials page), unsupported_grant_type.
func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	}
	form, err := readForm(r)
	if err != nil {
		oauthError(w, "invalid_request", "The request is missing a required parameter.")
		return
	}
	o := s.opts
	secret := form.Get("client_secret")
	switch {
	case form.Get("grant_type") != "client_credentials":
		oauthError(w, "unsupported_grant_type", "The authorization grant type is not supported.")
	case form.Get("client_id") != o.ClientID:
		oauthError(w, "application_cannot_be_found", "Could not find Shopify API application with api_key "+form.Get("client_id"))
	case subtle.ConstantTimeCompare([]byte(secret), []byte(o.ClientSecret)) != 1:
		oauthError(w, "invalid_client", "Client authentication failed.")
	case o.ShopNotPermitted:
		oauthError(w, "shop_not_permitted", "Client credentials cannot be performed on this shop.")
	default:
		data, _ := json.Marshal(map[string]any{"access_token": s.issue(), "scope": strings.Join(o.Scopes, ","), "expires_in": 86399})
		writeJSON(w, http.StatusOK, string(data))
	}
}

// readForm reads the form or JSON body Shopify's token endpoint accepts.
func readForm(r *http.Request) (url.Values, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		return nil, err
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var m map[string]string
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		v := url.Values{}
		for k, s := range m {
			v.Set(k, s)
		}
		return v, nil
	}
	return url.ParseQuery(string(body))
}

func oauthError(w http.ResponseWriter, code, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<html><head><title>400 - Oauth error %s</title></head><body><h1>Oauth error %s</h1><p>%s</p></body></html>\n",
		code, code, html.EscapeString(text))
}
