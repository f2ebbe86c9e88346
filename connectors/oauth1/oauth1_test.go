package oauth1

import (
	"crypto/rsa"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rfcBaseString is the signature base string at the end of RFC 5849
// section 3.4.1.1, for the request of section 3.4.1.
const rfcBaseString = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
	"%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_" +
	"key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m" +
	"ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk" +
	"9d7dh3k39sjv7"

// rfcSection341 builds the base string of RFC 5849 3.4.1 from its request:
// duplicate a3, an encoded "=" and "%" in b5's value, "c@" with an empty
// value, "c2" without "=" in the form body, "+" as a space, and a realm.
func rfcSection341(t *testing.T) string {
	t.Helper()
	body, err := url.ParseQuery("c2&a3=2+q")
	if err != nil {
		t.Fatal(err)
	}
	got, err := BaseString("post", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", map[string]string{
		"realm":                  "Example",
		"oauth_consumer_key":     "9djdj82h48djs9d2",
		"oauth_token":            "kkk9d7dh3k39sjv7",
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        "137131201",
		"oauth_nonce":            "7d8f3e4a",
		"oauth_signature":        "bYT5CMsGcbgUdFHObYMEfcx6bsw=",
	}, body)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRFC5849Section341BaseString(t *testing.T) {
	if got := rfcSection341(t); got != rfcBaseString {
		t.Errorf("base string\n got %s\nwant %s", got, rfcBaseString)
	}
	params, err := NormalizedParameters("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
		map[string]string{"oauth_consumer_key": "9djdj82h48djs9d2", "oauth_token": "kkk9d7dh3k39sjv7",
			"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "7d8f3e4a"},
		url.Values{"c2": {""}, "a3": {"2 q"}})
	if err != nil {
		t.Fatal(err)
	}
	// The normalized parameters at the end of RFC 5849 3.4.1.3.2.
	const want = "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9dj" +
		"dj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1" +
		"&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
	if params != want {
		t.Errorf("normalized parameters\n got %s\nwant %s", params, want)
	}
}

// TestRFC5849Section12 signs the example request of RFC 5849 section 1.2
// end to end and expects the signature the RFC prints.
func TestRFC5849Section12(t *testing.T) {
	s, err := Sign(Request{Method: "GET", URL: "http://photos.example.net/photos?file=vacation.jpg&size=original"},
		Credentials{ConsumerKey: "dpf43f3p2l4k3l03", Token: "nnch734d00sl2jdk", TokenSecret: "pfkkdhi9sl3r4s00",
			Signer: NewHMACSHA1Signer("kd94hf93k423kf44"), Realm: "Photos"},
		Options{Nonce: "chapoH", Now: time.Unix(137131202, 0), NoVersion: true})
	if err != nil {
		t.Fatal(err)
	}
	const wantBase = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26" +
		"oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26" +
		"oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26" +
		"oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
	if s.BaseString != wantBase {
		t.Errorf("base string\n got %s\nwant %s", s.BaseString, wantBase)
	}
	if got := s.Params[ParamSignature]; got != "MdpQcU8iPSUjWoN/UDMsK2sui9I=" {
		t.Errorf("signature = %s, want MdpQcU8iPSUjWoN/UDMsK2sui9I=", got)
	}
	const wantHeader = `OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="chapoH", ` +
		`oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", oauth_signature_method="HMAC-SHA1", ` +
		`oauth_timestamp="137131202", oauth_token="nnch734d00sl2jdk"`
	if s.Header != wantHeader {
		t.Errorf("header\n got %s\nwant %s", s.Header, wantHeader)
	}
}

// The secrets and expected values below are published in oauthlib's test
// suite (github.com/oauthlib/oauthlib, tests/oauth1/rfc5849/test_signatures.py),
// computed there with openssl over the RFC 5849 3.4.1.1 base string. Its
// (public, test-only) RSA key is testdata/oauthlib-vector-rsa.pem.
const (
	vectorClientSecret = "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ"
	vectorTokenSecret  = "just-a-string    asdasd"
)

// vectorRSAKey reads oauthlib's published test key.
func vectorRSAKey(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/oauthlib-vector-rsa.pem")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestPublishedVectors(t *testing.T) {
	key, err := ParsePrivateKey(vectorRSAKey(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		signer Signer
		want   string
	}{
		{NewHMACSHA1Signer(vectorClientSecret), "wsdNmjGB7lvis0UJuPAmjvX/PXw="},
		{NewHMACSHA256Signer(vectorClientSecret), "wdfdHUKXHbOnOGZP8WFAWMSAmWzN3EVBWWgXGlC/Eo4="},
		{NewHMACSHA512Signer(vectorClientSecret), "u/vlyZFDxOWOZ9UUXwRBJHvq8/T4jCA74ocRmn2ECnjUBTAeJiZIRU8hDTjS88Tz1fGONffMpdZxUkUTW3k1kg=="},
		{NewRSASHA1Signer(key), "mFY2KOEnlYWsTvUA+5kxuBIcvBYXu+ljw9ttVJQxKduMueGSVPCB1tK1PlqVLK738HK0t19ecBJfb6rMxUwrriw+MlBO+jpojkZIWccw1J4cAb4qu4M81DbpUAq4j/1w/QyTR4TWCODlEfN7Zfgy8+pf+TjiXfIwRC1jEWbuL1E="},
		{NewRSASHA256Signer(key), "jqKl6m0WS69tiVJV8ZQ6aQEfJqISoZkiPBXRv6Al2+iFSaDpfeXjYm+Hbx6m1azRdrZ/35PM3cvuid3LwW/siAkzb0xQcGnTyAPH8YcGWzmnKGY7LsB7fkqThchNxvRK/N7s9M1WMnfZZ+1dQbbwtTs1TG1+iexUcV7r3M7Heec="},
		{NewRSASHA512Signer(key), "jL1CnjlsNd25qoZVHZ2oJft47IRYTjpF5CvCUjL3LY0NTnbEeVhE4amWXUFBe9GLDWdUh/79ZWNOrCirBFIP26cHLApjYdt4ZG7EVK0/GubS2v8wT1QPRsog8zyiMZkmg4JXdWCGXG8YRvRJTg+QKhXuXwS6TcMNakrgzgFIVhA="},
		{NewPlaintextSigner(vectorClientSecret), "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ&just-a-string%20%20%20%20asdasd"},
	} {
		t.Run(tc.signer.Name(), func(t *testing.T) {
			got, err := tc.signer.Sign(vectorTokenSecret, rfcBaseString)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("signature\n got %s\nwant %s", got, tc.want)
			}
			if IsRSA(tc.signer.Name()) {
				if err := VerifyRSA(tc.signer.Name(), &key.PublicKey, rfcBaseString, got); err != nil {
					t.Errorf("public key does not verify: %v", err)
				}
				if err := VerifyRSA(tc.signer.Name(), &key.PublicKey, rfcBaseString+"x", got); err == nil {
					t.Error("a changed base string verified")
				}
			}
		})
	}
}

// TestTwitterVector is the HMAC-SHA1 example of X/Twitter's "Creating a
// signature" developer page: a query parameter, a form body with "+", ","
// and "!" that must be encoded, and oauth_version.
func TestTwitterVector(t *testing.T) {
	s, err := Sign(Request{Method: "POST", URL: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
		Form: url.Values{"status": {"Hello Ladies + Gentlemen, a signed OAuth request!"}}},
		Credentials{ConsumerKey: "xvz1evFS4wEEPTGEFPHBog", Token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
			TokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE", Signer: NewHMACSHA1Signer("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw")},
		Options{Nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", Now: time.Unix(1318622958, 0)})
	if err != nil {
		t.Fatal(err)
	}
	const wantBase = "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	if s.BaseString != wantBase {
		t.Errorf("base string\n got %s\nwant %s", s.BaseString, wantBase)
	}
	if got := s.Params[ParamSignature]; got != "hCtSmYh+iHYCEqBWrE7C7hYmtUk=" {
		t.Errorf("signature = %s, want hCtSmYh+iHYCEqBWrE7C7hYmtUk=", got)
	}
}

func TestBaseStringURI(t *testing.T) {
	for in, want := range map[string]string{
		"http://EXAMPLE.COM:80/r%20v/X?id=123":  "http://example.com/r%20v/X", // RFC 5849 3.4.1.2
		"https://www.example.net:8080/?q=1":     "https://www.example.net:8080/",
		"HTTPS://Shop.Example:443/rest/V1/x#f":  "https://shop.example/rest/V1/x",
		"https://shop.example:80/rest":          "https://shop.example:80/rest",
		"http://shop.example:443/rest":          "http://shop.example:443/rest",
		"http://shop.example":                   "http://shop.example/",
		"https://[2001:DB8::1]:8443/rest":       "https://[2001:db8::1]:8443/rest",
		"https://[2001:db8::1]:443/rest":        "https://[2001:db8::1]/rest",
		"http://127.0.0.1:8080/index.php/rest/": "http://127.0.0.1:8080/index.php/rest/",
	} {
		got, err := BaseStringURI(in)
		if err != nil || got != want {
			t.Errorf("BaseStringURI(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "shop.example/rest", "ftp://shop.example/", "http://", "/rest", "http://%zz"} {
		if _, err := BaseStringURI(bad); err == nil {
			t.Errorf("BaseStringURI(%q) gave no error", bad)
		}
	}
}

func TestBracketedAndDuplicateQuery(t *testing.T) {
	base, err := BaseString("GET", "https://shop.example/rest/V1/products?searchCriteria%5BpageSize%5D=1&searchCriteria[currentPage]=2&x=b&x=a",
		map[string]string{"oauth_consumer_key": "k"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "GET&https%3A%2F%2Fshop.example%2Frest%2FV1%2Fproducts&" +
		PercentEncode("oauth_consumer_key=k&searchCriteria%5BcurrentPage%5D=2&searchCriteria%5BpageSize%5D=1&x=a&x=b")
	if base != want {
		t.Errorf("got  %s\nwant %s", base, want)
	}
}

func TestRealmNeverSigned(t *testing.T) {
	with := rfcSection341(t)
	body, _ := url.ParseQuery("c2&a3=2+q")
	without, err := BaseString("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", map[string]string{
		"oauth_consumer_key": "9djdj82h48djs9d2", "oauth_token": "kkk9d7dh3k39sjv7",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "7d8f3e4a",
	}, body)
	if err != nil || with != without {
		t.Errorf("realm or oauth_signature changed the base string: %v", err)
	}
}

func TestPlaintextEncodesSecrets(t *testing.T) {
	got, _ := NewPlaintextSigner("a&b c").Sign("", "ignored")
	if got != "a%26b%20c&" {
		t.Errorf("PLAINTEXT = %q, want a%%26b%%20c&", got)
	}
}

func TestAuthorizationHeaderQuotesRealm(t *testing.T) {
	h := AuthorizationHeader(map[string]string{"realm": `My "shop"`, "oauth_token": "a b", "oauth_nonce": "n"})
	want := `OAuth realm="My \"shop\"", oauth_nonce="n", oauth_token="a%20b"`
	if h != want {
		t.Errorf("got %s\nwant %s", h, want)
	}
}

func TestNonce(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9]{32}$`)
	seen := map[string]bool{}
	for range 200 {
		n, err := NewNonce()
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(n) {
			t.Fatalf("nonce %q is not 32 letters and digits", n)
		}
		if seen[n] {
			t.Fatalf("nonce %q repeated", n)
		}
		seen[n] = true
	}
}

func TestSignMakesFreshNonceAndVersion(t *testing.T) {
	s, err := Sign(Request{URL: "https://shop.example/rest/V1/directory/currency"},
		Credentials{ConsumerKey: "ck", Token: "tk", TokenSecret: "ts", Signer: NewHMACSHA256Signer("cs")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Params[ParamNonce]) != NonceLength || s.Params[ParamVersion] != "1.0" || s.Params[ParamSignatureMethod] != HMACSHA256 {
		t.Errorf("params = %v", s.Params)
	}
	for _, secret := range []string{"cs", "ts"} {
		if strings.Contains(s.BaseString, "="+secret) {
			t.Errorf("base string holds secret %q: %s", secret, s.BaseString)
		}
	}
	if strings.Contains(s.Header, "realm") {
		t.Error("empty realm in header")
	}
}

func TestNewSignerEveryMethod(t *testing.T) {
	key, err := ParsePrivateKey(vectorRSAKey(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Methods {
		s, err := NewSigner(SignerConfig{Method: m, ConsumerSecret: "cs", PrivateKey: key})
		if err != nil || s.Name() != m {
			t.Errorf("NewSigner(%s) = %v, %v", m, s, err)
		}
	}
	if _, err := NewSigner(SignerConfig{Method: RSASHA256}); err == nil {
		t.Error("RSA without a key accepted")
	}
	if _, err := NewSigner(SignerConfig{Method: "HMAC-MD5"}); err == nil {
		t.Error("unknown method accepted")
	}
	var nilKey *rsa.PrivateKey
	if _, err := NewRSASHA512Signer(nilKey).Sign("", "x"); err == nil {
		t.Error("nil key signed")
	}
}
