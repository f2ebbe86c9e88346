package upgates

// api.go: requests a saved Upgates connection makes of the Upgates API v2
// (`storelink api`, Try a request): under the API URL (.../api/v2), with
// the login and key as HTTP Basic authentication, exactly as the test
// sends them, and behind the same lockout guard: a call that could be the
// login Upgates blocks the address for is never sent unless the user
// confirms (Config.Force), and a refused login is counted as a test's is.
// Pages follow the documented `page` parameter ("Stránkování").

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"storelink/connectors"
)

func (c *Connector) api() *connectors.API {
	return &connectors.API{
		Root:     apiRoot,
		Open:     c.openSession,
		Fields:   "json",
		Next:     nextPage,
		Diagnose: diagnoseAPI,
		Examples: []connectors.APIExample{
			{Label: "What the access may use", Method: http.MethodGet, Path: "/status"},
			{Label: "Products", Method: http.MethodGet, Path: "/products"},
			{Label: "Orders", Method: http.MethodGet, Path: "/orders"},
		},
	}
}

func apiRoot(v connectors.Values) (string, error) {
	o := decode(v)
	if o.APIURL == "" {
		return "", errors.New("The connection has no Shop address.")
	}
	if err := validateAPIURL(o.APIURL); err != nil {
		return "", errors.New("Shop address " + err.Error() + ".")
	}
	return o.APIURL, nil
}

// openSession takes the host's turn to log in (as a test does, so a call
// and Test all never pass the guard together) and asks the guard.
func (c *Connector) openSession(ctx context.Context, cfg connectors.Config) (connectors.Session, error) {
	o := decode(cfg.Values)
	if r, bad := o.check(); bad {
		return nil, &connectors.ResultError{Result: r}
	}
	host := o.host()
	unlock, err := c.lockHost(ctx, host)
	if err != nil {
		r, _ := connectors.FromContext(ctx)
		return nil, &connectors.ResultError{Result: r}
	}
	g := &guard{store: cfg.State, now: cfg.Clock, mu: &c.stateMu}
	if r, refused := g.refuse(host, cfg.Force); refused {
		unlock()
		return nil, &connectors.ResultError{Result: r}
	}
	return &session{auth: basicAuth(o.APIUser, o.APIKey), host: host, guard: g, unlock: unlock}, nil
}

// session carries the login; it holds the host's turn until the first
// answer says whether the login works, or the call ends.
type session struct {
	auth   string
	host   string
	guard  *guard
	unlock func()
	once   sync.Once
}

// Authorize sends the login and asks for JSON; a body goes as JSON unless
// the user said otherwise ("Každý požadavek, který má v těle JSON, by měl
// obsahovat hlavičku Content-Type: application/json").
func (s *session) Authorize(r *connectors.Request) error {
	r.Header.Set("Authorization", s.auth)
	if r.Header.Get("Accept") == "" {
		r.Header.Set("Accept", "application/json")
	}
	if len(r.Body) > 0 && r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// Done counts a refused login, and an attempt while the address is
// blocked, as the test does (unauthorized, forbidden); a success leaves
// the remembered failures as a test's success does, to age out.
func (s *session) Done(_ connectors.Request, resp *connectors.Response) {
	defer s.Close()
	if resp == nil {
		return
	}
	switch resp.Status {
	case http.StatusUnauthorized:
		_, _ = s.guard.record(s.host)
	case http.StatusForbidden:
		recent, _ := s.guard.recent(s.host)
		if lockoutAnswer(messageOf(resp.Body, nil), len(recent)) {
			_, _ = s.guard.record(s.host)
		}
	}
}

// Close gives the host's turn back.
func (s *session) Close() error {
	s.once.Do(s.unlock)
	return nil
}

// listPage is the paging of a list answer: "Odpověď pak obsahuje ještě
// další parametry, pomocí kterých můžete stránkovat."
type listPage struct {
	CurrentPage   *int `json:"current_page"`
	NumberOfPages *int `json:"number_of_pages"`
}

// nextPage asks for page current_page+1 while there are number_of_pages.
func nextPage(req connectors.APIRequest, resp *connectors.Response) (connectors.APIRequest, bool) {
	var p listPage
	if json.Unmarshal(resp.Body, &p) != nil || p.CurrentPage == nil || p.NumberOfPages == nil || *p.CurrentPage >= *p.NumberOfPages || *p.CurrentPage < 1 {
		return req, false
	}
	next := req
	next.Path = connectors.SetQueryParam(req.Path, "page", strconv.Itoa(*p.CurrentPage+1))
	return next, true
}

// diagnoseAPI names an error answer in the test's words and codes. It only
// reads the answer: Done has already counted a refused login.
func diagnoseAPI(req connectors.APIRequest, resp *connectors.Response) (connectors.Result, bool) {
	if resp == nil || resp.Status < 300 {
		return connectors.Result{}, false
	}
	text := messageOf(resp.Body, nil)
	var r connectors.Result
	switch s := resp.Status; {
	case s == http.StatusUnauthorized:
		r = connectors.Fail(connectors.CodeAuthInvalid,
			fmt.Sprintf("Upgates refused the API login or key (401 Unauthorized). Storelink counted the failed login: Upgates blocks this computer's address for an hour after %d, and Storelink holds back the login that could be the last.", LockoutAttempts),
			"Copy the API login and key again from the Upgates admin (Add-ons > API) and check that the access still exists, then run `storelink test` once.").With(connectors.Presentation{
			Headline: "Upgates refused the API login or key",
			Reason:   "The login or key is wrong, or the API access no longer exists. Upgates blocks an address for an hour after 5 failed logins.",
			Steps:    loginSteps,
		})
	case s == http.StatusForbidden && mentionsLockout(text):
		r = connectors.Fail(connectors.CodeLockedOut,
			fmt.Sprintf("Upgates has blocked API logins from this address after too many failed attempts (403 Forbidden%s).", withText(text)),
			"Upgates blocks an address for an hour after 5 failed logins. Wait an hour without trying, then test once with the login and key copied again from the Upgates admin (Add-ons > API).")
	case s == http.StatusForbidden && mentionsInactive(text):
		r = connectors.Fail(connectors.CodeForbidden,
			fmt.Sprintf("Upgates refused this API access (403 Forbidden%s): the API user is not active.", withText(text)),
			"Activate the API access in the Upgates admin under Add-ons > API, or create a new one for Storelink.")
	case s == http.StatusForbidden:
		r = connectors.Fail(connectors.CodeForbidden,
			fmt.Sprintf("Upgates refused the request (403 Forbidden%s): the API access may not use this service, or not with %s.", withText(text), methodOf(req)),
			"In the Upgates admin, open Add-ons > API and give the access this service (Read and write for anything but GET); `storelink test` lists what it may use. After 5 failed logins in an hour Upgates answers 403 too: then wait an hour.")
	case s == http.StatusTooManyRequests:
		r = rateLimited(resp, time.Now())
	case s == http.StatusMovedPermanently || s == http.StatusFound || s == http.StatusTemporaryRedirect || s == http.StatusPermanentRedirect:
		r = moved(resp, answerContext{})
	case s == http.StatusNotFound:
		r = connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("Upgates answered 404 Not Found%s: %s is not a route of the Upgates API.", withText(text), req.Path),
			"Check the path against the Upgates API documentation (https://upgatesapiv2.docs.apiary.io/), like /products or /orders.")
	case s == http.StatusBadRequest || s == http.StatusRequestEntityTooLarge:
		r = connectors.Fail(connectors.CodeInvalidInput,
			fmt.Sprintf("Upgates refused the request (%s%s).", resp.StatusText, withText(text)),
			"Check the body: Upgates wants a JSON object, and at most 100 items in one request.")
	case s >= 500:
		r = connectors.Fail(connectors.CodeServerError,
			fmt.Sprintf("Upgates answered %s%s.", resp.StatusText, withText(text)),
			"This is a fault on Upgates' side; try again later, and if it persists contact Upgates technical support.")
	default:
		return connectors.Result{}, false
	}
	r.Technical = append(r.Technical, connectors.Tech("Status", resp.StatusText, "Upgates' answer", text)...)
	addRateLimits(&r, resp.Header)
	return r, true
}

func methodOf(req connectors.APIRequest) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return req.Method
}
