package shopifytest

// rest.go: the REST Admin API resources the tests of `storelink api` read,
// as shopify.dev/docs/api/admin-rest documents them:
//
//   - GET shop.json: {"shop":{...}}, the Shop resource's leading fields in
//     the reference's order;
//   - GET products.json?limit=N: {"products":[...]} (limit 50 by default,
//     at most 250), cursor pages through page_info and the Link header
//     '<…?limit=N&page_info=…>; rel="previous", <…>; rel="next"'
//     (shopify.dev/docs/api/usage/pagination-rest); page_info is opaque,
//     here base64url of {"direction","last_id"} as Shopify's decodes;
//   - POST products.json {"product":{"title":…}}: 201 {"product":{...}},
//     422 {"errors":{"title":["can't be blank"]}} without a title;
//   - 403 for a scope the token lacks: {"errors":"[API] This action
//     requires merchant approval for <scope> scope."} as Shopify answers it;
//   - every REST answer: X-Shopify-API-Version and
//     X-Shopify-Shop-Api-Call-Limit.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var restPath = regexp.MustCompile(`^/admin/api/([^/]+)/(.+)\.json$`)

// product is the part of a REST Product the emulator keeps.
type product struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// restProduct is a Product as the REST reference lists its fields, in order.
type restProduct struct {
	ID                int64   `json:"id"`
	Title             string  `json:"title"`
	BodyHTML          string  `json:"body_html"`
	Vendor            string  `json:"vendor"`
	ProductType       string  `json:"product_type"`
	CreatedAt         string  `json:"created_at"`
	Handle            string  `json:"handle"`
	UpdatedAt         string  `json:"updated_at"`
	PublishedAt       string  `json:"published_at"`
	TemplateSuffix    *string `json:"template_suffix"`
	PublishedScope    string  `json:"published_scope"`
	Tags              string  `json:"tags"`
	Status            string  `json:"status"`
	AdminGraphqlAPIID string  `json:"admin_graphql_api_id"`
}

func (p product) json() restProduct {
	const at = "2026-11-02T10:15:00-05:00"
	return restProduct{ID: p.ID, Title: p.Title, Vendor: "Storelink Test Store", CreatedAt: at,
		Handle: strings.ToLower(strings.ReplaceAll(p.Title, " ", "-")), UpdatedAt: at, PublishedAt: at,
		PublishedScope: "web", Status: "active", AdminGraphqlAPIID: fmt.Sprintf("gid://shopify/Product/%d", p.ID)}
}

func (s *Server) seed() {
	for i := 1; i <= s.opts.Products; i++ {
		s.products = append(s.products, product{ID: 632910392 + int64(i), Title: "Product " + strconv.Itoa(i)})
	}
}

// rest answers one REST Admin API request.
func (s *Server) rest(w http.ResponseWriter, r *http.Request, version, resource string) {
	served := s.served(version)
	if served == "" {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	}
	w.Header().Set("X-Shopify-API-Version", served)
	if s.rateLimited(w) || !s.authorized(w, r) {
		return
	}
	w.Header().Set("X-Shopify-Shop-Api-Call-Limit", "1/40")
	switch {
	case resource == "shop" && r.Method == http.MethodGet:
		s.shop(w)
	case resource == "products" && r.Method == http.MethodGet:
		if s.needs(w, r, "read_products") {
			s.listProducts(w, r, served)
		}
	case resource == "products" && r.Method == http.MethodPost:
		if s.needs(w, r, "write_products") {
			s.createProduct(w, r)
		}
	default:
		writeJSON(w, http.StatusNotFound, bodyNotFound)
	}
}

// needs answers 403 unless the token was granted scope (write_x implies
// read_x, as Shopify's access scopes do).
func (s *Server) needs(w http.ResponseWriter, r *http.Request, scope string) bool {
	granted := s.opts.Scopes
	if slices.Contains(granted, scope) || slices.Contains(granted, strings.Replace(scope, "read_", "write_", 1)) {
		return true
	}
	writeJSON(w, http.StatusForbidden, `{"errors":"[API] This action requires merchant approval for `+scope+` scope."}`)
	return false
}

// restShop is the Shop resource's leading fields, in the reference's order.
type restShop struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	Domain          string `json:"domain"`
	Country         string `json:"country"`
	Currency        string `json:"currency"`
	IanaTimezone    string `json:"iana_timezone"`
	ShopOwner       string `json:"shop_owner"`
	PlanName        string `json:"plan_name"`
	PlanDisplayName string `json:"plan_display_name"`
	MyshopifyDomain string `json:"myshopify_domain"`
}

func (s *Server) shop(w http.ResponseWriter) {
	o := s.opts
	data, _ := json.Marshal(map[string]restShop{"shop": {ID: 548380009, Name: o.ShopName, Email: "owner@" + o.PrimaryDomain,
		Domain: o.PrimaryDomain, Country: "US", Currency: o.Currency, IanaTimezone: "America/New_York", ShopOwner: "Storelink Owner",
		PlanName: strings.ToLower(o.Plan), PlanDisplayName: o.Plan, MyshopifyDomain: o.Handle + ".myshopify.com"}})
	writeJSON(w, http.StatusOK, string(data))
}

type cursor struct {
	Direction string `json:"direction"`
	LastID    int64  `json:"last_id"`
}

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request, version string) {
	q := r.URL.Query()
	limit := 50
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n >= 1 {
		limit = min(n, 250)
	}
	start := 0
	if pi := q.Get("page_info"); pi != "" {
		var c cursor
		raw, err := base64.RawURLEncoding.DecodeString(pi)
		if err != nil || json.Unmarshal(raw, &c) != nil {
			writeJSON(w, http.StatusBadRequest, `{"errors":{"page_info":"Invalid value."}}`)
			return
		}
		s.mu.Lock()
		for i, p := range s.products {
			if p.ID == c.LastID {
				start = i + 1
			}
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	all := append([]product(nil), s.products...)
	s.mu.Unlock()
	end := min(start+limit, len(all))
	out := []restProduct{}
	for _, p := range all[start:end] {
		out = append(out, p.json())
	}
	link := func(lastID int64, rel string) string {
		c, _ := json.Marshal(cursor{Direction: rel, LastID: lastID})
		return fmt.Sprintf(`<%s/admin/api/%s/products.json?limit=%d&page_info=%s>; rel="%s"`, s.URL, version, limit, base64.RawURLEncoding.EncodeToString(c), rel)
	}
	var links []string
	if start > 0 {
		links = append(links, link(all[start].ID, "previous"))
	}
	if end < len(all) {
		links = append(links, link(all[end-1].ID, "next"))
	}
	if links != nil {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	data, _ := json.Marshal(map[string][]restProduct{"products": out})
	writeJSON(w, http.StatusOK, string(data))
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Product struct {
			Title string `json:"title"`
		} `json:"product"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if json.Unmarshal(body, &in) != nil {
		writeJSON(w, http.StatusBadRequest, `{"errors":{"product":"Required parameter missing or invalid"}}`)
		return
	}
	if strings.TrimSpace(in.Product.Title) == "" {
		writeJSON(w, http.StatusUnprocessableEntity, `{"errors":{"title":["can't be blank"]}}`)
		return
	}
	s.mu.Lock()
	p := product{ID: 632910392 + int64(len(s.products)) + 1, Title: in.Product.Title}
	s.products = append(s.products, p)
	s.mu.Unlock()
	data, _ := json.Marshal(map[string]restProduct{"product": p.json()})
	writeJSON(w, http.StatusCreated, string(data))
}

// echo is a broken proxy's debug page repeating the request's headers.
func echo(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>Bad request</title></head><body><pre>%s %s\n", r.Method, r.URL.RequestURI())
	for k, vs := range r.Header {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	b.WriteString("</pre></body></html>\n")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = io.WriteString(w, b.String())
}
