package redact

import (
	"strings"
	"testing"
)

func TestRedactor(t *testing.T) {
	r := New()
	r.Add("p@ss word/=+", "ab") // too short values are ignored
	cases := map[string]string{
		"key p@ss word/=+ here":                                        "key **** here",
		"url p%40ss+word%2F%3D%2B":                                     "url ****",
		"Authorization: Bearer abc.def":                                "Authorization: ****",
		`"Authorization":"Basic Zm9vOg=="`:                             `"Authorization":"****"`,
		"GET /api/?ws_key=ABCDEF&display=full":                         "GET /api/?ws_key=****&display=full",
		`oauth_signature="sig%3D", oauth_nonce="n"`:                    `oauth_signature="****", oauth_nonce="n"`,
		"https://user:hunter22@shop.example/":                          "https://user:****@shop.example/",
		`{"apiKey":"abc123","apiUser":"u"}`:                            `{"apiKey":"****","apiUser":"u"}`,
		"ab stays":                                                     "ab stays",
		"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----": "****",
	}
	for in, want := range cases {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	// Storelink's own words about a field stay readable.
	for _, own := range []string{"add this line to the shop's .htaccess: RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]", "api_key: Could not store a secret in the OS keychain", "password: value is too large for the keychain"} {
		if got := r.String(own); got != own {
			t.Errorf("own message mangled: %q", got)
		}
	}
	// Base64 forms: the key alone, as a Basic user, and a user:key pair.
	r.Add("K3Y-0123456789")
	r.AddPair("shopuser", "s3cret-api-key")
	for _, in := range []string{"Basic SzNZLTAxMjM0NTY3ODk6", "Authorisation was SzNZLTAxMjM0NTY3ODk=", "got c2hvcHVzZXI6czNjcmV0LWFwaS1rZXk= back"} {
		if got := r.String(in); strings.Contains(got, "SzNZ") || strings.Contains(got, "c2hvcHVzZXI6") {
			t.Errorf("base64 form leaked: %q", got)
		}
	}
	var nilR *Redactor
	if got := nilR.String("ws_key=abc"); got != "ws_key=****" {
		t.Errorf("nil redactor still applies patterns: %q", got)
	}
	r.Add("line one of a long secret\nsecond line of the long secret")
	if got := r.String("second line of the long secret"); strings.Contains(got, "second line") {
		t.Errorf("a line of a multi-line secret leaked: %q", got)
	}
}
