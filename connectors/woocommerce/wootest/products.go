package wootest

// products.go: /wc/v3/products as WooCommerce answers it, for the tests of
// `storelink api`:
//
//   - GET: WC_REST_CRUD_Controller::get_items(): per_page (default 10,
//     1 to 100) and page, X-WP-Total and X-WP-TotalPages, and one Link
//     header '<...>; rel="prev", <...>; rel="next"' (WP_REST_Response::
//     link_header() appends with ", "; the response's Link replaces the
//     api.w.org one serve_request() sent, as PHP's header() does) built by
//     add_query_arg() from the request's own query, credentials included;
//   - GET /products/{id}: woocommerce_rest_product_invalid_id "Invalid ID."
//     404 for an unknown id (WC_REST_Products_Controller::get_object());
//   - POST: create_item(): 201, Location rest_url('/wc/v3/products/<id>'),
//     the new product (a product without a name is "Product", WC_Product's
//     default), rest_invalid_json for a body that is not JSON.
//
// A product is the leading fields of get_product_data() in its order; the
// rest of its ~70 fields are left out.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// product is the part of a product the emulator keeps.
type product struct {
	ID    int
	Name  string
	SKU   string
	Price string
}

func (p product) json(home string) orderedJSON {
	slug := strings.ToLower(strings.ReplaceAll(p.Name, " ", "-"))
	return orderedJSON{
		{"id", p.ID}, {"name", p.Name}, {"slug", slug},
		{"permalink", home + "/product/" + slug + "/"},
		{"date_created", "2026-11-02T10:15:00"}, {"date_created_gmt", "2026-11-02T10:15:00"},
		{"type", "simple"}, {"status", "publish"}, {"featured", false},
		{"catalog_visibility", "visible"}, {"description", ""}, {"short_description", ""},
		{"sku", p.SKU}, {"price", p.Price}, {"regular_price", p.Price}, {"sale_price", ""},
		{"on_sale", false}, {"purchasable", true}, {"stock_quantity", nil}, {"stock_status", "instock"},
	}
}

// seed makes the products Options.Products asks for.
func (s *Server) seed() {
	for i := 1; i <= s.o.Products; i++ {
		s.products = append(s.products, product{ID: 100 + i, Name: "Product " + strconv.Itoa(i), SKU: "SKU-" + strconv.Itoa(i), Price: strconv.Itoa(10*i) + ".00"})
	}
}

// listProducts is get_items() for products.
func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	q := phpGet(r.URL.RawQuery)
	perPage, page := 10, 1
	if v, ok := q["per_page"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeJSON(w, http.StatusBadRequest, orderedJSON{{"code", "rest_invalid_param"}, {"message", "Invalid parameter(s): per_page"},
				{"data", orderedJSON{{"status", 400}, {"params", orderedJSON{{"per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"}}}}}})
			return
		}
		perPage = n
	}
	if v, ok := q["page"]; ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 {
			page = n
		}
	}
	s.mu.Lock()
	all := append([]product(nil), s.products...)
	s.mu.Unlock()
	total := len(all)
	maxPages := (total + perPage - 1) / perPage
	out := []orderedJSON{}
	for i := (page - 1) * perPage; i < page*perPage && i < total; i++ {
		out = append(out, all[i].json(s.home()))
	}
	h := w.Header()
	h.Set("X-WP-Total", strconv.Itoa(total))
	h.Set("X-WP-TotalPages", strconv.Itoa(maxPages))
	base := s.restURL("/wc/v3/products")
	var links []string
	if page > 1 {
		prev := page - 1
		if prev > maxPages {
			prev = maxPages
		}
		links = append(links, `<`+addQueryArg(base, r.URL.RawQuery, "page", strconv.Itoa(prev))+`>; rel="prev"`)
	}
	if maxPages > page {
		links = append(links, `<`+addQueryArg(base, r.URL.RawQuery, "page", strconv.Itoa(page+1))+`>; rel="next"`)
	}
	if links != nil {
		h.Set("Link", strings.Join(links, ", "))
	}
	writeJSON(w, http.StatusOK, out)
}

// getProduct is get_item() for one product.
func (s *Server) getProduct(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.products {
		if strconv.Itoa(p.ID) == id {
			writeJSON(w, http.StatusOK, p.json(s.home()))
			return
		}
	}
	writeError(w, &Error{Code: "woocommerce_rest_product_invalid_id", Message: "Invalid ID.", Status: http.StatusNotFound})
}

// createProduct is create_item(): WP_REST_Request::get_json_params() reads
// the body when Content-Type is application/json.
func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name         string `json:"name"`
		SKU          string `json:"sku"`
		RegularPrice string `json:"regular_price"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") && len(body) > 0 && json.Unmarshal(body, &in) != nil {
		writeJSON(w, http.StatusBadRequest, orderedJSON{{"code", "rest_invalid_json"}, {"message", "Invalid JSON body passed."},
			{"data", orderedJSON{{"status", 400}, {"json_error_code", 4}, {"json_error_message", "Syntax error"}}}})
		return
	}
	if in.Name == "" {
		in.Name = "Product"
	}
	s.mu.Lock()
	p := product{ID: 100 + len(s.products) + 1, Name: in.Name, SKU: in.SKU, Price: in.RegularPrice}
	s.products = append(s.products, p)
	s.mu.Unlock()
	w.Header().Set("Location", s.restURL("/wc/v3/products/"+strconv.Itoa(p.ID)))
	writeJSON(w, http.StatusCreated, p.json(s.home()))
}

// restURL is rest_url(route).
func (s *Server) restURL(route string) string {
	if s.o.PlainPermalinks {
		return s.home() + "/?rest_route=" + route
	}
	return s.home() + "/wp-json" + route
}

// addQueryArg is add_query_arg(name, value, add_query_arg(query, base)):
// the request's pairs as they came (add_query_arg() does not encode), name
// replaced in place or added at the end.
func addQueryArg(base, query, name, value string) string {
	var pairs []string
	found := false
	for _, part := range strings.Split(query, "&") {
		if part == "" {
			continue
		}
		k, _, _ := strings.Cut(part, "=")
		if dk, _ := url.QueryUnescape(k); dk == name {
			if found {
				continue
			}
			part, found = name+"="+value, true
		}
		pairs = append(pairs, part)
	}
	if !found {
		pairs = append(pairs, name+"="+value)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + strings.Join(pairs, "&")
}
