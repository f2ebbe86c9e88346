package upgates_test

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/connectortest"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

func TestAPIURLRefusesWhatWouldPointElsewhere(t *testing.T) {
	info := upgates.Info()
	f, _ := info.Field(upgates.FieldAPIURL)
	for in, want := range map[string]string{
		"file:///etc/passwd":                           "not file://",
		"https://shop example.com/api/v2":              "must not contain spaces",
		"https://shop.example\r\nX-Injected: 1/api/v2": "must not contain spaces",
		"https://shop.example:70000/api/v2":            "1 to 65535",
		"https://shop.example:0":                       "1 to 65535",
		"https://shop.example/../api/v2":               `".."`,
	} {
		if err := f.Validate(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("validate(%q) = %v, want %q", in, err, want)
		}
		if got, note := upgates.NormalizeAPIURL(in); got != strings.TrimSpace(in) || note != "" {
			t.Errorf("NormalizeAPIURL(%q) rewrote it to %q (%s)", in, got, note)
		}
	}
}

// FuzzNormalizeAPIURL: tidied input means the same target. Either the input
// is refused, or the tidied value, read strictly on its own, has the scheme,
// host and port the input meant and its path is the input's with /api/v2
// added, or the input's cut back to /api/v2; normalising again changes
// nothing.
func FuzzNormalizeAPIURL(f *testing.F) {
	for _, s := range []string{"shop.admin.s15.upgates.com", "https://a/api/v2/status", "http://u:p@[::1]:8/x?y#z", "file:///etc/passwd",
		"https://shop example.com", "https://a\r\nX-Injected: 1", "https://a:70000", "//a/b", "https://a/API/V2/"} {
		f.Add(s)
	}
	info := upgates.Info()
	field, _ := info.Field(upgates.FieldAPIURL)
	f.Fuzz(func(t *testing.T, in string) {
		out, note := upgates.NormalizeAPIURL(in)
		if field.Validate(in) != nil {
			return // refused
		}
		if again, note2 := upgates.NormalizeAPIURL(out); again != out || note2 != "" {
			t.Fatalf("not idempotent: %q -> %q -> %q (%s)", in, out, again, note2)
		}
		meant, ok := connectortest.StrictURL(in)
		if !ok {
			t.Fatalf("%q accepted, but it is no http(s) address", in)
		}
		got, ok := connectortest.StrictURL(out)
		if !ok || got.User != nil || got.RawQuery != "" {
			t.Fatalf("%q -> %q: not a bare address", in, out)
		}
		if got.Scheme != meant.Scheme || got.Hostname() != strings.ToLower(meant.Hostname()) || got.Port() != meant.Port() {
			t.Fatalf("%q -> %q: another target", in, out)
		}
		have, want := segments(got.EscapedPath()), segments(meant.EscapedPath())
		added := append(slices.Clone(want), "api", "v2")
		cut := len(have) <= len(want) && slices.Equal(have, want[:len(have)]) && strings.HasSuffix(strings.ToLower(got.Path), upgates.APIPath)
		if !slices.Equal(have, added) && !cut {
			t.Fatalf("%q (path %q) -> %q (path %q): another path", in, want, out, have)
		}
		if out != strings.TrimSpace(in) && note == "" && !slices.Equal(have, want) {
			t.Fatalf("%q -> %q without a note", in, out)
		}
	})
}

// segments are an escaped path's non-empty segments, unescaped, lower case.
func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		if s != "" {
			out = append(out, strings.ToLower(s))
		}
	}
	return out
}

func TestPublicKeyFileIsCheckedAtSaveTime(t *testing.T) {
	f, _ := upgates.Info().Field(upgates.FieldPublicKeyFile)
	dir := t.TempDir()
	good := upgatestest.NewSigner(t).WritePublicKey(t, dir)
	if msg := f.Check(connectors.Values{upgates.FieldPublicKeyFile: good}); msg != "" {
		t.Errorf("a good key: %q", msg)
	}
	notKey := filepath.Join(dir, "passwd")
	if err := os.WriteFile(notKey, []byte("root:x:0:0::/root:/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{notKey: "holds no RSA public key", filepath.Join(dir, "none.pem"): "does not exist", "/dev/zero": "not a regular file"} {
		if msg := f.Check(connectors.Values{upgates.FieldPublicKeyFile: path}); !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", path, msg, want)
		}
	}
}
