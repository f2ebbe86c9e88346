package shopify

// shop.go: the Shop field. Every form in which a store owner meets their
// store's address is tidied to name.myshopify.com, the address the Admin API
// answers at; an explicit http(s)://host:port is kept as given so that a
// local test server can stand in. What tidying would point elsewhere is
// refused (connectors/address.go), never reinterpreted.

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"storelink/connectors"
)

// shopExample is how the Shop field looks, in messages.
const shopExample = "your-store.myshopify.com"

const (
	myshopify  = ".myshopify.com"
	adminHost  = "admin.shopify.com" // https://admin.shopify.com/store/<name>/...
	storePath  = "/store/"
	maxHandle  = 63 // one DNS label
	schemeHTTP = "http"
)

// NormalizeShop turns what a store owner pastes into the form the Shop field
// keeps: name.myshopify.com, or scheme://host[:port] for an explicit address
// that is not Shopify's. The note says what changed ("" when nothing). A
// value tidying would point elsewhere is returned trimmed, for validateShop
// to refuse.
func NormalizeShop(raw string) (normalized, note string) {
	out, note, err := parseShop(raw)
	if err != nil {
		return strings.TrimSpace(raw), ""
	}
	return out, note
}

func validateShop(v string) error {
	_, _, err := parseShop(v)
	return err
}

// warnShop says when the address is not a myshopify.com one: a store's own
// domain serves its storefront, not the Admin API.
func warnShop(v string) string {
	s, _, err := parseShop(v)
	if err != nil || strings.HasSuffix(s, myshopify) || connectors.SchemeOf(s) != "" {
		return ""
	}
	return fmt.Sprintf("%s is not a myshopify.com address: Shopify's Admin API answers at the store's own name.myshopify.com address, shown in Settings > Domains.", s)
}

func parseShop(raw string) (normalized, note string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", nil
	}
	if err := connectors.CheckAddressText(s, shopExample); err != nil {
		return "", "", err
	}
	if err := connectors.CheckScheme(s, shopExample); err != nil {
		return "", "", err
	}
	scheme := connectors.SchemeOf(s)
	rest := s
	if scheme != "" {
		rest = s[len(scheme)+3:]
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	hostport, path, _ := strings.Cut(rest, "/")
	path = "/" + path
	if at := strings.LastIndex(hostport, "@"); at >= 0 {
		return "", "", fmt.Errorf(`must not hold a user name or password ("@"); enter the store's address alone, like %s`, shopExample)
	}
	host, port, err := splitHostPort(strings.ToLower(hostport))
	if err != nil {
		return "", "", err
	}
	if host == "" || !connectors.ValidHost(host) {
		return "", "", fmt.Errorf("is not an address; enter the store's address, like %s", shopExample)
	}
	switch {
	case host == adminHost && port == "":
		name, ok := strings.CutPrefix(path, storePath)
		name, _, _ = strings.Cut(name, "/")
		if !ok || name == "" {
			return "", "", fmt.Errorf("is the Shopify admin without a store in it; copy the address while your store's admin is open (https://admin.shopify.com/store/your-store/...), or enter %s", shopExample)
		}
		return tidied(name, raw)
	case strings.HasSuffix(host, myshopify) && (port == "" || port == "443" && scheme != schemeHTTP):
		return tidied(strings.TrimSuffix(host, myshopify), raw)
	case scheme == "" && port == "" && !strings.Contains(host, "."): // a store name, whatever follows it
		return tidied(host, raw)
	}
	if err := connectors.CheckPort(port); err != nil {
		return "", "", err
	}
	// Anything else is kept where it points: an explicit address as typed
	// (scheme, host, port), a bare host as host[:port].
	out := joinHostPort(host, port)
	if scheme != "" {
		out = scheme + "://" + out
	}
	if strings.TrimSpace(raw) != out {
		note = "kept only the address (" + out + "), without the path after it"
	}
	return out, note, nil
}

// tidied is name.myshopify.com for a store handle, or why name is none.
func tidied(name, raw string) (normalized, note string, err error) {
	if err := checkHandle(name); err != nil {
		return "", "", err
	}
	out := name + myshopify
	if strings.TrimSpace(raw) != out {
		note = "tidied to " + out + ", the address Shopify's Admin API answers at"
	}
	return out, note, nil
}

// checkHandle accepts what Shopify allows in a myshopify.com name: letters,
// digits and hyphens, not at either end.
func checkHandle(name string) error {
	bad := name == "" || len(name) > maxHandle || name[0] == '-' || name[len(name)-1] == '-'
	for _, r := range name {
		bad = bad || !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	}
	if bad {
		return fmt.Errorf("has a store name (%q) that Shopify would not give: use letters, digits and hyphens, like %s", name, shopExample)
	}
	return nil
}

var errIPv6 = errors.New("has an IPv6 address without brackets; write it like http://[::1]:8080")

func splitHostPort(hostport string) (host, port string, err error) {
	if strings.HasPrefix(hostport, "[") {
		h, p, err := net.SplitHostPort(hostport)
		if err != nil {
			if !strings.HasSuffix(hostport, "]") {
				return "", "", connectors.ErrPort
			}
			return hostport, "", nil
		}
		return "[" + h + "]", p, nil
	}
	if strings.Count(hostport, ":") > 1 {
		return "", "", errIPv6
	}
	h, p, found := strings.Cut(hostport, ":")
	if found && p == "" {
		return "", "", connectors.ErrPort
	}
	return h, p, nil
}

func joinHostPort(host, port string) string {
	if port == "" {
		return host
	}
	return host + ":" + port
}

// baseURL is the shop's address with its scheme: https unless the Shop
// field names another.
func baseURL(shop string) string {
	if connectors.SchemeOf(shop) != "" {
		return strings.TrimRight(shop, "/")
	}
	return "https://" + shop
}

// hostOf is the host[:port] requests go to.
func hostOf(shop string) string {
	u, err := url.Parse(baseURL(shop))
	if err != nil {
		return shop
	}
	return u.Host
}
