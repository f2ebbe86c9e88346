package woocommerce

import (
	"slices"
	"strings"
	"testing"

	"storelink/connectors/connectortest"
)

// FuzzNormalizeStoreURL: tidied input means the same target. Either the
// input is refused, or the tidied value, read strictly on its own, has the
// host and port the input meant and a folder the input's path starts with
// (only a WordPress admin, REST or login tail may go, with a note), and
// tidying it again changes nothing.
func FuzzNormalizeStoreURL(f *testing.F) {
	for _, s := range []string{"shop.example", "https://shop.example/wp-admin/edit.php", "shop.example/blog/wp-json/wc/v3", "http://[::1]:8080/wp/wp-login.php",
		"HTTPS://A.B/", "file:///etc/passwd", "shop example.com", "https://shop.example\r\nX-Injected: 1", "shop.example:70000", "//shop.example/x", " x ", "a/b/c/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, note := NormalizeStoreURL(in)
		if validateStoreURL(in) != nil {
			return // refused
		}
		again, note2 := NormalizeStoreURL(out)
		if again != out || note2 != "" || validateStoreURL(out) != nil {
			t.Fatalf("not idempotent: %q -> %q -> %q (%q)", in, out, again, note2)
		}
		if out != strings.TrimSpace(in) && note == "" {
			t.Fatalf("%q -> %q without a note", in, out)
		}
		meant, ok := connectortest.StrictURL(in)
		if !ok {
			t.Fatalf("%q accepted, but it is no http(s) address", in)
		}
		got, ok := connectortest.StrictURL(out)
		if !ok || got.RawQuery != "" || got.Fragment != "" || got.User != nil {
			t.Fatalf("%q -> %q, which is no bare host[:port][/folder]", in, out)
		}
		host := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), ".") }
		if host(got.Hostname()) != host(meant.Hostname()) || strings.TrimPrefix(got.Port(), ":") != strings.TrimPrefix(meant.Port(), ":") {
			t.Fatalf("%q (host %q port %q) -> %q (host %q port %q)", in, meant.Hostname(), meant.Port(), out, got.Hostname(), got.Port())
		}
		want, have := folders(meant.EscapedPath()), folders(got.EscapedPath())
		if len(have) > len(want) || !slices.Equal(have, want[:len(have)]) {
			t.Fatalf("%q (folder %q) -> %q (folder %q): not the same folder", in, want, out, have)
		}
	})
}

// folders are a path's non-empty segments ("/a//b/" is a, b).
func folders(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
