package prestashop

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"storelink/connectors"
)

// methodOrder is how methods are listed everywhere: reads first, as the back
// office's permission table does (View, Add, Modify, Delete, Fast view).
var methodOrder = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// requirement is one resource and the methods the user needs on it.
type requirement struct {
	Resource string
	Methods  []string
}

// parseRequirements reads "products:GET,PUT customers:GET" and the back
// office's words for the same, "products: View, Modify; customers: View".
// Spaces, semicolons or new lines separate resources; commas, methods.
func parseRequirements(s string) ([]requirement, error) {
	var out []requirement
	heads := resourceHead().FindAllStringSubmatchIndex(s, -1)
	if len(heads) == 0 {
		if f := strings.TrimSpace(s); f != "" {
			return nil, fmtError("write each entry as resource:METHODS, like products:GET,PUT customers:GET (%q is not)", strings.Fields(f)[0])
		}
		return nil, nil
	}
	if lead := strings.Trim(s[:heads[0][0]], " ;\n\t\r"); lead != "" {
		return nil, fmtError("write each entry as resource:METHODS, like products:GET,PUT customers:GET (%q is not)", lead)
	}
	for i, h := range heads {
		end := len(s)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		res := strings.ToLower(s[h[2]:h[3]])
		methods := strings.Trim(s[h[1]:end], " ;\n\t\r")
		if methods == "" {
			return nil, fmtError("write each entry as resource:METHODS, like products:GET,PUT customers:GET (%q is not)", strings.TrimSpace(s[h[0]:end]))
		}
		if !validResourceName(res) {
			return nil, fmtError("%q is not a resource name; use the names of the webservice page, like products or stock_availables", res)
		}
		var ms []string
		for _, m := range strings.Split(methods, ",") {
			m = strings.Join(strings.Fields(m), " ")
			if m == "" {
				continue
			}
			method, ok := methodOf(m)
			if !ok {
				return nil, fmtError("%q is not a method; use View, Add, Modify, Delete or Fast view (or GET, POST, PUT, PATCH, DELETE, HEAD)", m)
			}
			if !slices.Contains(ms, method) {
				ms = append(ms, method)
			}
		}
		if len(ms) == 0 {
			return nil, fmtError("give at least one method for %s, like %s:GET", res, res)
		}
		out = mergeRequirement(out, requirement{Resource: res, Methods: ms})
	}
	return out, nil
}

// resourceHead is "products:" with the spaces around the colon; a resource
// name is anything up to the colon that is not a separator, so that
// "Prod-ucts:GET" is refused by name rather than skipped.
var resourceHead = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([^\s:;,]+)\s*:`) })

// methodOf reads a method ("put") or its back-office word ("Modify").
func methodOf(s string) (string, bool) {
	if m := strings.ToUpper(s); slices.Contains(methodOrder, m) {
		return m, true
	}
	for m, w := range methodWords {
		if strings.EqualFold(w, s) {
			return m, true
		}
	}
	return "", false
}

// NormalizeRequirements writes required permissions in the stored form,
// "products:GET,PUT customers:GET", whichever form was typed.
func NormalizeRequirements(s string) (normalized, note string) {
	req, err := parseRequirements(s)
	if err != nil || len(req) == 0 {
		return strings.TrimSpace(s), ""
	}
	parts := make([]string, len(req))
	for i, r := range req {
		parts[i] = r.Resource + ":" + strings.Join(r.Methods, ",")
	}
	return strings.Join(parts, " "), ""
}

func mergeRequirement(list []requirement, r requirement) []requirement {
	for i := range list {
		if list[i].Resource == r.Resource {
			for _, m := range r.Methods {
				if !slices.Contains(list[i].Methods, m) {
					list[i].Methods = append(list[i].Methods, m)
				}
			}
			return list
		}
	}
	return append(list, r)
}

func validResourceName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return s != ""
}

func validateRequirements(s string) error {
	_, err := parseRequirements(s)
	return err
}

// missingPermissions lists what the key lacks, in words: "products: PUT".
func missingPermissions(have []connectors.Permission, want []requirement) []string {
	var missing []string
	for _, w := range want {
		var got []string
		for _, p := range have {
			if p.Resource == w.Resource {
				got = p.Methods
			}
		}
		var lack []string
		for _, m := range w.Methods {
			if !slices.Contains(got, m) {
				lack = append(lack, m)
			}
		}
		if len(lack) > 0 {
			missing = append(missing, fmt.Sprintf("%s: %s", w.Resource, strings.Join(lack, ", ")))
		}
	}
	return missing
}

// missingInWords lists what the key lacks in the back office's words:
// "products: Delete; customers: View".
func missingInWords(have []connectors.Permission, want []requirement) []string {
	var out []string
	for _, line := range missingPermissions(have, want) {
		res, methods, _ := strings.Cut(line, ": ")
		var words []string
		for _, m := range strings.Split(methods, ", ") {
			words = append(words, methodWords[m])
		}
		out = append(out, res+": "+strings.Join(words, ", "))
	}
	return out
}
