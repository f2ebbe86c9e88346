// Table tests of the pure field checks: every condition Validate honours,
// and Defaults, Normalize, Warnings and SplitSecrets.
package connectors_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"storelink/connectors"
)

const goodKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456" // 32 characters

// normalizeCalls counts calls of store_url's Normalize.
var normalizeCalls atomic.Int32

// checkInfo is a made-up platform with one field of each sort and the
// conditions real ones use: a key for token auth; for OAuth a signature
// method, a secret required only for the HMAC methods and a PEM key required
// only for RSA.
func checkInfo(t *testing.T) connectors.Info {
	t.Helper()
	oauth := []connectors.Condition{{Field: "auth", Values: []string{"oauth"}}}
	r := connectors.NewRegistry()
	r.Register(connectors.Info{ID: "testshop", Title: "Test shop", New: func() connectors.Connector { return nil }, Fields: []connectors.Field{
		{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL, Required: true,
			Validate: func(v string) error {
				if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
					return errors.New("enter the address with https://")
				}
				return nil
			},
			Normalize: func(v string) (string, string) {
				normalizeCalls.Add(1)
				v = strings.TrimSpace(v)
				if n := strings.TrimSuffix(strings.TrimSuffix(v, "/"), "/api"); n != strings.TrimSuffix(v, "/") {
					return n, "removed /api at the end"
				}
				return strings.TrimSuffix(v, "/"), ""
			},
			Warn: func(v string) string {
				if strings.HasPrefix(v, "http://") {
					return "plain HTTP sends the key unencrypted"
				}
				return ""
			}},
		{Key: "auth", Label: "Authentication", Kind: connectors.KindChoice, Required: true, Default: "token",
			Choices: []connectors.Choice{{Value: "token", Label: "Token"}, {Value: "oauth", Label: "OAuth"}}},
		{Key: "api_key", Label: "API key", Kind: connectors.KindSecret,
			VisibleWhen:  []connectors.Condition{{Field: "auth", Values: []string{"token"}}},
			RequiredWhen: []connectors.Condition{{Field: "auth", Values: []string{"token"}}},
			Validate: func(v string) error {
				if len(v) != 32 {
					return errors.New("must be 32 characters")
				}
				return nil
			}},
		{Key: "signature_method", Label: "Signature method", Kind: connectors.KindChoice, VisibleWhen: oauth, RequiredWhen: oauth,
			Choices: []connectors.Choice{{Value: "HMAC-SHA1"}, {Value: "HMAC-SHA256"}, {Value: "RSA-SHA256"}}},
		{Key: "consumer_secret", Label: "Consumer secret", Kind: connectors.KindSecret, VisibleWhen: oauth,
			RequiredWhen: []connectors.Condition{{Field: "signature_method", Values: []string{"HMAC-SHA1", "HMAC-SHA256"}}}},
		{Key: "private_key", Label: "Private key", Kind: connectors.KindMultilineSecret, VisibleWhen: oauth,
			RequiredWhen: []connectors.Condition{{Field: "signature_method", Values: []string{"RSA-SHA256"}}},
			Validate: func(v string) error {
				if !strings.Contains(v, "-----BEGIN") {
					return errors.New("paste the whole PEM key, from -----BEGIN to -----END")
				}
				return nil
			},
			Warn: func(string) string { return "keep a copy of the key somewhere safe" }},
		{Key: "verify_tls", Label: "Verify certificate", Kind: connectors.KindBool, Default: "true", Advanced: true},
		{Key: "retries", Label: "Retries", Kind: connectors.KindNumber, Advanced: true}, // no range
		{Key: "page_size", Label: "Page size", Kind: connectors.KindNumber, Min: 10, Advanced: true},
		{Key: "offset", Label: "Clock offset", Kind: connectors.KindNumber, Min: -60, Max: 0, Advanced: true},
	}})
	info, _ := r.Lookup("testshop")
	return info
}

func valid(changes map[string]string) connectors.Values {
	v := connectors.Values{"name": "My shop", "mode": "cloud", "store_url": "https://shop.example", "auth": "token", "api_key": goodKey}
	for k, val := range changes {
		if val == "<delete>" {
			delete(v, k)
			continue
		}
		v[k] = val
	}
	return v
}

func errorTexts(errs []connectors.FieldError) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestValidate(t *testing.T) {
	info := checkInfo(t)
	oauth := func(method string, more map[string]string) map[string]string {
		m := map[string]string{"auth": "oauth", "signature_method": method, "api_key": "<delete>"}
		maps.Copy(m, more)
		return m
	}
	for _, tc := range []struct {
		name   string
		values connectors.Values
		want   []string
	}{
		{"all good", valid(nil), nil},
		{"nothing at all", connectors.Values{}, []string{
			"Name: required; enter a value", "Mode: required; choose one",
			"Store URL: required; enter a value", "Authentication: required; choose one"}},
		{"blank name", valid(map[string]string{"name": "  \t "}), []string{"Name: required; enter a value"}},
		{"values are trimmed before checks", valid(map[string]string{"store_url": "  https://shop.example  ", "retries": " 3 "}), nil},

		// required-when and visible-when: the common agent field.
		{"on-premise needs an agent", valid(map[string]string{"mode": "on-premise"}), []string{"Agent: required; choose one"}},
		{"on-premise with an agent", valid(map[string]string{"mode": "on-premise", "agent": "warehouse"}), nil},
		{"cloud ignores a stale agent", valid(map[string]string{"agent": "  "}), nil},
		{"unknown mode", valid(map[string]string{"mode": "hybrid"}), []string{"Mode: choose one of cloud, on-premise"}},

		// A secret required only for some signature methods.
		{"token needs the key", valid(map[string]string{"api_key": ""}), []string{"API key: required; enter a value"}},
		{"HMAC-SHA1 needs the secret", valid(oauth("HMAC-SHA1", nil)), []string{"Consumer secret: required; enter a value"}},
		{"HMAC-SHA256 needs the secret", valid(oauth("HMAC-SHA256", nil)), []string{"Consumer secret: required; enter a value"}},
		{"HMAC with the secret", valid(oauth("HMAC-SHA256", map[string]string{"consumer_secret": "s3cret"})), nil},
		{"a blank secret is no secret", valid(oauth("HMAC-SHA1", map[string]string{"consumer_secret": " \n"})), []string{"Consumer secret: required; enter a value"}},
		{"RSA needs the key, not the secret", valid(oauth("RSA-SHA256", nil)), []string{"Private key: required; enter a value"}},
		{"RSA with a PEM key", valid(oauth("RSA-SHA256", map[string]string{"private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"})), nil},
		{"OAuth needs a method", valid(oauth("", nil)), []string{"Signature method: required; choose one"}},
		{"unknown method", valid(oauth("PLAINTEXT", nil)), []string{"Signature method: choose one of HMAC-SHA1, HMAC-SHA256, RSA-SHA256"}},

		// Hidden fields are never checked, however wrong their values.
		{"hidden fields skipped", valid(map[string]string{"signature_method": "PLAINTEXT", "private_key": "junk", "consumer_secret": ""}), nil},
		{"hidden key skipped", valid(oauth("HMAC-SHA1", map[string]string{"api_key": "short", "consumer_secret": "x"})), nil},

		// Validate funcs: their text comes after the label.
		{"format check", valid(map[string]string{"store_url": "shop.example"}), []string{"Store URL: enter the address with https://"}},
		{"secret format check", valid(map[string]string{"api_key": "short"}), []string{"API key: must be 32 characters"}},
		{"secrets are not trimmed", valid(map[string]string{"api_key": goodKey + "\n"}), []string{"API key: must be 32 characters"}},
		{"PEM check", valid(oauth("RSA-SHA256", map[string]string{"private_key": "MIIEvQIBADANBg"})), []string{"Private key: paste the whole PEM key, from -----BEGIN to -----END"}},

		// Numbers.
		{"concurrency in range", valid(map[string]string{"concurrency_level": "25"}), nil},
		{"concurrency lowest", valid(map[string]string{"concurrency_level": "1"}), nil},
		{"concurrency too low", valid(map[string]string{"concurrency_level": "0"}), []string{"Concurrency level: enter a number from 1 to 25"}},
		{"concurrency too high", valid(map[string]string{"concurrency_level": "26"}), []string{"Concurrency level: enter a number from 1 to 25"}},
		{"not a number", valid(map[string]string{"concurrency_level": "five"}), []string{"Concurrency level: enter a whole number"}},
		{"not a whole number", valid(map[string]string{"concurrency_level": "2.5"}), []string{"Concurrency level: enter a whole number"}},
		{"empty optional number", valid(map[string]string{"concurrency_level": ""}), nil},
		{"no range: any whole number", valid(map[string]string{"retries": "-4"}), nil},
		{"no range: still a number", valid(map[string]string{"retries": "many"}), []string{"Retries: enter a whole number"}},
		{"only a minimum", valid(map[string]string{"page_size": "500"}), nil},
		{"below the minimum", valid(map[string]string{"page_size": "5"}), []string{"Page size: enter a number of at least 10"}},
		{"range up to zero", valid(map[string]string{"offset": "-30"}), nil},
		{"above a zero maximum", valid(map[string]string{"offset": "5"}), []string{"Clock offset: enter a number from -60 to 0"}},

		// Choices filled at run time accept any value; static ones are checked.
		{"borrow from any connection", valid(map[string]string{"borrow_concurrency_from": "Other shop"}), nil},
		{"auth choice checked", valid(map[string]string{"auth": "password"}), []string{"Authentication: choose one of token, oauth"}},

		// Booleans.
		{"bool true", valid(map[string]string{"verify_tls": "true"}), nil},
		{"bool 0", valid(map[string]string{"verify_tls": "0"}), nil},
		{"bool garbage", valid(map[string]string{"verify_tls": "maybe"}), []string{"Verify certificate: must be true or false"}},

		{"several at once, in field order", valid(map[string]string{"name": "", "store_url": "ftp", "concurrency_level": "99", "verify_tls": "y"}), []string{
			"Name: required; enter a value", "Store URL: enter the address with https://",
			"Verify certificate: must be true or false", "Concurrency level: enter a number from 1 to 25"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := maps.Clone(tc.values)
			errs := info.Validate(tc.values)
			if got := errorTexts(errs); !slices.Equal(got, append([]string{}, tc.want...)) {
				t.Errorf("Validate =\n  %q\nwant\n  %q", got, tc.want)
			}
			for _, e := range errs {
				f, ok := info.Field(e.Key)
				if !ok || e.Label != f.Label || e.Error() != e.Label+": "+e.Message {
					t.Errorf("FieldError %+v does not name its field", e)
				}
				if msg := f.Check(tc.values); msg != e.Message {
					t.Errorf("CheckField(%s) = %q, Validate said %q", e.Key, msg, e.Message)
				}
			}
			if !maps.Equal(before, tc.values) {
				t.Error("Validate changed the values")
			}
		})
	}
}

func TestCheckFieldAlone(t *testing.T) {
	f := connectors.Field{Key: "port", Label: "Port", Kind: connectors.KindNumber, Min: 1, Max: 65535, Required: true}
	for v, want := range map[string]string{"443": "", "": "required; enter a value", "0": "enter a number from 1 to 65535", "http": "enter a whole number"} {
		if got := f.Check(connectors.Values{"port": v}); got != want {
			t.Errorf("CheckField(port=%q) = %q, want %q", v, got, want)
		}
	}
	b := connectors.Field{Key: "on", Label: "On", Kind: connectors.KindBool, Required: true}
	if got := b.Check(connectors.Values{}); got != "required; choose yes or no" {
		t.Errorf("required bool: %q", got)
	}
}

func TestDefaults(t *testing.T) {
	info := checkInfo(t)
	in := connectors.Values{"name": "x", "auth": "oauth", "concurrency_level": ""}
	out := info.Defaults(in)
	want := connectors.Values{
		"name": "x", "auth": "oauth", // given values stay
		"concurrency_level": "", // an explicit empty value is the user's choice
		"mode":              "cloud", "verify_tls": "true", "request_timeout": "30",
	}
	if !maps.Equal(out, want) {
		t.Errorf("Defaults = %v, want %v", out, want)
	}
	if _, ok := in["mode"]; ok {
		t.Error("Defaults changed its argument")
	}
	if got := info.Defaults(nil); got["auth"] != "token" || got["concurrency_level"] != "1" {
		t.Errorf("Defaults of nothing = %v", got)
	}
	if errs := info.Validate(info.Defaults(connectors.Values{"name": "n", "store_url": "https://s", "api_key": goodKey})); len(errs) != 0 {
		t.Errorf("defaults must be valid: %v", errorTexts(errs))
	}
}

func TestNormalize(t *testing.T) {
	info := checkInfo(t)
	in := valid(map[string]string{"store_url": " https://shop.example/api/ "})
	out, notes := info.Normalize(in)
	if out["store_url"] != "https://shop.example" || !slices.Equal(notes, []string{"Store URL: removed /api at the end"}) {
		t.Errorf("Normalize = %q, notes %q", out["store_url"], notes)
	}
	if in["store_url"] != " https://shop.example/api/ " {
		t.Error("Normalize changed its argument")
	}
	out, notes = info.Normalize(valid(map[string]string{"store_url": "https://shop.example/"}))
	if out["store_url"] != "https://shop.example" || len(notes) != 0 {
		t.Errorf("a change without a note: %q, notes %q", out["store_url"], notes)
	}

	// Empty values are left alone: Normalize is not even called.
	normalizeCalls.Store(0)
	out, notes = info.Normalize(valid(map[string]string{"store_url": "  "}))
	if normalizeCalls.Load() != 0 || out["store_url"] != "  " || len(notes) != 0 {
		t.Errorf("empty value: %d calls, %q, %q", normalizeCalls.Load(), out["store_url"], notes)
	}

	// A hidden field is not normalised.
	hidden := connectors.Info{Fields: []connectors.Field{
		{Key: "mode"},
		{Key: "url", Label: "URL", VisibleWhen: []connectors.Condition{{Field: "mode", Values: []string{"direct"}}},
			Normalize: func(v string) (string, string) { return "rewritten", "changed" }},
	}}
	out, notes = hidden.Normalize(connectors.Values{"mode": "agent", "url": "x"})
	if out["url"] != "x" || len(notes) != 0 {
		t.Errorf("hidden field normalised: %q %q", out["url"], notes)
	}
	out, notes = hidden.Normalize(connectors.Values{"mode": "direct", "url": "x"})
	if out["url"] != "rewritten" || !slices.Equal(notes, []string{"URL: changed"}) {
		t.Errorf("visible field not normalised: %q %q", out["url"], notes)
	}
}

func TestWarnings(t *testing.T) {
	info := checkInfo(t)
	ws := info.Warnings(valid(map[string]string{"store_url": "http://shop.example", "private_key": "x"}))
	if len(ws) != 1 || ws[0].Key != "store_url" || ws[0].Label != "Store URL" ||
		ws[0].Error() != "Store URL: plain HTTP sends the key unencrypted" {
		t.Errorf("Warnings = %+v, want one about plain HTTP (the hidden private key is not warned about)", ws)
	}
	if ws := info.Warnings(valid(map[string]string{"store_url": "  http://shop.example  "})); len(ws) != 1 {
		t.Errorf("a padded value is warned about like the value itself: %+v", ws)
	}
	if ws := info.Warnings(valid(nil)); len(ws) != 0 {
		t.Errorf("Warnings for https = %+v, want none", ws)
	}
	if ws := info.Warnings(valid(oauthRSA(map[string]string{"private_key": "x"}))); len(ws) != 1 || ws[0].Key != "private_key" {
		t.Errorf("a visible field's warning: %+v", ws)
	}
	if ws := info.Warnings(valid(oauthRSA(map[string]string{"private_key": " "}))); len(ws) != 0 {
		t.Errorf("a blank value is not warned about: %+v", ws)
	}
}

func oauthRSA(more map[string]string) map[string]string {
	m := map[string]string{"auth": "oauth", "signature_method": "RSA-SHA256", "api_key": "<delete>"}
	maps.Copy(m, more)
	return m
}

func TestSplitSecrets(t *testing.T) {
	info := checkInfo(t)
	pem := "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
	values := connectors.Values{
		"name": "  My shop ", "mode": "cloud", "agent": "stale agent", // agent hidden in cloud mode
		"store_url": " https://shop.example ", "auth": "oauth", "signature_method": "RSA-SHA256",
		"api_key":         goodKey, // hidden: token auth is not chosen
		"consumer_secret": "",      // visible but empty: nothing to keep
		"private_key":     pem,
		"retries":         "",
		"unknown_field":   "dropped",
	}
	plain, secret := info.SplitSecrets(values)
	wantPlain := connectors.Values{"name": "My shop", "mode": "cloud", "store_url": "https://shop.example", "auth": "oauth", "signature_method": "RSA-SHA256", "retries": ""}
	if !maps.Equal(plain, wantPlain) {
		t.Errorf("plain = %q\nwant    %q", plain, wantPlain)
	}
	if !maps.Equal(secret, connectors.Values{"private_key": pem}) {
		t.Errorf("secret = %q, want only the PEM key, untouched", secret)
	}

	// Token auth: the key is kept exactly as typed, OAuth's secrets dropped.
	padded := " " + goodKey + "\n"
	plain, secret = info.SplitSecrets(connectors.Values{"name": "n", "auth": "token", "api_key": padded, "consumer_secret": "stale", "private_key": pem})
	if !maps.Equal(secret, connectors.Values{"api_key": padded}) {
		t.Errorf("secret = %q, want the key untrimmed and no hidden secret", secret)
	}
	if _, ok := plain["api_key"]; ok || len(plain) != 2 {
		t.Errorf("plain = %q: a secret must never land in the plain values", plain)
	}
	_, secret = info.SplitSecrets(connectors.Values{"auth": "token", "api_key": " \n "})
	if len(secret) != 0 {
		t.Errorf("a blank secret is not stored: %q", secret)
	}
	if p, s := info.SplitSecrets(nil); p == nil || s == nil || len(p)+len(s) != 0 {
		t.Error("SplitSecrets of nothing gives two empty, usable maps")
	}
}

// FuzzPrintableAndCheckName: what Printable returns never holds a control
// character a terminal would act on (line breaks and tabs aside), and a name
// CheckName accepts prints unchanged.
func FuzzPrintableAndCheckName(f *testing.F) {
	for _, s := range []string{"Shop", "Shop\x1b[31m", "a\nb", "\u202egnp", "\xff\xfe", "Obchod Žluťoučký"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := connectors.Printable(s)
		for _, r := range out {
			if r != '\n' && r != '\t' && (unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("Printable(%q) = %q keeps %U", s, out, r)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) is not valid UTF-8", s)
		}
		if connectors.CheckName(s) == "" && out != s {
			t.Fatalf("an accepted name %q prints as %q", s, out)
		}
	})
}
