package engine_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
	"storelink/vault"
)

func varsOf(vars []connectors.EnvVar) map[string]string {
	out := map[string]string{}
	for _, v := range vars {
		out[v.Name] = v.Value
	}
	return out
}

// One connection's variables carry its saved key from the keychain, and
// the engine's redactor masks the key from then on.
func TestEnvOfOneConnection(t *testing.T) {
	h := newHome(t)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": "127.0.0.1:8080", "api_key": pstest.DefaultKey, "use_https": "false"})
	vars, err := h.eng.Env("shop") // a name in other letters is the saved one's
	if err != nil {
		t.Fatal(err)
	}
	got := varsOf(vars)
	if got["STORELINK_NAME"] != "Shop" || got["STORELINK_URL"] != "http://127.0.0.1:8080" || got["PRESTASHOP_API_KEY"] != pstest.DefaultKey ||
		got["STORELINK_API_URL"] != "http://127.0.0.1:8080/api" {
		t.Errorf("variables %v", got)
	}
	if masked := h.eng.Redactor().String("key " + pstest.DefaultKey); strings.Contains(masked, pstest.DefaultKey[:8]) {
		t.Errorf("the redactor does not mask the key: %q", masked)
	}
}

// With several connections, each variable starts with its connection's
// name; two names that give one prefix are refused before any secret is
// read.
func TestEnvOfSeveralConnections(t *testing.T) {
	const czKey, skKey, cz2Key = "CZKEY0123456789ABCDEFGHIJKLMNOPQ", "SKKEY0123456789ABCDEFGHIJKLMNOPQ", "CZ2KEY0123456789ABCDEFGHIJKLMNOP"
	h := newHome(t)
	h.create("prestashop", connectors.Values{"name": "shop.cz", "store_url": "cz.example", "api_key": czKey})
	h.create("prestashop", connectors.Values{"name": "Shop SK", "store_url": "sk.example", "api_key": skKey})
	h.create("prestashop", connectors.Values{"name": "shop-cz", "store_url": "cz2.example", "api_key": cz2Key})
	vars, err := h.eng.Env("shop.cz", "Shop SK")
	if err != nil {
		t.Fatal(err)
	}
	got := varsOf(vars)
	if got["SHOP_CZ_PRESTASHOP_API_KEY"] != czKey || got["SHOP_SK_PRESTASHOP_API_KEY"] != skKey ||
		got["SHOP_CZ_STORELINK_URL"] != "https://cz.example" || got["SHOP_SK_STORELINK_NAME"] != "Shop SK" {
		t.Errorf("variables %v", got)
	}
	if _, plain := got["PRESTASHOP_API_KEY"]; plain {
		t.Error("an unprefixed variable is set with several connections")
	}
	_, err = h.eng.Env("shop.cz", "shop-cz")
	var ue *connectors.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "SHOP_CZ_") {
		t.Errorf("the same prefix twice: %v", err)
	}
}

// An on-premise connection's address answers only through its agent: a
// program handed it would reach nothing, or the wrong host.
func TestEnvRefusesOnPremiseAndUnknown(t *testing.T) {
	h := newHome(t)
	if _, err := h.store.Save(vault.Connection{Name: "Behind", App: "prestashop",
		Values: connectors.Values{"name": "Behind", "mode": "on-premise", "agent": "Office", "store_url": "shop.internal"}},
		connectors.Values{"api_key": "BEHINDKEY-0123456789"}, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Behind": `"Office"`, "Nobody": "storelink list"} {
		_, err := h.eng.Env(name)
		var ue *connectors.UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "BEHINDKEY") {
			t.Errorf("%s: %v, want a usage error naming %s", name, err, want)
		}
	}
}

// EnvNames names the variables without the keychain (a locked one does
// not stop --list), and a locked keychain stops Env with words saying so.
func TestEnvNamesNeedNoKeychain(t *testing.T) {
	h := newHome(t)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": "shop.example", "api_key": pstest.DefaultKey})
	h.secrets.Fail = func(op, key string) error { return errors.New("the keychain is locked") }
	names, err := h.eng.EnvNames("Shop")
	if err != nil || !slices.Contains(names, "PRESTASHOP_API_KEY") || !slices.Contains(names, "STORELINK_URL") {
		t.Errorf("names %v, %v", names, err)
	}
	if _, err := h.eng.Env("Shop"); err == nil || !strings.Contains(err.Error(), "unlock the keychain") {
		t.Errorf("Env with a locked keychain: %v", err)
	}
}
