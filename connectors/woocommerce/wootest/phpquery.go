package wootest

// phpquery.go: $_GET as PHP builds it from a query string
// (php_default_treat_data(), php_register_variable_ex()): name[a][] makes
// nested arrays, name[] takes the next integer index, the last of repeated
// names wins but keeps the place of the first, "." and " " in a top-level
// name become "_". check_oauth_signature() signs these arrays flattened by
// join_with_equals_sign() as name%5Bkey%5D.

import (
	"net/url"
	"strconv"
	"strings"
)

type phpNode struct {
	value string
	keys  []string
	kids  map[string]*phpNode // nil for a scalar
	next  int
}

func (n *phpNode) put(k string, v *phpNode) {
	if n.kids == nil {
		n.kids = map[string]*phpNode{}
	}
	if _, ok := n.kids[k]; !ok {
		n.keys = append(n.keys, k)
	}
	n.kids[k] = v
	if i, err := strconv.Atoi(k); err == nil && i >= n.next {
		n.next = i + 1
	}
}

func (n *phpNode) array(k string) *phpNode {
	if c, ok := n.kids[k]; ok && c.kids != nil {
		return c
	}
	c := &phpNode{kids: map[string]*phpNode{}}
	n.put(k, c)
	return c
}

func phpParse(raw string) *phpNode {
	top := &phpNode{kids: map[string]*phpNode{}}
	for _, part := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if part == "" || err1 != nil || err2 != nil || name == "" {
			continue
		}
		base, subs := name, []string(nil)
		if i := strings.IndexByte(name, '['); i > 0 && strings.IndexByte(name[i:], ']') > 0 {
			base = name[:i]
			for rest := name[i:]; strings.HasPrefix(rest, "["); {
				end := strings.IndexByte(rest, ']')
				if end < 0 {
					break
				}
				subs, rest = append(subs, rest[1:end]), rest[end+1:]
			}
		}
		base = strings.NewReplacer(".", "_", " ", "_").Replace(base)
		node, key := top, base
		for _, sub := range subs {
			node = node.array(key)
			if sub == "" {
				sub = strconv.Itoa(node.next)
			}
			key = sub
		}
		node.put(key, &phpNode{value: value})
	}
	return top
}

// joinWithEqualsSign is WC_REST_Authentication::join_with_equals_sign()
// over parameters normalize_parameters() encoded.
func joinWithEqualsSign(out []string, name string, n *phpNode) []string {
	if n.kids == nil {
		return append(out, urlencodeRFC3986(name+"="+urlencodeRFC3986(n.value)))
	}
	for _, k := range n.keys {
		out = joinWithEqualsSign(out, name+"%5B"+urlencodeRFC3986(k)+"%5D", n.kids[k])
	}
	return out
}
