//go:build e2e

// e2e_edit_test.go: the real binary keeps a pass with warnings as one, keeps
// saved secrets in an edit, and never sends them to a new store address
// without --keep-secrets-for-new-address.
package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"storelink/connectors/prestashop/pstest"
)

// listedConnection is what the E2E tests read of one `list --json` entry
// (e2e_transfer_test.go used it before it was declared anywhere).
type listedConnection struct {
	Name   string            `json:"name"`
	Values map[string]string `json:"values"`
	Last   *struct {
		OK         bool   `json:"ok"`
		Code       string `json:"code"`
		Unverified bool   `json:"unverified"`
		Message    string `json:"message"`
		Reason     string `json:"reason"`
		Warnings   []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"warnings"`
	} `json:"last_verification"`
}

func (b *binary) listed() map[string]listedConnection {
	b.t.Helper()
	code, out, errs := b.run("", "list", "--json")
	if code != 0 {
		b.t.Fatalf("list --json: %d %s", code, errs)
	}
	var list []listedConnection
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		b.t.Fatalf("list --json: %v\n%s", err, out)
	}
	got := map[string]listedConnection{}
	for _, l := range list {
		got[l.Name] = l
	}
	return got
}

func TestE2EEditKeepsSecretsButNotForANewAddress(t *testing.T) {
	b := newBinary(t)
	key := pstest.DefaultKey
	stripped := pstest.New(pstest.Options{StripAuthHeader: true})
	defer stripped.Close()
	elsewhere := pstest.New(pstest.Options{}) // takes the same key: it must never see it unasked
	defer elsewhere.Close()
	create := func(name, url string, more ...string) {
		t.Helper()
		args := append([]string{"create", "--app", "prestashop", "--name", name, "--set", "store_url=" + url, "--set", "use_https=false", "--secrets-stdin"}, more...)
		if code, _, errs := b.run(`{"api_key":"`+key+`"}`, args...); code != 0 {
			t.Fatalf("create %s: %d %s", name, code, errs)
		}
	}
	create("Shop", hostPort(t, stripped.URL))

	// The pass with a warning is saved as one, in list --json and in words.
	shop := b.listed()["Shop"]
	if shop.Last == nil || !shop.Last.OK || len(shop.Last.Warnings) != 1 || shop.Last.Warnings[0].Code != "auth_header_stripped" || shop.Last.Warnings[0].Message == "" {
		t.Fatalf("last_verification: %+v", shop.Last)
	}
	if _, out, _ := b.run("", "list"); !strings.Contains(out, ", 1 warning") {
		t.Errorf("list does not count the warning: %q", out)
	}

	// An edit that keeps the address keeps the saved key, tested with it.
	code, _, errs := b.run("", "edit", "Shop", "--set", "concurrency_level=2")
	if code != 0 {
		t.Fatalf("edit keeping the key: %d %s", code, errs)
	}
	if got := b.listed()["Shop"]; got.Values["concurrency_level"] != "2" || len(got.Last.Warnings) != 1 {
		t.Errorf("after the edit: %+v", got)
	}

	// A new address: refused, nothing sent there, nothing changed.
	moved := "store_url=" + hostPort(t, elsewhere.URL)
	code, out, errs := b.run("", "edit", "Shop", "--set", moved)
	if code != 2 {
		t.Fatalf("edit to a new address: exit %d, want 2 (%s)", code, errs)
	}
	for _, want := range []string{"Shop address: " + hostPort(t, stripped.URL) + " → " + hostPort(t, elsewhere.URL), "saved API key is not sent there", "--secrets-stdin", "--keep-secrets-for-new-address"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the refusal does not say %q: %s", want, errs)
		}
	}
	if n := len(elsewhere.Hits()); n != 0 {
		t.Fatalf("the new address got %d requests", n)
	}
	if got := b.listed()["Shop"]; got.Values["store_url"] != hostPort(t, stripped.URL) {
		t.Errorf("the refused edit changed the address: %+v", got.Values)
	}
	// HTTPS on is a new scheme: the same rule.
	if code, _, errs := b.run("", "edit", "Shop", "--set", "use_https=true"); code != 2 || !strings.Contains(errs, "Use HTTPS") {
		t.Errorf("turning HTTPS on: %d %s", code, errs)
	}

	// The owner's word sends the saved key; the test and the save use it.
	code, out, errs = b.run("", "edit", "Shop", "--set", moved, "--keep-secrets-for-new-address")
	if code != 0 || len(elsewhere.Hits()) == 0 {
		t.Fatalf("confirmed: %d %s %s", code, out, errs)
	}
	if got := b.listed()["Shop"]; got.Values["store_url"] != hostPort(t, elsewhere.URL) || !got.Last.OK || len(got.Last.Warnings) != 0 {
		t.Errorf("after the confirmed edit: %+v %+v", got.Values, got.Last)
	}
	// Typed again: no word needed.
	code, _, errs = b.run(`{"api_key":"`+key+`"}`, "edit", "Shop", "--set", "store_url="+hostPort(t, stripped.URL), "--secrets-stdin")
	if code != 0 {
		t.Fatalf("typed again: %d %s", code, errs)
	}
	// Only an edit has saved secrets to keep.
	if code, _, errs := b.run(`{"api_key":"`+key+`"}`, "create", "--app", "prestashop", "--name", "New", "--set", "store_url=x.example",
		"--secrets-stdin", "--keep-secrets-for-new-address"); code != 2 || !strings.Contains(errs, "is for edit") {
		t.Errorf("create with the flag: %d %s", code, errs)
	}

	// Test all counts the warned apart.
	create("Plain", hostPort(t, elsewhere.URL))
	off := pstest.New(pstest.Options{Disabled: true})
	defer off.Close()
	create("Off", hostPort(t, off.URL), "--no-verify")
	code, _, errs = b.run("", "test", "--all")
	if code != 1 || !strings.Contains(errs, "1 passed, 1 with warnings, 1 failed.") {
		t.Errorf("test --all: %d %q", code, errs)
	}
	b.assertNoLeak(key, out, errs)
}
