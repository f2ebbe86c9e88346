package app

// pane_hint_test.go: the hint under a choice follows the option chosen.

import (
	"strings"
	"testing"

	"storelink/connectors"
)

func TestHintsFollowTheChoice(t *testing.T) {
	e := newEnv(t, connectors.Default, &script{})
	p := e.open("magento2")
	hint := func(key string) string { return p.Form.Row(key).Hint.Text }
	mode, auth := p.Form.Input(connectors.FieldMode), p.Form.Input("auth_type")

	cloud := hint(connectors.FieldMode)
	selectLabel(mode.Widget, "On-premise")
	onPremise := hint(connectors.FieldMode)
	if cloud == onPremise || !strings.Contains(onPremise, "agent") || !strings.Contains(onPremise, "SSH server") || !strings.Contains(onPremise, "Resources > Agents") {
		t.Errorf("Mode hints: Cloud %q, On-premise %q", cloud, onPremise)
	}
	selectLabel(mode.Widget, "Cloud")
	if hint(connectors.FieldMode) != cloud {
		t.Error("the Cloud hint comes back with Cloud")
	}

	seen := map[string]string{}
	for _, c := range []struct{ label, want string }{
		{"OAuth 1.0 (integration)", "System > Extensions > Integrations"},
		{"Access token", "Bearer"},
		{"Admin user name and password", "two-factor"},
	} {
		selectLabel(auth.Widget, c.label)
		h := hint("auth_type")
		if !strings.Contains(h, c.want) || strings.Count(h, ". ") > 0 {
			t.Errorf("%s: hint %q should be one sentence naming %q", c.label, h, c.want)
		}
		if other, dup := seen[h]; dup {
			t.Errorf("%s and %s share the hint %q", c.label, other, h)
		}
		seen[h] = c.label
	}
	selectLabel(auth.Widget, "OAuth 1.0 (integration)")
	selectLabel(p.Form.Input("signature_method").Widget, "HMAC-SHA1")
	if h := hint("signature_method"); !strings.Contains(h, "2.4.3") {
		t.Errorf("HMAC-SHA1 hint: %q", h)
	}
}
