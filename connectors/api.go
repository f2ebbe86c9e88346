package connectors

// api.go: requests a saved connection makes of its store's API for the
// user (`storelink api`, the window's Try a request). A platform declares
// in Info.API where its API lives, how a request carries its credentials
// and how its pages follow one another; Call sends a request through the
// same client as a test (the connection's agent, trust settings, request
// timeout, concurrency level and redactor).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// API is how a platform's connections make requests of its store's API.
type API struct {
	// Root is the API root for the values, without a trailing slash; a
	// request's path is relative to it ("https://shop.example/api").
	Root func(values Values) (string, error)
	// Open prepares the credentials for the requests of one call. It may
	// make requests of its own over cfg.HTTP (an admin token, a
	// client-credentials grant) and refuse before any request with a
	// Result's words (an Upgates login the lockout guard holds back): its
	// error is then a *ResultError.
	Open func(ctx context.Context, cfg Config) (Session, error)
	// Fields is how -f key=value pairs become a body: "json", "form" or
	// "xml" (PrestaShop's <prestashop> document); "" means "json".
	Fields string
	// Next returns the request for the page after resp, or false when resp
	// is the last page. Nil: the platform's answers have no pages.
	Next func(req APIRequest, resp *Response) (APIRequest, bool)
	// Diagnose names what an HTTP error answer means, in a test's words and
	// code; false when the platform does not recognise it.
	Diagnose func(req APIRequest, resp *Response) (Result, bool)
	// Examples are safe requests to offer (reads only).
	Examples []APIExample
}

// Session carries one call's credentials onto its requests.
type Session interface {
	// Authorize adds the credentials to req, whose URL is absolute: a
	// header, a query parameter or a signature over the whole request.
	Authorize(req *Request) error
	// Done is told how each request ended (resp nil: it got no answer), so
	// a guard can count a refused login. A session that is also an
	// io.Closer is closed when the call ends.
	Done(req Request, resp *Response)
}

// Retrier is a Session that may have a request sent once more, carried
// another way, as its platform's test falls back (WooCommerce: the key in
// the address when the server drops the Authorization header,
// index.php?rest_route= when /wp-json/ is not routed).
type Retrier interface {
	// Retry reports whether resp, the answer to req, asks for another try;
	// the next Authorize carries the request the other way. A warning with
	// a code tells the user why (PrestaShop's key as ws_key:
	// auth_header_stripped).
	Retry(req Request, resp *Response) (Warning, bool)
}

// APIExample is a request to offer in the window: "Products" GET /products.
type APIExample struct {
	Label  string
	Method string
	Path   string
}

// APIRequest is one request the user asks for; Path is relative to the
// API root and may carry a query.
type APIRequest struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// ResultError is a call that ended before or instead of its request, in a
// test's words and code.
type ResultError struct{ Result Result }

func (e *ResultError) Error() string { return e.Result.Message }

// MaxPages bounds how many pages one call follows.
const MaxPages = 10000

// CallOptions shape one call.
type CallOptions struct {
	// Follow asks for every page in turn while the platform's Next finds one.
	Follow bool
	// Sent is told each request as it goes out, credentials included: mask
	// it before showing it.
	Sent func(Request)
}

// Call sends req to the store over a client built as Run builds a test's,
// and hands every answer to page: one, or each page in turn when
// o.Follow is set. A transport error is a *NetError, a refusal before the
// request a *ResultError; an HTTP error answer is handed to page like any
// other, and ends the pages. The warnings are the client's (a pinned
// certificate that is about to expire).
func Call(ctx context.Context, info Info, cfg Config, req APIRequest, o CallOptions, page func(APIRequest, *Response) error) (warnings []Warning, err error) {
	if info.API == nil || info.API.Root == nil || info.API.Open == nil {
		return nil, &ResultError{Result: Fail(CodeInvalidInput,
			fmt.Sprintf("Storelink cannot make requests of %s stores yet.", info.Title),
			"Use `storelink exec` to hand the connection's settings to your own program.")}
	}
	if cfg.Values.String(FieldMode) == ModeOnPremise && cfg.Client.Dial == nil {
		return nil, &ResultError{Result: Fail(CodeAgentUnavailable,
			fmt.Sprintf("The agent %q is not available, and an on-premise store is never reached directly.", cfg.Values.String(FieldAgent)),
			"Choose a saved agent (Resources > Agents), or Mode: Cloud if this computer can reach the store directly.")}
	}
	root, err := info.API.Root(cfg.Values)
	if err != nil {
		return nil, &ResultError{Result: Fail(CodeInvalidInput, err.Error(), "Fix the connection's Shop address.")}
	}
	cfg.HTTP = NewClient(clientOptions(info, cfg))
	var retried []Warning
	defer func() {
		var r Result
		cfg.HTTP.Finish(&r)
		warnings = append(r.Warnings, retried...)
	}()
	s, err := info.API.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if c, ok := s.(io.Closer); ok {
		// A session may hold something for its call (Upgates' turn to log in).
		defer c.Close()
	}
	for n := 0; ; n++ {
		resp, err := send(ctx, cfg.HTTP, s, root, req, o.Sent, &retried)
		if err != nil {
			return nil, err
		}
		if err := page(req, resp); err != nil {
			return nil, err
		}
		if !o.Follow || info.API.Next == nil || resp.Status < 200 || resp.Status > 299 {
			return nil, nil
		}
		next, more := info.API.Next(req, resp)
		if !more {
			return nil, nil
		}
		if n+1 >= MaxPages {
			return nil, fmt.Errorf("stopped after %d pages: the store kept answering with another page", MaxPages)
		}
		req = next
	}
}

// send makes one request of the call.
func send(ctx context.Context, c *Client, s Session, root string, req APIRequest, sent func(Request), retried *[]Warning) (*Response, error) {
	u, err := APIURL(root, req.Path)
	if err != nil {
		return nil, &ResultError{Result: Fail(CodeInvalidInput, err.Error(), "Give a path under the API root, like /products.")}
	}
	resp, r, err := sendOnce(ctx, c, s, u, req, sent)
	if rt, ok := s.(Retrier); ok && err == nil {
		if w, again := rt.Retry(r, resp); again {
			if w.Code != "" && !slices.ContainsFunc(*retried, func(x Warning) bool { return x.Code == w.Code }) {
				*retried = append(*retried, w)
			}
			resp, _, err = sendOnce(ctx, c, s, u, req, sent)
		}
	}
	return resp, err
}

// sendOnce authorizes and sends one request to the absolute address u.
func sendOnce(ctx context.Context, c *Client, s Session, u string, req APIRequest, sent func(Request)) (*Response, Request, error) {
	r := Request{Method: strings.ToUpper(req.Method), URL: u, Header: req.Header.Clone(), Body: req.Body}
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	if err := s.Authorize(&r); err != nil {
		return nil, r, &ResultError{Result: Fail(CodeInvalidInput, err.Error(), "Edit the connection and check its credentials.")}
	}
	if sent != nil {
		sent(r)
	}
	resp, err := c.Do(ctx, r)
	s.Done(r, resp)
	return resp, r, err
}

// APIURL joins a path the user gave to the API root. The path must stay
// under the root: an absolute address, a host or a way out through ".."
// would send the connection's credentials somewhere the user did not save.
func APIURL(root, path string) (string, error) {
	if strings.ContainsAny(path, " \t\r\n\x00") {
		return "", errors.New("The path contains a space or a control character; encode it (%20).")
	}
	if strings.Contains(path, "://") && !strings.HasPrefix(path, "/") {
		// A whole address is taken when it is under the root, as copied
		// from a link in an answer.
		rest, ok := strings.CutPrefix(path, strings.TrimRight(root, "/"))
		if !ok || rest != "" && rest[0] != '/' && rest[0] != '?' {
			return "", fmt.Errorf("The address %q is not under the connection's API root %s; give a path like /products.", path, root)
		}
		path = rest
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if strings.HasPrefix(path, "//") {
		return "", fmt.Errorf("The path %q names another host; give a path under the API root, like /products.", path)
	}
	if _, err := url.Parse(root); err != nil {
		return "", fmt.Errorf("The API root %q is not a valid address.", root)
	}
	p, err := url.Parse(path)
	if err != nil || p.Scheme != "" || p.Host != "" {
		return "", fmt.Errorf("The path %q is not a valid path under the API root.", path)
	}
	for _, seg := range strings.Split(p.Path, "/") {
		if seg == ".." || seg == "." {
			return "", fmt.Errorf("The path %q leaves the API root through %q.", path, seg)
		}
	}
	if dec, err := url.PathUnescape(p.EscapedPath()); err != nil || strings.Contains(dec, "/../") || strings.HasSuffix(dec, "/..") {
		return "", fmt.Errorf("The path %q leaves the API root.", path)
	}
	return strings.TrimRight(root, "/") + path, nil
}
