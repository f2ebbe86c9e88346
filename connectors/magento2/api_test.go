package magento2

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/magento2/magentotest"
	"storelink/redact"
)

// call sends req through connectors.Call as `storelink api` does and
// returns every answer and every request as it went out.
func call(t *testing.T, v connectors.Values, req connectors.APIRequest, follow bool) ([]*connectors.Response, []connectors.Request, *redact.Redactor, error) {
	t.Helper()
	red := redact.New()
	cfg := connectors.Config{Name: "shop", Values: v, Client: connectors.ClientOptions{Redactor: red}}
	var pages []*connectors.Response
	var sent []connectors.Request
	_, err := connectors.Call(context.Background(), Info(), cfg, req, connectors.CallOptions{Follow: follow, Sent: func(r connectors.Request) { sent = append(sent, r) }},
		func(_ connectors.APIRequest, resp *connectors.Response) error {
			pages = append(pages, resp)
			return nil
		})
	return pages, sent, red, err
}

func TestAPIRootIncludesTheStoreCode(t *testing.T) {
	s := start(t, magentotest.Options{StoreCodes: []string{"default", "en"}})
	for _, tc := range []struct{ base, code, want string }{
		{s.BaseURI(), "", s.BaseURI()},
		{s.BaseURI(), "en", s.BaseURI() + "/en"},
		{s.BaseURI() + "/en", "", s.BaseURI() + "/en"},
		{s.URL + "/index.php/rest/V1/products", "", s.URL + "/index.php/rest"},
	} {
		got, err := apiRoot(connectors.Values{FieldBaseURI: tc.base, FieldStoreCode: tc.code})
		if err != nil || got != tc.want {
			t.Errorf("root of %s + %q = %q, %v; want %q", tc.base, tc.code, got, err, tc.want)
		}
	}
	if _, err := apiRoot(connectors.Values{FieldBaseURI: s.BaseURI() + "/en", FieldStoreCode: "default"}); err == nil {
		t.Error("two different store codes gave a root")
	}
	pages, _, _, err := call(t, oauthValues(s, "HMAC-SHA256", FieldStoreCode, "en"), connectors.APIRequest{Path: "/V1/store/storeConfigs"}, false)
	if err != nil || len(pages) != 1 || pages[0].Status != 200 {
		t.Fatalf("pages %v, err %v", pages, err)
	}
	if hits := s.Hits(); hits[len(hits)-1].Path != "/rest/en/V1/store/storeConfigs" {
		t.Errorf("the store saw %s", hits[len(hits)-1].Path)
	}
}

// Every signature method signs the whole URL, its query included, and
// sends the realm outside the signature.
func TestAPISignsWithEveryMethodAndTheRealm(t *testing.T) {
	key, keyPEM := testKey(t)
	s := start(t, magentotest.Options{SignatureMethods: magentotest.AllMethods, RSAPublicKey: &key.PublicKey, Products: 4})
	for _, m := range magentotest.AllMethods {
		v := oauthValues(s, m, FieldRealm, "Storelink shop")
		if strings.HasPrefix(m, "RSA") {
			v[FieldConsumerSecret], v[FieldTokenSecret], v[FieldPrivateKey] = "", "", keyPEM
		}
		pages, sent, _, err := call(t, v, connectors.APIRequest{Path: "/V1/products?searchCriteria[pageSize]=2&searchCriteria[currentPage]=2"}, false)
		if err != nil || len(pages) != 1 {
			t.Fatalf("%s: %d pages, %v", m, len(pages), err)
		}
		if pages[0].Status != 200 {
			t.Errorf("%s: %s %s", m, pages[0].StatusText, pages[0].Body)
			continue
		}
		var list struct {
			Items []struct{ SKU string }
		}
		if json.Unmarshal(pages[0].Body, &list) != nil || len(list.Items) != 2 || list.Items[0].SKU != "MT-003" {
			t.Errorf("%s: the answer is not page 2: %s", m, pages[0].Body)
		}
		auth := sent[0].Header.Get("Authorization")
		if !strings.HasPrefix(auth, `OAuth realm="Storelink shop", `) || !strings.Contains(auth, `oauth_signature_method="`+m+`"`) {
			t.Errorf("%s: Authorization %q lacks the realm or the method", m, auth)
		}
		if hits := s.Hits(); hits[len(hits)-1].SignatureMethod != m {
			t.Errorf("%s: the store saw %q", m, hits[len(hits)-1].SignatureMethod)
		}
	}
}

func TestAPISendsTheAccessTokenAsBearer(t *testing.T) {
	s := start(t, magentotest.Options{AllowBearerIntegrationToken: true, Orders: 3})
	v := connectors.Values{FieldBaseURI: s.BaseURI(), FieldAuthType: AuthToken, FieldAccessToken: magentotest.DefaultAccessToken}
	pages, sent, _, err := call(t, v, connectors.APIRequest{Path: "/V1/orders?searchCriteria[pageSize]=5"}, false)
	if err != nil || len(pages) != 1 || pages[0].Status != 200 || !strings.Contains(string(pages[0].Body), `"increment_id":"000000003"`) {
		t.Fatalf("err %v, pages %d: %s", err, len(pages), pages[0].Body)
	}
	if got := sent[0].Header.Get("Authorization"); got != "Bearer "+magentotest.DefaultAccessToken {
		t.Errorf("Authorization %q", got)
	}
}

// An admin login signs in once per call, however many pages follow, and
// the token it gets is masked wherever the connection's redactor looks.
func TestAPIAdminLoginFetchesOneTokenAndMasksIt(t *testing.T) {
	// 2.4.3 issues plain hex tokens, which no pattern of the redactor
	// catches: only the token added to it is masked.
	s := start(t, magentotest.Options{Products: 7, Version: "2.4.3"})
	v := connectors.Values{FieldBaseURI: s.BaseURI(), FieldAuthType: AuthAdmin, FieldUsername: magentotest.DefaultAdminUser, FieldPassword: magentotest.DefaultAdminPassword}
	pages, sent, red, err := call(t, v, connectors.APIRequest{Path: "/V1/products?searchCriteria[pageSize]=3"}, true)
	if err != nil || len(pages) != 3 {
		t.Fatalf("err %v, %d pages", err, len(pages))
	}
	logins := 0
	for _, h := range s.Hits() {
		if h.Path == "/rest/V1/integration/admin/token" {
			logins++
		}
	}
	if logins != 1 {
		t.Errorf("%d admin sign-ins for one call, want 1", logins)
	}
	token, ok := strings.CutPrefix(sent[0].Header.Get("Authorization"), "Bearer ")
	if !ok || len(token) < 16 {
		t.Fatalf("Authorization %q is not the admin token", sent[0].Header.Get("Authorization"))
	}
	if masked := red.String("the token is " + token); strings.Contains(masked, token[len(token)-16:]) {
		t.Errorf("the admin token is not masked: %q", masked)
	}
}

func TestAPIAdminLoginRefusedIsTheTestsResult(t *testing.T) {
	s := start(t, magentotest.Options{})
	v := connectors.Values{FieldBaseURI: s.BaseURI(), FieldAuthType: AuthAdmin, FieldUsername: magentotest.DefaultAdminUser, FieldPassword: "wrong"}
	pages, _, _, err := call(t, v, connectors.APIRequest{Path: "/V1/store/storeConfigs"}, false)
	var re *connectors.ResultError
	if !errors.As(err, &re) || re.Result.Code != connectors.CodeAuthInvalid || len(pages) != 0 {
		t.Fatalf("err %v, %d pages; want auth_invalid before any page", err, len(pages))
	}
}

// Values a test would refuse are refused before any request.
func TestAPIRefusesIncompleteValuesBeforeAnyRequest(t *testing.T) {
	s := start(t, magentotest.Options{})
	v := oauthValues(s, "HMAC-SHA256", FieldTokenSecret, "")
	_, _, _, err := call(t, v, connectors.APIRequest{Path: "/V1/store/storeConfigs"}, false)
	var re *connectors.ResultError
	if !errors.As(err, &re) || re.Result.Code != connectors.CodeInvalidInput {
		t.Fatalf("err %v, want invalid_input", err)
	}
	if n := len(s.Hits()); n != 0 {
		t.Errorf("%d requests reached the store", n)
	}
}

// A JSON body goes unsigned (RFC 5849 3.4.1.3.1), as application/json
// when the user gave no Content-Type, and Magento creates the product.
func TestAPIPostsAJSONBody(t *testing.T) {
	s := start(t, magentotest.Options{Products: 1})
	body := `{"product":{"sku":"NEW-1","name":"Storelink test","price":12.5,"attribute_set_id":4,"type_id":"simple"}}`
	pages, sent, _, err := call(t, oauthValues(s, "HMAC-SHA256"), connectors.APIRequest{Method: "POST", Path: "/V1/products", Body: []byte(body)}, false)
	if err != nil || len(pages) != 1 {
		t.Fatalf("err %v, %d pages", err, len(pages))
	}
	if pages[0].Status != 200 || !strings.Contains(string(pages[0].Body), `"id":2,"sku":"NEW-1","name":"Storelink test"`) {
		t.Fatalf("%s %s", pages[0].StatusText, pages[0].Body)
	}
	if ct := sent[0].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	pages, _, _, _ = call(t, oauthValues(s, "HMAC-SHA256"), connectors.APIRequest{Path: "/V1/products?searchCriteria[pageSize]=5"}, false)
	if !strings.Contains(string(pages[0].Body), `"total_count":2`) {
		t.Errorf("the product list does not hold the new product: %s", pages[0].Body)
	}
}

// A form body's parameters are part of the signature (RFC 5849 3.4.1.3.1,
// Magento's Helper\Request): Magento accepts the signature and only then
// says it cannot read a form.
func TestAPISignsTheFormBody(t *testing.T) {
	s := start(t, magentotest.Options{})
	req := connectors.APIRequest{Method: "POST", Path: "/V1/products?x=1", Body: []byte("product[sku]=F-1&name=a+b%21"),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
	pages, _, _, err := call(t, oauthValues(s, "HMAC-SHA256"), req, false)
	if err != nil || len(pages) != 1 {
		t.Fatalf("err %v, %d pages", err, len(pages))
	}
	want := `{"message":"Server cannot understand Content-Type HTTP header media type %1","parameters":["application\/x-www-form-urlencoded"]}`
	if pages[0].Status != 400 || string(pages[0].Body) != want {
		t.Errorf("%s %s\nwant 400 %s (the signature accepted)", pages[0].StatusText, pages[0].Body, want)
	}
}

// Paging follows searchCriteria[currentPage] until total_count, and stops
// there although Magento answers a page past the last with the last again.
func TestAPIFollowsThePages(t *testing.T) {
	s := start(t, magentotest.Options{Products: 7})
	pages, _, _, err := call(t, oauthValues(s, "HMAC-SHA256"), connectors.APIRequest{Path: "/V1/products?searchCriteria[pageSize]=3&searchCriteria[filter_groups][0][filters][0][field]=type_id"}, true)
	if err != nil || len(pages) != 3 {
		t.Fatalf("err %v, %d pages, want 3", err, len(pages))
	}
	var skus []string
	for _, p := range pages {
		var list struct{ Items []struct{ SKU string } }
		if err := json.Unmarshal(p.Body, &list); err != nil {
			t.Fatal(err)
		}
		for _, it := range list.Items {
			skus = append(skus, it.SKU)
		}
	}
	if strings.Join(skus, ",") != "MT-001,MT-002,MT-003,MT-004,MT-005,MT-006,MT-007" {
		t.Errorf("items %v", skus)
	}
	hits := s.Hits()
	last := hits[len(hits)-1].Query
	if !strings.Contains(last, "searchCriteria%5BcurrentPage%5D=3") || !strings.Contains(last, "searchCriteria[filter_groups][0][filters][0][field]=type_id") {
		t.Errorf("the last page's query %q lost a parameter or the page", last)
	}
	// Without a page size Magento answers every item at once: one page.
	pages, _, _, _ = call(t, oauthValues(s, "HMAC-SHA256"), connectors.APIRequest{Path: "/V1/products"}, true)
	if len(pages) != 1 || !strings.Contains(string(pages[0].Body), `"sku":"MT-007"`) {
		t.Errorf("%d pages without a page size", len(pages))
	}
}

func TestNextPageStartsFromTheGivenPage(t *testing.T) {
	resp := &connectors.Response{Status: 200, Body: []byte(`{"items":[],"search_criteria":{"filter_groups":[],"page_size":10,"current_page":4},"total_count":45}`)}
	next, ok := nextPage(connectors.APIRequest{Path: "/V1/orders?searchCriteria%5BcurrentPage%5D=4&searchCriteria[pageSize]=10"}, resp)
	if !ok || next.Path != "/V1/orders?searchCriteria%5BcurrentPage%5D=5&searchCriteria[pageSize]=10" {
		t.Errorf("next %q, %v", next.Path, ok)
	}
	resp.Body = []byte(`{"items":[],"search_criteria":{"filter_groups":[],"page_size":10,"current_page":5},"total_count":45}`)
	if _, ok := nextPage(next, resp); ok {
		t.Error("a page after the last")
	}
	if _, ok := nextPage(connectors.APIRequest{Path: "/V1/store/storeConfigs"}, &connectors.Response{Status: 200, Body: []byte(`[{"id":1}]`)}); ok {
		t.Error("a page after an answer that is not a list")
	}
}

// An error answer gets the code a test would give.
func TestAPIDiagnosesErrorsWithTheTestsCodes(t *testing.T) {
	none := start(t, magentotest.Options{Resources: map[string]bool{}})
	v247 := start(t, magentotest.Options{})
	for _, tc := range []struct {
		name string
		v    connectors.Values
		want connectors.Code
	}{
		{"missing ACL resource", oauthValues(none, "HMAC-SHA256"), connectors.CodeForbidden},
		{"wrong secret", oauthValues(v247, "HMAC-SHA256", FieldConsumerSecret, strings.Repeat("x", 32)), connectors.CodeSignatureInvalid},
		{"method refused", oauthValues(v247, "HMAC-SHA1"), connectors.CodeSignatureMethodUnsupported},
		{"unknown token", oauthValues(v247, "HMAC-SHA256", FieldAccessToken, strings.Repeat("a", 32)), connectors.CodeAuthInvalid},
	} {
		req := connectors.APIRequest{Path: "/V1/orders?searchCriteria[pageSize]=5"}
		pages, _, _, err := call(t, tc.v, req, false)
		if err != nil || len(pages) != 1 {
			t.Fatalf("%s: err %v", tc.name, err)
		}
		if pages[0].Status < 400 {
			t.Fatalf("%s: %s", tc.name, pages[0].StatusText)
		}
		r, ok := Info().API.Diagnose(req, pages[0])
		if !ok || r.Code != tc.want || r.Message == "" || r.Hint == "" {
			t.Errorf("%s: %v %q %q, want %s", tc.name, ok, r.Code, r.Message, tc.want)
		}
	}
	// A web server that drops the Authorization header: Magento treats the
	// call as a guest's; the diagnosis says so besides the missing resource.
	stripped := start(t, magentotest.Options{StripAuthorization: true})
	pages, _, _, _ := call(t, oauthValues(stripped, "HMAC-SHA256"), connectors.APIRequest{Path: "/V1/orders"}, false)
	if r, _ := Info().API.Diagnose(connectors.APIRequest{}, pages[0]); r.Code != connectors.CodeForbidden || !strings.Contains(r.Hint, "Authorization header") {
		t.Errorf("stripped header: %s %q", r.Code, r.Hint)
	}
	// The route Magento does not know.
	pages, _, _, _ = call(t, oauthValues(v247, "HMAC-SHA256"), connectors.APIRequest{Path: "/V1/nothing"}, false)
	if r, _ := Info().API.Diagnose(connectors.APIRequest{Path: "/V1/nothing"}, pages[0]); r.Code != connectors.CodeNotAPI || !strings.Contains(r.Message, "GET /V1/nothing") {
		t.Errorf("unknown route: %s %q", r.Code, r.Message)
	}
	if _, ok := Info().API.Diagnose(connectors.APIRequest{}, &connectors.Response{Status: 200}); ok {
		t.Error("a success was diagnosed")
	}
}
