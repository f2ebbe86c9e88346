package upgates_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

type apiCall struct {
	info  connectors.Info
	state connectors.StateStore
	now   time.Time
	force bool
}

// do sends req through connectors.Call as `storelink api` does.
func (c apiCall) do(t *testing.T, v connectors.Values, req connectors.APIRequest, follow bool) ([]*connectors.Response, []connectors.Request, error) {
	t.Helper()
	cfg := connectors.Config{Name: "shop", Values: v, State: c.state, Force: c.force, Now: func() time.Time { return c.now }}
	var pages []*connectors.Response
	var sent []connectors.Request
	_, err := connectors.Call(context.Background(), c.info, cfg, req, connectors.CallOptions{Follow: follow, Sent: func(r connectors.Request) { sent = append(sent, r) }},
		func(_ connectors.APIRequest, resp *connectors.Response) error {
			pages = append(pages, resp)
			return nil
		})
	return pages, sent, err
}

func TestAPIGetsWithTheLogin(t *testing.T) {
	srv := upgatestest.New(t, upgatestest.Options{Products: 3})
	c := apiCall{info: info(t), state: upgatestest.NewState(), now: fixedClock()}
	pages, sent, err := c.do(t, srv.Values(), connectors.APIRequest{Path: "/products"}, false)
	if err != nil || len(pages) != 1 || pages[0].Status != 200 {
		t.Fatalf("err %v, pages %v", err, pages)
	}
	if !strings.HasPrefix(string(pages[0].Body), `{"current_page":1,"current_page_items":3,"number_of_pages":1,"number_of_items":3,"products":[{"code":"UG-001",`) {
		t.Errorf("body %s", pages[0].Body)
	}
	if got := sent[0].Header.Get("Authorization"); got != upgatestest.BasicAuth(upgatestest.DefaultLogin, upgatestest.DefaultKey) {
		t.Errorf("Authorization %q", got)
	}
	if root, _ := c.info.API.Root(srv.Values()); sent[0].URL != root+"/products" || root != srv.APIURL {
		t.Errorf("sent to %s, root %s", sent[0].URL, root)
	}
}

// A POST goes as JSON to a service the access may write.
func TestAPIPostsJSON(t *testing.T) {
	srv := upgatestest.New(t, upgatestest.Options{Products: 1})
	srv.Update(func(o *upgatestest.Options) {
		o.Services = []upgates.Service{{Service: "Produkty", URL: srv.APIURL + "/products", Privilege: upgates.PrivilegeAll}}
	})
	c := apiCall{info: info(t), state: upgatestest.NewState(), now: fixedClock()}
	body := `{"products":[{"code":"NEW-1","descriptions":[{"language":"cs","title":"Nový"}]}]}`
	pages, sent, err := c.do(t, srv.Values(), connectors.APIRequest{Method: "POST", Path: "/products", Body: []byte(body)}, false)
	if err != nil || len(pages) != 1 {
		t.Fatalf("err %v", err)
	}
	if pages[0].Status != 200 || !strings.Contains(string(pages[0].Body), `"product_id":2,"code":"NEW-1"`) || !strings.Contains(string(pages[0].Body), `"inserted_yn":true`) {
		t.Fatalf("%s %s", pages[0].StatusText, pages[0].Body)
	}
	if ct := sent[0].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	pages, _, _ = c.do(t, srv.Values(), connectors.APIRequest{Path: "/products?page=1"}, false)
	if !strings.Contains(string(pages[0].Body), `"number_of_items":2`) {
		t.Errorf("the list does not hold the new product: %s", pages[0].Body)
	}
}

func TestAPIFollowsThePages(t *testing.T) {
	srv := upgatestest.New(t, upgatestest.Options{Orders: 7, PageSize: 3})
	c := apiCall{info: info(t), state: upgatestest.NewState(), now: fixedClock()}
	pages, sent, err := c.do(t, srv.Values(), connectors.APIRequest{Path: "/orders?status_ids=1;2"}, true)
	if err != nil || len(pages) != 3 {
		t.Fatalf("err %v, %d pages, want 3", err, len(pages))
	}
	var numbers []string
	for _, p := range pages {
		var list struct {
			Orders []struct {
				OrderNumber string `json:"order_number"`
			}
		}
		if err := json.Unmarshal(p.Body, &list); err != nil {
			t.Fatal(err)
		}
		for _, o := range list.Orders {
			numbers = append(numbers, o.OrderNumber)
		}
	}
	if len(numbers) != 7 || numbers[6] != "2026000007" {
		t.Errorf("orders %v", numbers)
	}
	if !strings.HasSuffix(sent[2].URL, "/orders?status_ids=1;2&page=3") {
		t.Errorf("third page asked as %s", sent[2].URL)
	}
}

// A refused login is counted as a test's is, and once the guard holds
// back, a call is refused before any request; --force sends it.
func TestAPIGuardCountsRefusedLoginsAndHoldsBack(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{Now: func() time.Time { return now }})
	c := apiCall{info: info(t), state: upgatestest.NewState(), now: now}
	bad := srv.Values()
	bad[upgates.FieldAPIKey] = "wrong-key-0123456789"
	for i := 1; i < upgates.LockoutAttempts; i++ {
		pages, _, err := c.do(t, bad, connectors.APIRequest{Path: "/orders"}, false)
		if err != nil || len(pages) != 1 || pages[0].Status != 401 {
			t.Fatalf("attempt %d: err %v", i, err)
		}
		r, ok := c.info.API.Diagnose(connectors.APIRequest{Path: "/orders"}, pages[0])
		if !ok || r.Code != connectors.CodeAuthInvalid {
			t.Errorf("attempt %d: diagnosed %s", i, r.Code)
		}
	}
	seen := srv.Requests()
	_, _, err := c.do(t, bad, connectors.APIRequest{Path: "/orders"}, false)
	var re *connectors.ResultError
	if !errors.As(err, &re) || re.Result.Code != connectors.CodeLockedOut || !re.Result.Forceable {
		t.Fatalf("5th call: err %v, want a forceable locked_out refusal", err)
	}
	if srv.Requests() != seen {
		t.Errorf("the refused call reached the server (%d requests, was %d)", srv.Requests(), seen)
	}
	// The test holds back too: the call's failures are the guard's.
	if r := test(t, bad, c.state, now, false); r.Code != connectors.CodeLockedOut || r.Requests != 0 {
		t.Errorf("a test after the calls: %s after %d requests", r.Code, r.Requests)
	}
	c.force = true
	if pages, _, err := c.do(t, srv.Values(), connectors.APIRequest{Path: "/orders"}, false); err != nil || pages[0].Status != 200 {
		t.Errorf("forced call with the right key: err %v", err)
	}
}

// A test's refused logins hold back a call too: one guard for both.
func TestAPIRefusedAfterTheTestsFailures(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{Now: func() time.Time { return now }})
	state := upgatestest.NewState()
	bad := srv.Values()
	bad[upgates.FieldAPIKey] = "wrong-key-0123456789"
	for range upgates.LockoutAttempts - 1 {
		test(t, bad, state, now, false)
	}
	seen := srv.Requests()
	c := apiCall{info: info(t), state: state, now: now}
	_, _, err := c.do(t, srv.Values(), connectors.APIRequest{Path: "/products"}, false)
	var re *connectors.ResultError
	if !errors.As(err, &re) || re.Result.Code != connectors.CodeLockedOut || srv.Requests() != seen {
		t.Fatalf("err %v, %d requests (was %d); want a local refusal", err, srv.Requests(), seen)
	}
}

func TestAPIDiagnosesErrorsWithTheTestsCodes(t *testing.T) {
	now := fixedClock()
	srv := upgatestest.New(t, upgatestest.Options{Now: func() time.Time { return now }, RateLimitedUntil: now.Add(10 * time.Minute)})
	c := apiCall{info: info(t), state: upgatestest.NewState(), now: now}
	req := connectors.APIRequest{Path: "/orders"}
	pages, _, err := c.do(t, srv.Values(), req, true)
	if err != nil || len(pages) != 1 || pages[0].Status != 429 {
		t.Fatalf("err %v, pages %d", err, len(pages))
	}
	r, ok := c.info.API.Diagnose(req, pages[0])
	if !ok || r.Code != connectors.CodeRateLimited || r.Server.Extra["retry_after"] != "2025-03-10T13:30:00Z" {
		t.Errorf("429: %v %s %q %v", ok, r.Code, r.Message, r.Server.Extra)
	}
	srv.Update(func(o *upgatestest.Options) { o.RateLimitedUntil = time.Time{} })
	// Produkty are read only: a POST is refused for lack of the privilege.
	pages, _, _ = c.do(t, srv.Values(), connectors.APIRequest{Method: "POST", Path: "/products", Body: []byte(`{"products":[]}`)}, false)
	if r, _ := c.info.API.Diagnose(connectors.APIRequest{Method: "POST", Path: "/products"}, pages[0]); pages[0].Status != 403 || r.Code != connectors.CodeForbidden || !strings.Contains(r.Message, "POST") {
		t.Errorf("403: %d %s %q", pages[0].Status, r.Code, r.Message)
	}
	// The block after 5 failed logins.
	srv.Update(func(o *upgatestest.Options) { o.Key = "changed-key-0123456789" })
	for range upgates.LockoutAttempts {
		_, _ = srv.Client().Get(srv.APIURL + "/status") // failed logins from another program on this computer
	}
	c.force = true
	pages, _, _ = c.do(t, srv.Values(), req, false)
	if r, _ := c.info.API.Diagnose(req, pages[0]); pages[0].Status != 403 || r.Code != connectors.CodeLockedOut {
		t.Errorf("blocked: %d %s %q", pages[0].Status, r.Code, r.Message)
	}
	fresh := upgatestest.New(t, upgatestest.Options{})
	pages, _, _ = c.do(t, fresh.Values(), connectors.APIRequest{Path: "/nothing"}, false)
	if r, _ := c.info.API.Diagnose(connectors.APIRequest{Path: "/nothing"}, pages[0]); pages[0].Status != 404 || r.Code != connectors.CodeNotAPI {
		t.Errorf("unknown route: %d %s", pages[0].Status, r.Code)
	}
}

func TestAPINextPage(t *testing.T) {
	next := info(t).API.Next
	for _, tc := range []struct {
		body, want string
		more       bool
	}{
		{`{"current_page":2,"current_page_items":100,"number_of_pages":3,"number_of_items":250,"orders":[]}`, "/orders?page=3", true},
		{`{"current_page":3,"current_page_items":50,"number_of_pages":3,"number_of_items":250,"orders":[]}`, "", false},
		{`{"services":[]}`, "", false},
	} {
		got, more := next(connectors.APIRequest{Path: "/orders?page=2"}, &connectors.Response{Status: 200, Body: []byte(tc.body)})
		if more != tc.more || more && got.Path != tc.want {
			t.Errorf("after %s: %q %v", tc.body, got.Path, more)
		}
	}
}

// A call that ends before its first answer (a path outside the API root)
// gives the host's turn back: a test of the same shop is not kept waiting.
func TestAPIGivesTheTurnBack(t *testing.T) {
	srv := upgatestest.New(t, upgatestest.Options{})
	c := apiCall{info: info(t), state: upgatestest.NewState(), now: fixedClock()}
	if _, _, err := c.do(t, srv.Values(), connectors.APIRequest{Path: "/../status"}, false); err == nil {
		t.Fatal("a path outside the root was sent")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a bound, not a measurement
	defer cancel()
	r := connectors.Run(ctx, c.info, connectors.Config{Values: srv.Values(), State: c.state, Now: func() time.Time { return c.now }})
	if !r.OK {
		t.Errorf("the test after the call: %s %s", r.Code, r.Message)
	}
}
