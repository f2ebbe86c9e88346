// Tests of fields' conditions and hints, and of reading Values.
package connectors_test

import (
	"slices"
	"testing"

	"storelink/connectors"
)

// An OAuth-like form: the secret is shown for OAuth, and required only for
// the HMAC methods; RSA uses a key file instead.
var (
	authField = connectors.Field{Key: "auth", Kind: connectors.KindChoice, Required: true,
		Choices: []connectors.Choice{{Value: "token", Label: "Token"}, {Value: "oauth", Label: "OAuth"}}}
	methodField = connectors.Field{Key: "signature_method", Kind: connectors.KindChoice,
		VisibleWhen: []connectors.Condition{{Field: "auth", Values: []string{"oauth"}}}}
	secretField = connectors.Field{Key: "consumer_secret", Kind: connectors.KindSecret,
		VisibleWhen: []connectors.Condition{{Field: "auth", Values: []string{"oauth"}}},
		RequiredWhen: []connectors.Condition{
			{Field: "signature_method", Values: []string{"HMAC-SHA1", "HMAC-SHA256"}},
			{Field: "mode", Values: []string{"cloud"}},
		}}
)

func TestFieldConditions(t *testing.T) {
	for _, tc := range []struct {
		name             string
		values           connectors.Values
		visible, require bool
	}{
		{"token auth hides it", connectors.Values{"auth": "token", "signature_method": "HMAC-SHA1", "mode": "cloud"}, false, false},
		{"nothing chosen hides it", connectors.Values{}, false, false},
		{"HMAC-SHA1 requires it", connectors.Values{"auth": "oauth", "signature_method": "HMAC-SHA1", "mode": "cloud"}, true, true},
		{"HMAC-SHA256 requires it", connectors.Values{"auth": "oauth", "signature_method": "HMAC-SHA256", "mode": "cloud"}, true, true},
		{"RSA shows but does not require it", connectors.Values{"auth": "oauth", "signature_method": "RSA-SHA256", "mode": "cloud"}, true, false},
		{"every required-when condition must hold", connectors.Values{"auth": "oauth", "signature_method": "HMAC-SHA1", "mode": "on-premise"}, true, false},
		{"a missing value meets no condition", connectors.Values{"auth": "oauth", "mode": "cloud"}, true, false},
		{"values match exactly", connectors.Values{"auth": "OAuth", "signature_method": "HMAC-SHA1", "mode": "cloud"}, false, false},
	} {
		if v := secretField.VisibleIn(tc.values); v != tc.visible {
			t.Errorf("%s: VisibleIn = %v, want %v", tc.name, v, tc.visible)
		}
		if r := secretField.RequiredIn(tc.values); r != tc.require {
			t.Errorf("%s: RequiredIn = %v, want %v", tc.name, r, tc.require)
		}
	}

	// Several visible-when conditions must all hold.
	both := connectors.Field{Key: "x", VisibleWhen: []connectors.Condition{
		{Field: "a", Values: []string{"1", "2"}}, {Field: "b", Values: []string{"yes"}},
	}, Required: true}
	for values, want := range map[[2]string]bool{{"1", "yes"}: true, {"2", "yes"}: true, {"3", "yes"}: false, {"1", "no"}: false, {"", ""}: false} {
		vs := connectors.Values{"a": values[0], "b": values[1]}
		if both.VisibleIn(vs) != want || both.RequiredIn(vs) != want {
			t.Errorf("a=%q b=%q: visible %v required %v, want both %v (Required only counts when visible)", values[0], values[1], both.VisibleIn(vs), both.RequiredIn(vs), want)
		}
	}

	plain := connectors.Field{Key: "y"}
	if !plain.VisibleIn(nil) || plain.RequiredIn(nil) {
		t.Error("a field without conditions is always visible and never required")
	}
	if !(connectors.Field{Required: true}).RequiredIn(connectors.Values{}) {
		t.Error("Required without conditions is always required")
	}
	if !methodField.VisibleIn(connectors.Values{"auth": "oauth"}) || methodField.VisibleIn(connectors.Values{"auth": "token"}) || !authField.RequiredIn(nil) {
		t.Error("single visible-when condition misread")
	}
}

func TestConditionHolds(t *testing.T) {
	c := connectors.Condition{Field: "mode", Values: []string{"on-premise"}}
	if !c.Holds(connectors.Values{"mode": "on-premise"}) || c.Holds(connectors.Values{"mode": "cloud"}) || c.Holds(nil) {
		t.Error("Holds misread the value")
	}
	if (connectors.Condition{Field: "mode"}).Holds(connectors.Values{"mode": ""}) {
		t.Error("a condition with no values never holds")
	}
}

func TestFieldHint(t *testing.T) {
	for _, tc := range []struct{ help, want string }{
		{"The address of the shop. Without /api.", "The address of the shop."},
		{"  One sentence only.  ", "One sentence only."},
		{"No full stop at all", "No full stop at all"},
		{"Where to find it?\nIn the admin.", "Where to find it?"},
		{"The key.\nIt has 32 characters.", "The key."},
		{"Version 1.7.8 or later. Older ones differ.", "Version 1.7.8 or later."},
		{"", ""},
	} {
		if got := (connectors.Field{Help: tc.help}).Hint(); got != tc.want {
			t.Errorf("Hint of %q = %q, want %q", tc.help, got, tc.want)
		}
	}
}

func TestFieldKindsAndChoices(t *testing.T) {
	for kind, secret := range map[connectors.Kind]bool{
		connectors.KindSecret: true, connectors.KindMultilineSecret: true,
		connectors.KindText: false, connectors.KindURL: false, connectors.KindChoice: false,
		connectors.KindNumber: false, connectors.KindFile: false, connectors.KindBool: false,
	} {
		if (connectors.Field{Kind: kind}).IsSecret() != secret {
			t.Errorf("IsSecret for %s = %v", kind, !secret)
		}
	}
	if got := authField.ChoiceValues(); !slices.Equal(got, []string{"token", "oauth"}) {
		t.Errorf("ChoiceValues = %q", got)
	}
	if got := (connectors.Field{}).ChoiceValues(); got == nil || len(got) != 0 {
		t.Errorf("ChoiceValues without choices = %#v, want empty", got)
	}
}

func TestValuesReaders(t *testing.T) {
	v := connectors.Values{
		"url": "  https://shop.example  ", "t": "true", "one": "1", "F": " FALSE ", "yes": "yes",
		"n": " 12 ", "neg": "-3", "float": "1.5", "word": "ten", "empty": "",
	}
	if got := v.String("url"); got != "https://shop.example" {
		t.Errorf("String trims: %q", got)
	}
	if v.String("missing") != "" {
		t.Error("String of a missing key should be empty")
	}
	for key, want := range map[string]bool{"t": true, "one": true, "F": false} {
		if got := v.Bool(key, !want); got != want {
			t.Errorf("Bool(%s) = %v, want %v", key, got, want)
		}
	}
	for _, key := range []string{"yes", "empty", "missing", "word"} {
		if !v.Bool(key, true) || v.Bool(key, false) {
			t.Errorf("Bool(%s) should fall back to the default", key)
		}
	}
	for key, want := range map[string]int{"n": 12, "neg": -3, "float": 7, "word": 7, "empty": 7, "missing": 7} {
		if got := v.Int(key, 7); got != want {
			t.Errorf("Int(%s, 7) = %d, want %d", key, got, want)
		}
	}

	c := v.Clone()
	c["url"] = "changed"
	c["new"] = "x"
	if v["url"] != "  https://shop.example  " || v["new"] != "" || len(c) != len(v)+1 {
		t.Error("Clone shares storage with the original")
	}
	var none connectors.Values
	nc := none.Clone()
	nc["ok"] = "writable" // a nil map's clone must be writable
	if nc["ok"] != "writable" || none.String("x") != "" || none.Int("x", 3) != 3 || !none.Bool("x", true) {
		t.Error("nil Values should read as empty and clone into a usable map")
	}
}
