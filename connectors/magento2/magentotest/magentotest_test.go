package magentotest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, url, auth string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestBodies pins the exact bytes Magento's ErrorProcessor and Rest
// Response produce for the errors the connector reads.
func TestBodies(t *testing.T) {
	s := New(Options{Resources: map[string]bool{}})
	defer s.Close()
	for _, tc := range []struct {
		path, auth string
		status     int
		body       string
	}{
		{"/rest/V1/nope", "", 404, `{"message":"Request does not match any route."}`},
		{"/rest/V1/store/storeConfigs", "", 401, `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Backend::store"}}`},
		{"/rest/V1/store/storeConfigs", `OAuth oauth_consumer_key="` + DefaultConsumerKey + `", oauth_token="` + DefaultAccessToken + `", oauth_signature_method="HMAC-SHA1", oauth_nonce="n", oauth_timestamp="1", oauth_signature="x"`,
			400, `{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}`},
		{"/rest/V1/store/storeConfigs", `OAuth oauth_consumer_key="` + DefaultConsumerKey + `", oauth_token="short", oauth_signature_method="HMAC-SHA256", oauth_nonce="n", oauth_timestamp="1", oauth_signature="x"`,
			400, `{"message":"The token length is invalid. Check the length and try again."}`},
		{"/rest/V1/store/storeConfigs", `OAuth oauth_consumer_key="` + DefaultConsumerKey + `", oauth_token="` + DefaultAccessToken + `", oauth_signature_method="HMAC-SHA256", oauth_nonce="n1", oauth_timestamp="99999999999", oauth_signature="x"`,
			401, `{"message":"An error occurred validating the nonce"}`},
		{"/rest/V1/store/storeConfigs", `OAuth oauth_consumer_key="` + DefaultConsumerKey + `", oauth_token="` + DefaultAccessToken + `", oauth_signature_method="HMAC-SHA256", oauth_nonce="n2", oauth_timestamp="1", oauth_signature="x"`,
			401, `{"message":"The signature is invalid. Verify and try again."}`},
		{"/rest/V1/store/storeConfigs", `OAuth oauth_consumer_key="` + DefaultConsumerKey + `", oauth_token="` + DefaultAccessToken + `", oauth_signature_method="HMAC-SHA256", oauth_nonce="n2", oauth_timestamp="1", oauth_signature="x"`,
			401, `{"message":"The nonce is already being used by the consumer with ID %1","parameters":["1"]}`},
		{"/rest/V1/store/storeConfigs", `OAuth oauth_consumer_key="` + DefaultConsumerKey + `", oauth_signature_method="HMAC-SHA256", oauth_nonce="n3", oauth_timestamp="1", oauth_signature="x"`,
			400, `{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"oauth_token"}}`},
		// GuestAuthorization: anonymous routes never look at the header.
		{"/rest/V1/directory/currency", `OAuth oauth_consumer_key="bad"`, 200, `{"base_currency_code":"USD","base_currency_symbol":"$","default_display_currency_code":"USD","default_display_currency_symbol":"$","available_currency_codes":["USD"],"exchange_rates":[{"currency_to":"USD","rate":1}]}`},
		{"/rest/all/V1/directory/currency", "", 400, `{"message":"Cannot perform GET operation with store code 'all'"}`},
	} {
		status, h, body := get(t, s.URL+tc.path, tc.auth)
		if status != tc.status || body != tc.body {
			t.Errorf("%s %s:\n got %d %s\nwant %d %s", tc.path, tc.auth, status, body, tc.status, tc.body)
		}
		if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
	}
	status, h, body := get(t, s.URL+"/catalog/product/view", "")
	if status != 404 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(body, "404 Not Found") {
		t.Errorf("storefront: %d %v %s", status, h, body)
	}
}

func TestReportIDBody(t *testing.T) {
	s := New(Options{Fail500: true})
	defer s.Close()
	status, _, body := get(t, s.URL+"/rest/V1/modules", "")
	if status != 500 || !strings.HasPrefix(body, `{"message":"Internal Error. Details are available in Magento log file. Report ID: webapi-`) || len(body) != len(`{"message":"Internal Error. Details are available in Magento log file. Report ID: webapi-0123456789abc"}`) {
		t.Errorf("%d %s", status, body)
	}
}

func TestPHPJSON(t *testing.T) {
	got := phpJSON(fields("url", "https://shop.example/", "name", "Kočka <&> 'x' 😀", "empty", orderedFields{}, "list", []string{}))
	want := `{"url":"https:\/\/shop.example\/","name":"Ko\u010dka <&> 'x' \ud83d\ude00","empty":[],"list":[]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestOwnBaseString checks the emulator's Laminas-style base string and
// HMAC against the X/Twitter "Creating a signature" example (no duplicate
// parameters, so Magento's last-one-wins and RFC 5849 agree).
func TestOwnBaseString(t *testing.T) {
	params := map[string]string{
		"status": "Hello Ladies + Gentlemen, a signed OAuth request!", "include_entities": "true",
		"oauth_consumer_key": "xvz1evFS4wEEPTGEFPHBog", "oauth_nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "1318622958",
		"oauth_token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "oauth_version": "1.0",
		"oauth_signature": "ignored",
	}
	base := baseString(params, "post", normaliseURL("HTTPS", "API.twitter.com:443", "/1.1/statuses/update.json?include_entities=true"))
	const want = "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	if base != want {
		t.Fatalf("got  %s\nwant %s", base, want)
	}
	s := &Server{opts: Options{ConsumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", TokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"}}
	if !s.signatureMatches("HMAC-SHA1", base, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=") || s.signatureMatches("HMAC-SHA1", base, "hCtSmYh+iHYCEqBWrE7C7hYmtUk") {
		t.Error("HMAC-SHA1 verification disagrees with the published signature")
	}
}

func TestQueryParamsLikeMagento(t *testing.T) {
	p := map[string]string{}
	queryParams(p, "a=1&a=2&b&c=x=y&searchCriteria%5BpageSize%5D=1&d=a+b&oauth_nonce=zz")
	if len(p) != 3 || p["a"] != "2" || p["searchCriteria[pageSize]"] != "1" || p["d"] != "a b" {
		t.Errorf("params = %v", p)
	}
}

func TestStrnatcmp(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		less bool
	}{{"a2", "a10", true}, {"a10", "a2", false}, {"oauth_nonce", "oauth_token", true}, {"A", "a", true}, {"x", "x1", true}} {
		if got := strnatcmp(tc.a, tc.b) < 0; got != tc.less {
			t.Errorf("strnatcmp(%q, %q) < 0 = %v", tc.a, tc.b, got)
		}
	}
}

func TestAdminToken(t *testing.T) {
	s := New(Options{Version: "2.4.3"})
	defer s.Close()
	post := func(body string) (int, string) {
		resp, err := http.Post(s.URL+"/rest/V1/integration/admin/token", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, b := post(`{"username":"admin","password":"nope"}`); st != 401 || b != `{"message":"The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."}` {
		t.Errorf("%d %s", st, b)
	}
	st, b := post(`{"username":"admin","password":"admin123!"}`)
	if st != 200 || len(b) != 34 || b[0] != '"' {
		t.Fatalf("%d %s", st, b)
	}
	if status, _, _ := get(t, s.URL+"/rest/V1/modules", "Bearer "+strings.Trim(b, `"`)); status != 200 {
		t.Errorf("admin token refused: %d", status)
	}
	tfa := New(Options{TwoFactor: true})
	defer tfa.Close()
	s = tfa
	if st, b := post(`{"username":"admin","password":"admin123!"}`); st != 401 || b != `{"message":"Please use the 2fa provider-specific endpoints to obtain a token.","parameters":{"active_providers":["google"]}}` {
		t.Errorf("2FA: %d %s", st, b)
	}
}
