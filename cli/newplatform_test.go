package cli

// newplatform_test.go: a fourth platform is one package and one import.
// The throw-away platform in internal/testplatform appears in apps and help,
// its command runs, and it is created, tested, edited and renamed through
// the command line with no change here.

import (
	"encoding/json"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/internal/testplatform"
)

func TestAFourthPlatformNeedsOnlyItsPackage(t *testing.T) {
	h := newHarness(t)
	h.reg = connectors.Default // what main uses: platforms register themselves
	srv := testplatform.NewServer(t)

	code, out, _ := h.run("", "apps", "--json")
	var apps []map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &apps) != nil || !strings.Contains(out, `"id":"acme"`) {
		t.Fatalf("apps: %d %s", code, out)
	}
	if _, help, _ := h.run("", "help"); !strings.Contains(help, "acme hello") || !strings.Contains(help, "say hello from the Acme platform") {
		t.Errorf("help lists the platform's command:\n%s", help)
	}
	if code, out, _ := h.run("", "acme", "hello"); code != 0 || out != "hello from acme\n" {
		t.Errorf("acme hello: %d %q", code, out)
	}
	if code, _, _ := h.run("", "acme", "nope"); code != ExitInvalid {
		t.Errorf("an unknown platform command: exit %d", code)
	}

	code, out, stderr := h.run(`{"token":"`+testplatform.Token+`"}`, "create", "--app", "acme", "--name", "Acme",
		"--set", "shop_url="+srv.URL, "--secrets-stdin", "--json")
	if code != 0 || !strings.Contains(out, `"code":"ok"`) {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	if code, out, _ := h.run("", "test", "Acme", "--json"); code != 0 || !strings.Contains(out, `"shop_name":"Acme Test Store"`) {
		t.Fatalf("test: %d %s", code, out)
	}
	// A second store with the same token: edit changes the URL, keeps the token.
	other := testplatform.NewServer(t)
	if code, out, stderr := h.run("", "edit", "Acme", "--set", "shop_url="+other.URL, "--rename", "Acme 2"); code != 0 {
		t.Fatalf("edit: %d %s %s", code, out, stderr)
	}
	code, out, _ = h.run("", "list", "--json")
	var list []listed
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].Name != "Acme 2" ||
		list[0].Values["shop_url"] != other.URL || list[0].Last == nil || !list[0].Last.OK {
		t.Fatalf("after edit: %d %s", code, out)
	}
	// A wrong token fails its test: nothing changes.
	code, _, stderr = h.run(`{"token":"wrong"}`, "edit", "Acme 2", "--secrets-stdin")
	if code != ExitFailed || !strings.Contains(stderr, "not saved") {
		t.Fatalf("edit with a wrong token: %d %s", code, stderr)
	}
	if code, _, _ := h.run("", "test", "Acme 2"); code != 0 {
		t.Error("the saved token is unchanged")
	}
	if code, _, stderr := h.run("", "edit", "Acme 2", "--set", "token=x"); code != ExitInvalid || !strings.Contains(stderr, "secret") {
		t.Errorf("secrets never on the command line: %d %s", code, stderr)
	}
	if code, _, stderr := h.run("", "edit", "Nope"); code != ExitInvalid || !strings.Contains(stderr, `"Nope"`) {
		t.Errorf("edit of an unknown name: %d %s", code, stderr)
	}
}

func TestSavingWithoutVerifyingStillWarnsAboutPlainHTTP(t *testing.T) {
	h := newHarness(t)
	h.reg = connectors.Default
	code, _, stderr := h.run(`{"token":"t0ken-value"}`, "create", "--app", "acme", "--name", "Remote",
		"--set", "shop_url=http://shop.example", "--secrets-stdin", "--no-verify")
	if code != 0 || !strings.Contains(stderr, "warning: insecure_http: The API token travels unencrypted over plain HTTP to shop.example") {
		t.Errorf("--no-verify over plain HTTP: %d %s", code, stderr)
	}
	code, _, stderr = h.run(`{"token":"t0ken-value"}`, "create", "--app", "acme", "--name", "Local",
		"--set", "shop_url=http://127.0.0.1:8080", "--secrets-stdin", "--no-verify")
	if code != 0 || strings.Contains(stderr, "insecure_http") {
		t.Errorf("plain HTTP to this computer earns no warning: %d %s", code, stderr)
	}
}
