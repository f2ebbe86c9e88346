package magento2

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"storelink/connectors"
)

// storeCodePattern is what Magento allows for a store view code.
var storeCodePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_]*$`) })

// adminSegment matches a back-office front name: "admin", "admin_1qz9x",
// "backend" (Magento's default is "admin"; installs pick admin_xxxx).
var adminSegment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i)(admin|admin_[a-z0-9_]+|backend)$`) })

// apiVersion is the first segment of a REST route.
var apiVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i)V[0-9]+$`) })

// NormalizeBaseURI rewrites a pasted address into the REST base Storelink
// signs requests against: https://shop.example[/folder][/index.php]/rest
// or .../rest/<store_code>. A back-office address (.../admin_xyz/...)
// becomes .../rest, as Magento's own help suggests; a route pasted after
// /rest/ (/V1/products) is cut off; /rest/all becomes /rest, since Magento
// refuses GET requests for the store code "all". The note says what changed.
//
// An address that tidying would point elsewhere (another scheme, a space
// inside, a bad port) is returned as typed, trimmed, for validateBaseURI to
// refuse.
func NormalizeBaseURI(raw string) (normalized, note string) {
	out, note, err := parseBaseURI(raw)
	if err != nil {
		return strings.TrimSpace(raw), ""
	}
	return out, note
}

// baseURIExample is how a Base URI looks, in messages.
const baseURIExample = "https://shop.example/rest"

// parseBaseURI tidies raw into the REST base, or says why it cannot without
// changing the store it points at.
func parseBaseURI(raw string) (normalized, note string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", nil
	}
	if err := connectors.CheckAddressText(s, baseURIExample); err != nil {
		return "", "", err
	}
	if err := connectors.CheckScheme(s, baseURIExample); err != nil {
		return "", "", err
	}
	var notes []string
	if !strings.Contains(s, "://") {
		s = "https://" + strings.TrimPrefix(s, "//")
		notes = append(notes, "added https://")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", "", errBaseURI
	}
	if err := connectors.CheckPort(u.Port()); err != nil {
		return "", "", err
	}
	if u.Hostname() == "" {
		return "", "", errBaseURI
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.TrimSuffix(strings.ToLower(u.Host), ":") // an empty port is the default one
	if u.RawQuery != "" || u.Fragment != "" {
		notes = append(notes, "removed the query")
	}
	if u.User != nil { // a pasted user:password@ must not be saved or shown
		notes = append(notes, "removed a user name or password from the address")
	}
	u.RawQuery, u.Fragment, u.User, u.RawFragment, u.ForceQuery = "", "", nil, "", false
	segs := splitPath(u.Path)
	if slices.Contains(segs, "..") {
		return "", "", errors.New(`must not contain ".." in its path; enter the store's own address, like ` + baseURIExample)
	}
	out, n := restPath(segs)
	if n != "" {
		notes = append(notes, n)
	}
	u.Path = "/" + strings.Join(out, "/")
	u.RawPath = ""
	result := u.String()
	if result != strings.TrimSpace(raw) && len(notes) == 0 {
		notes = append(notes, "tidied up")
	}
	if result == strings.TrimSpace(raw) {
		return result, "", nil
	}
	return result, "Changed to " + result + " (" + strings.Join(notes, "; ") + ").", nil
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// restPath turns path segments into the REST base's, with a note.
func restPath(segs []string) ([]string, string) {
	for i, s := range segs {
		if strings.EqualFold(s, "rest") {
			head := append(append([]string{}, segs[:i]...), "rest")
			tail := segs[i+1:]
			switch {
			case len(tail) == 0:
				return head, ""
			case strings.EqualFold(tail[0], "all"):
				return head, `removed the store code "all", which Magento refuses for reading`
			case apiVersion().MatchString(tail[0]):
				return head, "removed the API route after /rest"
			case storeCodePattern().MatchString(tail[0]):
				if len(tail) > 1 {
					return append(head, tail[0]), "removed the API route after the store code"
				}
				return append(head, tail[0]), ""
			}
			return head, "removed what followed /rest"
		}
	}
	for i, s := range segs {
		if adminSegment().MatchString(s) {
			return append(append([]string{}, segs[:i]...), "rest"), "this was the back-office address; the REST API is at /rest"
		}
	}
	// Storefront pages (.html) are not folders of the API.
	for len(segs) > 0 && strings.Contains(segs[len(segs)-1], ".") && !strings.EqualFold(segs[len(segs)-1], "index.php") {
		segs = segs[:len(segs)-1]
	}
	return append(append([]string{}, segs...), "rest"), "added /rest"
}

// SplitBaseURI separates a normalised base URI into the /rest base and the
// store code that follows it ("" for the default store view).
func SplitBaseURI(base string) (rest, storeCode string) {
	base = strings.TrimRight(base, "/")
	i := strings.LastIndex(base, "/")
	if i < 0 || strings.HasSuffix(strings.ToLower(base), "/rest") {
		return base, ""
	}
	if prev := base[:i]; strings.HasSuffix(strings.ToLower(prev), "/rest") {
		return prev, base[i+1:]
	}
	return base, ""
}

var errBaseURI = errors.New("enter the store's address, like https://shop.example/rest")

// validateBaseURI checks a Base URI value as parseBaseURI reads it.
func validateBaseURI(v string) error {
	n, _, err := parseBaseURI(v)
	if err != nil {
		return err
	}
	if u, err := url.Parse(n); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return errBaseURI
	}
	return nil
}

func validateStoreCode(v string) error {
	if !storeCodePattern().MatchString(strings.TrimSpace(v)) || v == "all" {
		return errors.New(`use the store view's code, like default or en (lower-case letters, digits, "_"; not "all")`)
	}
	return nil
}
