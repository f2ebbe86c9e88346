package prestashop

// api.go: requests a saved PrestaShop connection makes of its webservice
// (`storelink api`, Try a request): under /api, the key as the user name
// of Basic authentication, as the test sends it first, and as ws_key when
// the server drops the header (the test's fallback); pages by the limit
// parameter; error answers named with the test's codes.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"

	"storelink/connectors"
)

func api() *connectors.API {
	return &connectors.API{
		Root:     apiRoot,
		Open:     openSession,
		Fields:   "xml",
		Next:     nextPage,
		Diagnose: diagnose,
		Examples: []connectors.APIExample{
			{Label: "What the key may use", Method: "GET", Path: "/"},
			{Label: "Products", Method: "GET", Path: "/products?display=[id,name,reference]&limit=5"},
			{Label: "Orders", Method: "GET", Path: "/orders?display=[id,reference,total_paid]&limit=5"},
			{Label: "Customers", Method: "GET", Path: "/customers?display=[id,firstname,lastname,email]&limit=5"},
			{Label: "Stock", Method: "GET", Path: "/stock_availables?display=[id,id_product,quantity]&limit=5"},
		},
	}
}

func apiRoot(v connectors.Values) (string, error) {
	o := decode(v)
	if o.Store == "" {
		return "", errors.New("The connection has no valid Shop address.")
	}
	return o.base() + "/api", nil
}

func openSession(_ context.Context, cfg connectors.Config) (connectors.Session, error) {
	o := decode(cfg.Values)
	if o.Key == "" {
		return nil, &connectors.ResultError{Result: connectors.Fail(connectors.CodeInvalidInput,
			"The connection has no API key.", "Edit the connection and enter its API key.")}
	}
	return &session{key: o.Key, auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(o.Key+":"))}, nil
}

type session struct {
	key, auth string
	wsKey     bool // the server dropped the header once: the key goes as ws_key
}

var _ connectors.Retrier = (*session)(nil)

func (s *session) Authorize(r *connectors.Request) error {
	if !s.wsKey {
		r.Header.Set("Authorization", s.auth)
		return nil
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("ws_key", s.key)
	u.RawQuery = q.Encode()
	r.URL = u.String()
	r.Header.Del("Authorization")
	return nil
}

func (*session) Done(connectors.Request, *connectors.Response) {}

// Retry sends the request once more with the key as ws_key when the
// dispatcher answered as if no key came (PHP as CGI drops the header), as
// the test does; the rest of the call keeps ws_key.
func (s *session) Retry(_ connectors.Request, resp *connectors.Response) (connectors.Warning, bool) {
	if s.wsKey || resp == nil || inspect(resp).kind != kindPlain401 {
		return connectors.Warning{}, false
	}
	s.wsKey = true
	return connectors.Warning{Code: connectors.CodeAuthHeaderStripped,
		Message: "The server drops the Authorization header (PHP running as CGI/FastCGI), so the key was sent in the address instead, where it can end up in server logs. " + cgiAdvice}, true
}

// diagnose names an error answer as a test of the connection would.
func diagnose(_ connectors.APIRequest, resp *connectors.Response) (connectors.Result, bool) {
	return diagnosis(inspect(resp), nil)
}

// nextPage follows PrestaShop's limit parameter: limit=N or
// limit=offset,count asks for the next count records while a page held
// count of them. A request without a limit gets every record in one
// answer, so it has no next page.
func nextPage(req connectors.APIRequest, resp *connectors.Response) (connectors.APIRequest, bool) {
	path, rawQuery, _ := strings.Cut(req.Path, "?")
	q, err := url.ParseQuery(rawQuery)
	if err != nil || q.Get("limit") == "" {
		return req, false
	}
	offset, count := 0, 0
	first, second, two := strings.Cut(q.Get("limit"), ",")
	if two {
		offset, err = strconv.Atoi(strings.TrimSpace(first))
		if err == nil {
			count, err = strconv.Atoi(strings.TrimSpace(second))
		}
	} else {
		count, err = strconv.Atoi(strings.TrimSpace(first))
	}
	if err != nil || offset < 0 || count <= 0 {
		return req, false
	}
	if n, ok := records(resp.Body); !ok || n < count {
		return req, false
	}
	// The rest of the query stays as the user wrote it.
	parts := strings.Split(rawQuery, "&")
	for i, p := range parts {
		if k, _, _ := strings.Cut(p, "="); k == "limit" {
			parts[i] = "limit=" + strconv.Itoa(offset+count) + "," + strconv.Itoa(count)
		}
	}
	next := req
	next.Path = path + "?" + strings.Join(parts, "&")
	return next, true
}

// records counts a listing's records: the children of the element under
// <prestashop> in XML, the array under the one key in JSON
// (output_format=JSON); false when the body is no listing.
func records(body []byte) (int, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var doc map[string]json.RawMessage
		if json.Unmarshal(trimmed, &doc) != nil || len(doc) != 1 {
			return 0, false
		}
		for _, raw := range doc {
			var list []json.RawMessage
			if json.Unmarshal(raw, &list) != nil {
				return 0, false
			}
			return len(list), true
		}
	}
	d := newDecoder(body)
	depth, n := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n, depth == 0 && n >= 0
		}
		if err != nil {
			return 0, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && t.Name.Local != "prestashop" {
				return 0, false
			}
			if depth == 3 {
				n++
			}
		case xml.EndElement:
			depth--
		}
	}
}
