package magento2

// api.go: requests a saved Magento 2 connection makes of its store's REST
// API (`storelink api`, Try a request). The root is the Shop address with
// its store code (https://shop.example/rest/default), so a path starts at
// the API version: /V1/orders. Requests carry the credentials exactly as
// the test sends them: signed with OAuth 1.0 (the connection's method and
// realm), the access token as Bearer, or a fresh admin token fetched once
// per call. Pages follow searchCriteria[currentPage].

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"storelink/connectors"
	"storelink/redact"
)

// Search criteria parameters of Magento's list routes
// (Magento\Framework\Api\SearchCriteria, as the REST query names them).
const (
	paramPageSize    = "searchCriteria[pageSize]"
	paramCurrentPage = "searchCriteria[currentPage]"
)

func api() *connectors.API {
	return &connectors.API{
		Root:     apiRoot,
		Open:     openSession,
		Fields:   "json",
		Next:     nextPage,
		Diagnose: diagnoseAPI,
		Examples: []connectors.APIExample{
			{Label: "Store views", Method: http.MethodGet, Path: "/V1/store/storeConfigs"},
			{Label: "Products", Method: http.MethodGet, Path: "/V1/products?" + paramPageSize + "=5"},
			{Label: "Orders", Method: http.MethodGet, Path: "/V1/orders?" + paramPageSize + "=5"},
		},
	}
}

// apiRoot is the REST base with the store view: .../rest or .../rest/<code>.
func apiRoot(v connectors.Values) (string, error) {
	o := decode(v)
	switch {
	case o.Base == "":
		return "", errors.New("The connection has no Shop address.")
	case validateBaseURI(o.Base) != nil:
		return "", errors.New("Shop address " + validateBaseURI(o.Base).Error() + ".")
	case o.storeConflict != "":
		return "", errors.New("The Shop address names the store view \"" + o.storeConflict + "\" but Store code says \"" + o.StoreCode + "\"; keep the store code in one place.")
	}
	return o.api(""), nil
}

// openSession checks the values as a test does and, for an admin login,
// signs in once; the token is masked from then on.
func openSession(ctx context.Context, cfg connectors.Config) (connectors.Session, error) {
	t := &tester{ctx: ctx, cfg: cfg, o: decode(cfg.Values), client: cfg.HTTP, redactor: cfg.HTTP.Redactor()}
	if r, bad := t.prepare(); bad {
		return nil, &connectors.ResultError{Result: r}
	}
	switch t.o.Auth {
	case AuthAdmin:
		if r, ok := t.adminLogin(); !ok {
			return nil, &connectors.ResultError{Result: t.finish(r, nil)}
		}
	case AuthToken:
		t.bearer = t.o.AccessToken
	}
	return session{t: t}, nil
}

type session struct{ t *tester }

// Authorize asks for JSON and signs or carries the token. A body without a
// Content-Type is JSON: Magento's REST reads a body by its Content-Type.
func (s session) Authorize(r *connectors.Request) error {
	if r.Header.Get("Accept") == "" {
		r.Header.Set("Accept", "application/json")
	}
	if len(r.Body) > 0 && r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return s.t.authorize(r)
}

func (session) Done(connectors.Request, *connectors.Response) {}

// listPage is what paging needs of a list answer
// (Magento\Framework\Api\SearchResults: items, search_criteria, total_count).
type listPage struct {
	TotalCount     *int `json:"total_count"`
	SearchCriteria struct {
		PageSize    int `json:"page_size"`
		CurrentPage int `json:"current_page"`
	} `json:"search_criteria"`
}

// nextPage asks for searchCriteria[currentPage]+1 while the pages so far
// hold fewer than total_count items. Without a page size Magento answers
// every item at once, so there is no next page.
func nextPage(req connectors.APIRequest, resp *connectors.Response) (connectors.APIRequest, bool) {
	var p listPage
	if json.Unmarshal(resp.Body, &p) != nil || p.TotalCount == nil {
		return req, false
	}
	size := p.SearchCriteria.PageSize
	if v, err := strconv.Atoi(connectors.QueryParam(req.Path, paramPageSize)); err == nil {
		size = v
	}
	current := p.SearchCriteria.CurrentPage
	if v, err := strconv.Atoi(connectors.QueryParam(req.Path, paramCurrentPage)); err == nil {
		current = v
	}
	if current < 1 {
		current = 1
	}
	if size < 1 || current*size >= *p.TotalCount {
		return req, false
	}
	next := req
	next.Path = connectors.SetQueryParam(req.Path, paramCurrentPage, strconv.Itoa(current+1))
	return next, true
}

// diagnoseAPI names an error answer in the test's words and codes. It
// knows only the answer, so a refusal for a missing ACL resource stays
// "forbidden" (a test tells it from a dropped Authorization header with a
// second, deliberately wrong signature).
func diagnoseAPI(req connectors.APIRequest, resp *connectors.Response) (connectors.Result, bool) {
	if resp == nil || resp.Status < 300 {
		return connectors.Result{}, false
	}
	t := &tester{redactor: redact.New(), o: options{Base: restBaseOf(resp.URL)}}
	if resp.URL == nil {
		resp = withURL(resp)
	}
	r := t.diagnose(resp)
	e, isErr := parseError(resp.Body)
	switch {
	case isErr && e.Message == msgNotAuthorized:
		r.Hint += " If the integration has the resource, the web server may drop the Authorization header: `storelink test` tells the two apart."
	case isErr && e.Message == msgNoRoute:
		// The Shop address was tested; what the user gave is the path.
		r.Message = connectors.Text("Magento does not know the API route {method} {path}: {answer}", "method", methodOf(req), "path", req.Path, "answer", e.Text())
		r.Hint = "Check the method and the path against Magento's REST reference (https://developer.adobe.com/commerce/webapi/rest/quick-reference/), like GET /V1/products; the store code belongs in the connection's Store code, not in the path."
	}
	return r, true
}

func methodOf(req connectors.APIRequest) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return strings.ToUpper(req.Method)
}

// restBaseOf is the address up to and including /rest or /index.php/rest.
func restBaseOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	p := u.Path
	if i := strings.Index(strings.ToLower(p+"/"), "/rest/"); i >= 0 {
		p = p[:i+len("/rest")]
	}
	return u.Scheme + "://" + u.Host + p
}

// withURL gives an answer without an address an empty one, which the
// test's diagnosis reads.
func withURL(resp *connectors.Response) *connectors.Response {
	c := *resp
	c.URL = &url.URL{}
	return &c
}
