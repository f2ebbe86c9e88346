package redact

import (
	"strings"
	"testing"
)

// wholePatterns is Patterns as it was: every pattern whose hint occurs runs
// over the whole text. Patterns must give exactly the same.
func wholePatterns(s string) string {
	lower := strings.ToLower(s)
	for _, p := range patterns {
		for _, h := range p.hints {
			if strings.Contains(lower, h) {
				s = p.re().ReplaceAllString(s, p.repl)
				lower = strings.ToLower(s)
				break
			}
		}
	}
	return s
}

var nearSeeds = []string{
	`{"api_key":"abcdef123","key":"sku-1","token":"t1"}`,
	`Authorization: Basic QUJDOg==, x="y"` + "\n" + `proxy-Authorization = "Bearer abc"`,
	`xapi_key=secretvalue and api_key=visible? &consumer_secret=abc&token_secret="def"`,
	`é"consumer_secret" :  "v1" ÿauthorization:bearer zz`,
	`GET /api/?ws_key=ABCDEF&oauth_signature="sig%3D"&oauth_token=tok OAuth oauth_token="a", oauth_signature="b"`,
	"authorization: x\n" + strings.Repeat("key ", 50) + `"access_token": "tok"`,
	"\u212Aey api_\u212Aey=abc ſecret consumer_ſecret=x",
	"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- https://u:p@h/ token=abc",
	`ÀPI_KEY=abc; "ApiKey":"v"; PASSWORD = "pw"; Private_Key=k`,
	"\xe2authorization: v \xff\xfeapi_key=z",
	// Stray continuation bytes before a hint are a rune each to the regexp:
	// the window once walked back over all of them and missed the key.
	"0\x91\x91\x91\x91\x91ApikeY=0",
	"\xe2\x82\xac\x91\x91\x91\x91api_key=v é" + "\x80\x80token=t",
}

func TestPatternsNearMatchesWholeText(t *testing.T) {
	for _, s := range nearSeeds {
		if got, want := Patterns(s), wholePatterns(s); got != want {
			t.Errorf("Patterns(%q)\n = %q\nwant %q", s, got, want)
		}
	}
}

func FuzzPatternsNear(f *testing.F) {
	for _, s := range nearSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Patterns(s), wholePatterns(s); got != want {
			t.Errorf("Patterns(%q)\n = %q\nwant %q", s, got, want)
		}
	})
}

// A secret added again (once per user name paired with it) keeps every
// piece of every form masked: the pieces are added once, not forgotten.
func TestAddAgainKeepsEveryPiece(t *testing.T) {
	r := New()
	v := "p@ss w/rd+0123456789"
	r.Add(v)
	r.Add(v)
	r.AddPair("ck_user", v)
	for _, form := range forms(v) {
		if len(form) < RunLen {
			continue
		}
		piece := form[len(form)-RunLen:]
		if got := r.String("x " + piece + " y"); strings.Contains(got, piece) {
			t.Errorf("the piece %q of the form %q stays in %q", piece, form, got)
		}
	}
}
