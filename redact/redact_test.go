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
	var nilR *Redactor
	if got := nilR.String("ws_key=abc"); got != "ws_key=****" {
		t.Errorf("nil redactor still applies patterns: %q", got)
	}
	r.Add("line one of a long secret\nsecond line of the long secret")
	if got := r.String("second line of the long secret"); strings.Contains(got, "second line") {
		t.Errorf("a line of a multi-line secret leaked: %q", got)
	}
}
