package prestashop

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
)

// call sends req through connectors.Call as `storelink api` does, and
// returns every page's answer.
func call(t *testing.T, s *pstest.Server, req connectors.APIRequest, follow bool) ([]*connectors.Response, []connectors.Warning, error) {
	t.Helper()
	var pages []*connectors.Response
	w, err := connectors.Call(context.Background(), Info(), connectors.Config{Values: local(s)}, req, connectors.CallOptions{Follow: follow},
		func(_ connectors.APIRequest, resp *connectors.Response) error {
			pages = append(pages, resp)
			return nil
		})
	return pages, w, err
}

func TestAPIListsAndCreatesProducts(t *testing.T) {
	s := start(t, pstest.Options{})
	pages, _, err := call(t, s, connectors.APIRequest{Path: "/products?display=[id,reference]"}, false)
	if err != nil || len(pages) != 1 || pages[0].Status != 200 {
		t.Fatalf("GET: %v %d", err, len(pages))
	}
	if n, ok := records(pages[0].Body); !ok || n != 3 || !strings.Contains(string(pages[0].Body), "<reference><![CDATA[demo_2]]></reference>") {
		t.Errorf("listing of %d records: %s", n, pages[0].Body)
	}
	body := `<prestashop><product><reference>new_1</reference><price>5.5</price><name><language id="1">Mug</language></name></product></prestashop>`
	pages, _, err = call(t, s, connectors.APIRequest{Method: http.MethodPost, Path: "/products", Body: []byte(body)}, false)
	if err != nil || pages[0].Status != http.StatusCreated || !strings.Contains(string(pages[0].Body), "<id><![CDATA[4]]></id>") {
		t.Fatalf("POST: %v %+v", err, pages)
	}
	if got := s.Products(); len(got) != 4 || got[3].Name != "Mug" || got[3].Reference != "new_1" {
		t.Errorf("created %+v", got)
	}
}

// limit=offset,count pages on while a page is full; limit=N too.
func TestAPIFollowsTheLimit(t *testing.T) {
	s := start(t, pstest.Options{Products: 5})
	for _, c := range []struct {
		path  string
		pages int
	}{
		{"/products?limit=0,2", 3},            // 2, 2, 1
		{"/products?limit=2", 3},              // the same from offset 0
		{"/products?limit=0,5", 2},            // 5, then an empty page ends it
		{"/products?display=full", 1},         // no limit: every record at once
		{"/products?limit=3,10", 1},           // 2 of 10: the last page
		{"/products?limit=x&display=full", 1}, // the shop refuses the limit
	} {
		pages, _, err := call(t, s, connectors.APIRequest{Path: c.path}, true)
		if err != nil || len(pages) != c.pages {
			t.Errorf("%s: %v, %d pages, want %d", c.path, err, len(pages), c.pages)
		}
	}
	hits := s.Hits()
	var queries []string
	for _, h := range hits[:3] {
		queries = append(queries, h.Query)
	}
	if want := "limit=0,2 limit=2,2 limit=4,2"; strings.Join(queries, " ") != want {
		t.Errorf("queries %q, want %q", strings.Join(queries, " "), want)
	}
	// The rest of the query stays as written.
	if _, _, err := call(t, s, connectors.APIRequest{Path: "/products?display=[id]&limit=0,2"}, true); err != nil {
		t.Fatal(err)
	}
	if hits = s.Hits(); hits[len(hits)-1].Query != "display=[id]&limit=4,2" {
		t.Errorf("last page asked %q", hits[len(hits)-1].Query)
	}
}

// An error answer gets the code a test would give.
func TestAPIDiagnosesLikeATest(t *testing.T) {
	for _, c := range []struct {
		opts pstest.Options
		path string
		want connectors.Code
	}{
		{pstest.Options{Disabled: true}, "/products", connectors.CodeAPIDisabled},
		{pstest.Options{KeyDisabled: true}, "/products", connectors.CodeAuthInvalid},
		{pstest.Options{WrongShop: true}, "/products", connectors.CodeForbidden},
		{pstest.Options{Fail500: true}, "/products", connectors.CodeServerError},
		{pstest.Options{}, "/nothing", connectors.CodeServerError},
	} {
		s := start(t, c.opts)
		pages, _, err := call(t, s, connectors.APIRequest{Path: c.path}, false)
		if err != nil || len(pages) != 1 {
			t.Fatalf("%+v: %v", c.opts, err)
		}
		r, ok := api().Diagnose(connectors.APIRequest{Path: c.path}, pages[0])
		if !ok || r.Code != c.want || r.Headline == "" {
			t.Errorf("%+v: %v %q %q, want %q", c.opts, ok, r.Code, r.Headline, c.want)
		}
	}
	if _, ok := api().Diagnose(connectors.APIRequest{}, &connectors.Response{Status: 200, Body: []byte("<html></html>")}); ok {
		t.Error("a web page is no PrestaShop answer to diagnose")
	}
}

// A server that drops the Authorization header gets the key as ws_key on
// a second try, with the test's warning.
func TestAPIFallsBackToWSKey(t *testing.T) {
	s := start(t, pstest.Options{StripAuthHeader: true, Products: 4})
	pages, warnings, err := call(t, s, connectors.APIRequest{Path: "/products?limit=0,2"}, true)
	if err != nil || len(pages) != 3 || pages[0].Status != 200 {
		t.Fatalf("%v, %d pages", err, len(pages))
	}
	if len(warnings) != 1 || warnings[0].Code != connectors.CodeAuthHeaderStripped {
		t.Errorf("warnings %+v", warnings)
	}
	hits := s.Hits()
	if len(hits) != 4 || !hits[0].Authorization || hits[0].WSKey || !hits[1].WSKey || !hits[3].WSKey || hits[3].Authorization {
		t.Errorf("hits %+v: header once, then ws_key on every page", hits)
	}
}
