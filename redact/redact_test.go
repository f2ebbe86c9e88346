package redact

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
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

// A secret cut short, or cut in two and joined with other text, is masked
// wherever a run of RunLen of its bytes stands.
func TestRedactorMasksPiecesOfASecret(t *testing.T) {
	const key = "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XRN"
	r := New()
	r.Add(key)
	for cut := RunLen; cut < len(key); cut++ {
		for _, in := range []string{
			"title: " + key[:cut] + "...",            // shortened after the piece
			"realm " + key[len(key)-cut:] + " rest",  // shortened before it
			key[:cut] + "\" joined \"" + key[cut-1:], // cut in two and joined
		} {
			got := r.String(in)
			if leak := longestPiece(got, key); leak >= RunLen {
				t.Errorf("String(%q) = %q keeps %d characters of the key", in, got, leak)
			}
		}
	}
	// Seven characters are not a secret; ordinary text stays as it was.
	for _, in := range []string{"id " + key[:RunLen-1] + ".", "The shop answered 500 Internal Server Error."} {
		if got := r.String(in); got != in {
			t.Errorf("String(%q) = %q, want it unchanged", in, got)
		}
	}
	// The mask widens to whole runes: the output stays valid UTF-8.
	r.Add("žluťoučký-kůň-úpěl")
	if got := r.String("kůň: luťoučký-kůň-ú"); !utf8.ValidString(got) || strings.Contains(got, "oučký") {
		t.Errorf("multi-byte piece: %q", got)
	}
	// A PEM key's armour is not a secret: the words stay readable.
	r.Add("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq3Zq0s8Yc6h3F2d9XbWb\n-----END RSA PRIVATE KEY-----")
	if in := "ca_file holds an RSA PRIVATE KEY-----, not a certificate"; r.String(in) != in {
		t.Errorf("PEM armour masked: %q", r.String(in))
	}
	if got := r.String("line MIIEowIBAAKCAQ..."); strings.Contains(got, "MIIEowIB") {
		t.Errorf("a piece of a PEM line leaked: %q", got)
	}
}

// longestPiece is the length of the longest run of s that is also in secret.
func longestPiece(s, secret string) int {
	best := 0
	for i := range secret {
		for j := i + best + 1; j <= len(secret); j++ {
			if !strings.Contains(s, secret[i:j]) {
				break
			}
			best = j - i
		}
	}
	return best
}

// A secret quoted by %q, logrus or JSON keeps no run between its escapes.
func TestRedactorMasksQuotedForms(t *testing.T) {
	const secret = `pa"ss\wo<rd>&secret-1234567`
	r := New()
	r.Add(secret)
	for _, in := range []string{fmt.Sprintf("title %q", secret), `{"m":` + jsonString(secret) + `}`} {
		if got := r.String(in); longestPiece(got, secret) >= 4 {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
