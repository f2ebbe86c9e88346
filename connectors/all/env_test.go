package all

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"storelink/connectors"
)

func envMap(vars []connectors.EnvVar) map[string]string {
	out := map[string]string{}
	for _, v := range vars {
		out[v.Name] = v.Value
	}
	return out
}

// Every platform's connections get the documented variables (issue 22's
// names exactly: STORELINK_URL, PRESTASHOP_API_KEY, MAGENTO_CONSUMER_KEY),
// with the store's address and its scheme, and none of Storelink's own
// pacing and routing settings.
func TestEnvVarsOfEveryPlatform(t *testing.T) {
	cases := []struct {
		app    string
		values connectors.Values
		want   map[string]string
		absent []string
	}{
		{"prestashop", connectors.Values{"name": "Shop", "store_url": "Shop.example/shop/", "api_key": "KEY1234567890"},
			map[string]string{"STORELINK_NAME": "Shop", "STORELINK_APP": "prestashop", "STORELINK_URL": "https://shop.example/shop",
				"STORELINK_API_URL": "https://shop.example/shop/api", "PRESTASHOP_API_KEY": "KEY1234567890",
				"PRESTASHOP_STORE_URL": "shop.example/shop", "PRESTASHOP_USE_HTTPS": "true"}, nil},
		{"magento2", connectors.Values{"name": "M", "base_uri": "https://m.example/rest", "auth_type": "oauth1",
			"consumer_key": "ck", "consumer_secret": "cs", "access_token": "at", "token_secret": "ts", "password": "stale"},
			map[string]string{"STORELINK_URL": "https://m.example/rest", "MAGENTO_CONSUMER_KEY": "ck", "MAGENTO_CONSUMER_SECRET": "cs",
				"MAGENTO_ACCESS_TOKEN": "at", "MAGENTO_TOKEN_SECRET": "ts", "MAGENTO_AUTH_TYPE": "oauth1"},
			[]string{"MAGENTO_PASSWORD", "MAGENTO2_CONSUMER_KEY"}}, // hidden with OAuth 1.0
		{"woocommerce", connectors.Values{"name": "W", "store_url": "wp.example", "use_https": "false", "consumer_key": "ck_1", "consumer_secret": "cs_1"},
			map[string]string{"STORELINK_URL": "http://wp.example", "WOOCOMMERCE_CONSUMER_KEY": "ck_1", "WOOCOMMERCE_CONSUMER_SECRET": "cs_1"}, nil},
		{"shopify", connectors.Values{"name": "S", "shop": "demo.myshopify.com", "access_token": "shpat_1"},
			map[string]string{"STORELINK_URL": "https://demo.myshopify.com", "SHOPIFY_ACCESS_TOKEN": "shpat_1"},
			[]string{"SHOPIFY_CLIENT_SECRET"}},
		{"upgates", connectors.Values{"name": "U", "api_url": "https://u.admin.s1.upgates.com/api/v2", "api_user": "user", "api_key": "k"},
			map[string]string{"STORELINK_URL": "https://u.admin.s1.upgates.com/api/v2", "UPGATES_API_USER": "user", "UPGATES_API_KEY": "k"}, nil},
	}
	common := []string{"MODE", "AGENT", "CONCURRENCY_LEVEL", "BORROW_CONCURRENCY_FROM", "NAME"}
	for _, c := range cases {
		info, ok := connectors.Lookup(c.app)
		if !ok {
			t.Fatalf("%s is not registered", c.app)
		}
		values := c.values.Clone()
		values["mode"], values["concurrency_level"] = "cloud", "3"
		got := envMap(connectors.EnvVars(info, values))
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q (all: %v)", c.app, k, got[k], v, slices.Sorted(maps.Keys(got)))
			}
		}
		for _, k := range c.absent {
			if _, ok := got[k]; ok {
				t.Errorf("%s: %s is set", c.app, k)
			}
		}
		prefix := connectors.EnvPrefixOf(info)
		for _, k := range common {
			if _, ok := got[prefix+"_"+k]; ok {
				t.Errorf("%s: %s_%s is set, though it means nothing to a program", c.app, prefix, k)
			}
		}
		// Every variable is one the documentation lists.
		documented := map[string]bool{}
		for _, v := range connectors.EnvNames(info) {
			documented[v.Name] = true
		}
		for k := range got {
			if !documented[k] {
				t.Errorf("%s: %s is set but EnvNames does not list it", c.app, k)
			}
		}
	}
}

// A variable is a secret exactly when its field is one, so the output of
// the program masks what the keychain holds.
func TestEnvVarsMarkSecrets(t *testing.T) {
	for _, info := range connectors.All() {
		for _, v := range connectors.EnvNames(info) {
			if v.Key == "" {
				continue
			}
			f, _ := info.Field(v.Key)
			if v.Secret != f.IsSecret() || !strings.HasPrefix(v.Name, connectors.EnvPrefixOf(info)+"_") {
				t.Errorf("%s: %s secret=%v, field %s secret=%v", info.ID, v.Name, v.Secret, f.Key, f.IsSecret())
			}
		}
	}
}
