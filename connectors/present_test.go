// Tests of presentations: derived from Message and Hint, said in one place,
// and completed by Run.
package connectors_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"storelink/connectors"
)

func TestPresentDerivesFromMessageAndHint(t *testing.T) {
	r := connectors.Fail(connectors.CodeAuthInvalid,
		"The webservice key is not known to the shop. PrestaShop 1.7.8.11 answered with error 20.",
		"Copy the key again from Advanced Parameters > Webservice. Enable it in the list, then test again.")
	p := connectors.Present(r)
	if p.Headline != "The webservice key is not known to the shop" || p.Reason != "PrestaShop 1.7.8.11 answered with error 20." {
		t.Errorf("headline %q reason %q", p.Headline, p.Reason)
	}
	want := []connectors.Step{{Text: "Copy the key again from Advanced Parameters > Webservice."}, {Text: "Enable it in the list, then test again."}}
	if len(p.Steps) != 2 || p.Steps[0] != want[0] || p.Steps[1] != want[1] {
		t.Errorf("steps %+v", p.Steps)
	}
	if len(p.Technical) != 1 || p.Technical[0] != (connectors.Detail{Label: "Code", Value: "auth_invalid"}) {
		t.Errorf("technical %+v", p.Technical)
	}
	if r.Presentation.Headline != "" {
		t.Error("Present changed the result")
	}
}

func TestPresentShortensALongFirstSentence(t *testing.T) {
	long := "Magento refused the admin sign-in: The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
	p := connectors.Present(connectors.Fail(connectors.CodeAuthInvalid, long, "Check the user name and password by signing in to the admin."))
	if p.Headline != "Magento refused the admin sign-in" || !strings.Contains(p.Reason, "disabled temporarily") {
		t.Errorf("headline %q reason %q", p.Headline, p.Reason)
	}
	words := strings.Repeat("word ", 40) + "end."
	p = connectors.Present(connectors.Fail(connectors.CodeServerError, words, ""))
	if n := utf8.RuneCountInString(p.Headline); n > connectors.MaxHeadline || !strings.HasSuffix(p.Headline, "…") || p.Reason == "" {
		t.Errorf("headline of %d characters: %q, reason %q", n, p.Headline, p.Reason)
	}
	if p.Steps != nil {
		t.Errorf("no hint, no steps: %+v", p.Steps)
	}
	// Numbers, dotted names and paths stay inside their sentence.
	p = connectors.Present(connectors.Fail(connectors.CodeClockSkew, "The clock is 1.0 hours ahead of shop.example.", "Add it to the .htaccess file. Test again."))
	if p.Headline != "The clock is 1.0 hours ahead of shop.example" || len(p.Steps) != 2 {
		t.Errorf("headline %q steps %+v", p.Headline, p.Steps)
	}
}

func TestPresentKeepsWhatTheConnectorSaid(t *testing.T) {
	r := connectors.Fail(connectors.CodeForbidden, "A long paragraph.\nWith lines.", "Hint.").With(connectors.Presentation{
		Headline:  "The key has no permissions",
		Reason:    "No box is ticked.",
		Steps:     []connectors.Step{connectors.CopyStep("Add this line.", "RewriteRule x")},
		Technical: connectors.Tech("ACL resource", "Magento_Backend::store", "Empty", ""),
	})
	p := connectors.Present(r)
	if p.Headline != "The key has no permissions" || p.Reason != "No box is ticked." || len(p.Steps) != 1 || p.Steps[0].Copy != "RewriteRule x" {
		t.Errorf("presentation %+v", p)
	}
	if len(p.Technical) != 2 || p.Technical[0].Label != "Code" || p.Technical[1].Value != "Magento_Backend::store" {
		t.Errorf("technical %+v", p.Technical)
	}
	if r.Message != "A long paragraph.\nWith lines." || r.Hint != "Hint." {
		t.Error("With changed Message or Hint")
	}
}

func TestDiagnoseSaysItOnce(t *testing.T) {
	r := connectors.Diagnose(connectors.CodeAuthHeaderStripped, connectors.Presentation{
		Headline: "The web server drops the key",
		Reason:   "PHP runs as CGI.",
		Steps:    []connectors.Step{connectors.CopyStep("Add this line to .htaccess.", "RewriteRule .* - [E=X]"), {Text: "Test again"}},
	})
	if r.OK || r.Message != "The web server drops the key. PHP runs as CGI." || r.Hint != "Add this line to .htaccess: RewriteRule .* - [E=X] Test again." {
		t.Errorf("message %q hint %q", r.Message, r.Hint)
	}
}

func TestTextFillsNamedParameters(t *testing.T) {
	if got := connectors.Text("{host} answered {status}; {host} again.", "host", "shop.example", "status", "404"); got != "shop.example answered 404; shop.example again." {
		t.Errorf("Text = %q", got)
	}
}

// TestRunPresentsEveryResult: a connector that says only Message and Hint
// still gives the JSON keys headline, steps and technical.
func TestRunPresentsEveryResult(t *testing.T) {
	info := connectors.Info{ID: "plain", Title: "Plain", New: func() connectors.Connector { return plainConnector{} }}
	r := connectors.Run(t.Context(), info, connectors.Config{Values: connectors.Values{}})
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m["headline"] != "The key is refused" || m["reason"] != "The shop says so." || m["message"] != "The key is refused. The shop says so." || m["hint"] != "Copy it again." {
		t.Errorf("JSON %s", data)
	}
	if steps, _ := m["steps"].([]any); len(steps) != 1 || steps[0].(map[string]any)["text"] != "Copy it again." {
		t.Errorf("steps in %s", data)
	}
	if tech, _ := m["technical"].([]any); len(tech) != 1 || tech[0].(map[string]any)["value"] != "auth_invalid" {
		t.Errorf("technical in %s", data)
	}
	if _, ok := m["fixes"]; ok {
		t.Errorf("no fixes, no key: %s", data)
	}
}

type plainConnector struct{}

func (plainConnector) Test(context.Context, connectors.Config) connectors.Result {
	return connectors.Fail(connectors.CodeAuthInvalid, "The key is refused. The shop says so.", "Copy it again.")
}
