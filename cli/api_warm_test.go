package cli

import (
	"testing"

	"storelink/connectors/prestashop/pstest"
)

// api, which reads the connection's secrets, starts connecting to the
// keychain before it opens the engine; list, which reads none, does not.
func TestAPIWarmsTheKeychainFirst(t *testing.T) {
	h, _ := apiHarness(t, pstest.Options{})
	warmed := 0
	h.warm = func() { warmed++ }
	if code, _, errs := h.run("", "api", "Shop", "/products"); code != 0 || warmed != 1 {
		t.Fatalf("api: exit %d, warmed %d times (%s)", code, warmed, errs)
	}
	if code, _, _ := h.run("", "list"); code != 0 || warmed != 1 {
		t.Errorf("list: exit %d, warmed %d times in all", code, warmed)
	}
	// Bad usage ends before anything is opened.
	if code, _, _ := h.run("", "api", "Shop"); code != ExitInvalid || warmed != 1 {
		t.Errorf("api without a path: exit %d, warmed %d times in all", code, warmed)
	}
}

// exec reads secrets too, so it warms the keychain; --list reads none.
func TestExecWarmsTheKeychainFirst(t *testing.T) {
	h, _ := apiHarness(t, pstest.Options{})
	warmed := 0
	h.warm = func() { warmed++ }
	if code, _, errs := h.run("", "exec", "Shop", "--", "true"); code != 0 || warmed != 1 {
		t.Fatalf("exec: exit %d, warmed %d times (%s)", code, warmed, errs)
	}
	if code, _, _ := h.run("", "exec", "--list", "Shop"); code != 0 || warmed != 1 {
		t.Errorf("exec --list: exit %d, warmed %d times in all", code, warmed)
	}
}
