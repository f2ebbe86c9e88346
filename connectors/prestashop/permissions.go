package prestashop

import (
	"fmt"
	"slices"
	"strings"

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

// parseRequirements reads "products:GET,PUT customers:GET" (spaces, commas
// between entries or semicolons separate resources).
func parseRequirements(s string) ([]requirement, error) {
	var out []requirement
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ';' || r == '\n' || r == '\t' || r == '\r' })
	for _, f := range fields {
		res, methods, ok := strings.Cut(f, ":")
		res = strings.ToLower(strings.TrimSpace(res))
		if !ok || res == "" || strings.TrimSpace(methods) == "" {
			return nil, fmtError("write each entry as resource:METHODS, like products:GET,PUT customers:GET (%q is not)", f)
		}
		if !validResourceName(res) {
			return nil, fmtError("%q is not a resource name; use the names of the webservice page, like products or stock_availables", res)
		}
		var ms []string
		for _, m := range strings.Split(methods, ",") {
			m = strings.ToUpper(strings.TrimSpace(m))
			if m == "" {
				continue
			}
			if !slices.Contains(methodOrder, m) {
				return nil, fmtError("%q is not a method; use GET, HEAD, POST, PUT, PATCH or DELETE", m)
			}
			if !slices.Contains(ms, m) {
				ms = append(ms, m)
			}
		}
		if len(ms) == 0 {
			return nil, fmtError("give at least one method for %s, like %s:GET", res, res)
		}
		out = mergeRequirement(out, requirement{Resource: res, Methods: ms})
	}
	return out, nil
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
