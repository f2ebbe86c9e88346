// Tests of the closed set of codes: complete, well named, documented.
package connectors_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"storelink/connectors"
)

func TestAllCodesWellFormed(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	seen := map[connectors.Code]bool{}
	for _, c := range connectors.AllCodes {
		if seen[c.Code] {
			t.Errorf("code %q listed twice", c.Code)
		}
		seen[c.Code] = true
		if !snake.MatchString(string(c.Code)) {
			t.Errorf("code %q is not snake_case", c.Code)
		}
		if len(c.Meaning) < 10 || !strings.HasSuffix(c.Meaning, ".") || c.Meaning[:1] != strings.ToUpper(c.Meaning[:1]) {
			t.Errorf("code %q: meaning %q should be a sentence", c.Code, c.Meaning)
		}
		if !connectors.KnownCode(c.Code) {
			t.Errorf("KnownCode(%q) = false", c.Code)
		}
	}
	// The minimum set, and the codes the client and Run produce.
	for _, c := range strings.Fields("ok invalid_input unreachable timeout tls not_api api_disabled auth_invalid auth_header_stripped forbidden signature_invalid signature_method_unsupported clock_skew bearer_disabled rate_limited locked_out moved server_error canceled agent_unavailable") {
		if !seen[connectors.Code(c)] {
			t.Errorf("code %q is missing from AllCodes", c)
		}
	}
	for _, c := range []connectors.Code{"", "OK", "nope", "auth invalid", "timeout "} {
		if connectors.KnownCode(c) {
			t.Errorf("KnownCode(%q) = true", c)
		}
	}
	if connectors.AllCodes[0].Code != connectors.CodeOK || connectors.AllCodes[0].Warning {
		t.Error("ok comes first and is not a warning")
	}
	for _, w := range []connectors.Code{connectors.CodeInsecureHTTP, connectors.CodeRewriteMissing, connectors.CodeNormalized} {
		for _, c := range connectors.AllCodes {
			if c.Code == w && !c.Warning {
				t.Errorf("%q appears only as a warning and should say so", w)
			}
		}
	}
}

// Every Code constant declared in codes.go is in AllCodes, so a code added
// without documentation fails here.
func TestEveryCodeConstantIsListed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		vs, ok := node.(*ast.ValueSpec)
		if !ok || vs.Type == nil || len(vs.Values) != 1 {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok {
			return true
		}
		v, _ := strconv.Unquote(lit.Value)
		n++
		if !connectors.KnownCode(connectors.Code(v)) {
			t.Errorf("constant %s = %q is not in AllCodes", vs.Names[0].Name, v)
		}
		return true
	})
	if n != len(connectors.AllCodes) {
		t.Errorf("codes.go declares %d Code constants, AllCodes lists %d", n, len(connectors.AllCodes))
	}
}
