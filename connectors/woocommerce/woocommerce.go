// Package woocommerce tests connections to WooCommerce stores through the
// WooCommerce REST API (wc/v3) as WC_REST_Authentication decides them:
// HTTP Basic (or the key in the query) over HTTPS, OAuth 1.0a one-legged
// signatures over plain HTTP. One anonymous read of the WordPress index, one
// authenticated read of system_status and one POST that WooCommerce refuses
// or routes to nowhere tell whether the key works and whether it may read
// and write, without changing any data.
package woocommerce

import (
	"strings"

	"storelink/connectors"
)

// ID is the application's stable identifier.
const ID = "woocommerce"

// Field keys: part of the public contract (saved connections, CLI --set).
const (
	FieldStoreURL       = "store_url"
	FieldConsumerKey    = "consumer_key"
	FieldConsumerSecret = "consumer_secret"
	FieldUseHTTPS       = "use_https"
	FieldAuthMethod     = "auth_method"
	FieldRequiredAccess = "required_access"
)

// Values of auth_method.
const (
	AuthAuto   = "auto"
	AuthBasic  = "basic"
	AuthQuery  = "query"
	AuthOAuth1 = "oauth1"
)

// Values of required_access, as WooCommerce names a key's permissions.
const (
	AccessRead      = "read"
	AccessWrite     = "write"
	AccessReadWrite = "read_write"
)

// keysPage is where a store owner makes and finds keys, in messages.
const keysPage = "WooCommerce > Settings > Advanced > REST API"

func init() { connectors.Register(Info()) }

// Info describes the WooCommerce application and its fields.
func Info() connectors.Info {
	return connectors.Info{
		ID:          ID,
		Title:       "WooCommerce",
		EnvPrefix:   "WOOCOMMERCE", // storelink exec sets WOOCOMMERCE_<FIELD KEY>
		Description: "WooCommerce stores on WordPress through their REST API keys (ck_... and cs_...).",
		Icon:        "woocommerce.svg",
		Fields:      fields(),
		New:         func() connectors.Connector { return &Connector{} },
		PlainHTTP:   plainHTTP,
		AdminURL:    func(v connectors.Values) string { return adminURL(decode(v)) },
		API:         api(),
	}
}

// adminURL is WordPress's dashboard, where WooCommerce's settings live.
func adminURL(o options) string {
	if o.Store == "" {
		return ""
	}
	return o.base() + "/wp-admin/"
}

// plainHTTP names what crosses the network in clear when Use HTTPS is off:
// with OAuth 1.0a only the consumer key and a signature do, never the secret.
func plainHTTP(v connectors.Values) (host, secret string) {
	if o := decode(v); !o.HTTPS && o.Store != "" {
		return o.host(), "consumer key"
	}
	return "", ""
}

func fields() []connectors.Field {
	return []connectors.Field{
		{
			Key: FieldStoreURL, Label: "Shop address", Kind: connectors.KindURL, Required: true, Address: true,
			Placeholder: "shop.example",
			Help:        "The address of your WordPress site, without http:// or https://, like shop.example or shop.example/wordpress. A pasted address of wp-admin, wp-json or wp-login.php is tidied up for you.",
			Validate:    validateStoreURL,
			Normalize:   NormalizeStoreURL,
		},
		{
			Key: FieldConsumerKey, Label: "Consumer key", Kind: connectors.KindSecret, Required: true,
			Placeholder: "ck_...",
			Help:        "The key starting with ck_ that " + keysPage + " shows once when you add a key. Click Add key, choose the user and the permissions, click Generate API key and copy both values.",
			Validate:    validateConsumerKey,
		},
		{
			Key: FieldConsumerSecret, Label: "Consumer secret", Kind: connectors.KindSecret, Required: true,
			Placeholder: "cs_...",
			Help:        "The secret starting with cs_, shown next to the consumer key only once, when the key is generated. If it is lost, revoke the key in " + keysPage + " and add a new one.",
			Validate:    validateConsumerSecret,
		},
		{
			Key: FieldUseHTTPS, Label: "Use HTTPS", Kind: connectors.KindBool, Default: "true", Advanced: true, Address: true,
			Help: "Talk to the shop over HTTPS. Turn off only for a shop without a certificate, such as a test shop on this computer: WooCommerce then accepts only OAuth 1.0a signatures, which Storelink makes for you.",
		},
		{
			Key: FieldAuthMethod, Label: "Authentication", Kind: connectors.KindChoice, Default: AuthAuto, Advanced: true,
			Choices: []connectors.Choice{
				{Value: AuthAuto, Label: "Automatic", Help: "HTTP Basic over HTTPS, an OAuth 1.0a signature over plain HTTP, as WooCommerce expects; if the server drops the Authorization header, the key is tried in the address and the test warns."},
				{Value: AuthBasic, Label: "HTTP Basic", Help: "The key as user name and the secret as password, over HTTPS only."},
				{Value: AuthQuery, Label: "Key in the address", Help: "consumer_key and consumer_secret in the query string, over HTTPS only: for servers that drop the Authorization header. The secret then ends up in server logs."},
				{Value: AuthOAuth1, Label: "OAuth 1.0a", Help: "A one-legged HMAC-SHA256 signature: the secret never travels. The only way WooCommerce accepts over plain HTTP."},
			},
			Help: "How the key travels to the shop. Automatic fits almost every shop.",
		},
		{
			Key: FieldRequiredAccess, Label: "Required access", Kind: connectors.KindChoice, Default: AccessRead, Advanced: true,
			Choices: []connectors.Choice{
				{Value: AccessRead, Label: "Read"},
				{Value: AccessWrite, Label: "Write"},
				{Value: AccessReadWrite, Label: "Read/Write"},
			},
			Help: "What your integration needs the key to do. The test fails when the key's permissions in " + keysPage + " do not allow it; finding out writes nothing.",
		},
	}
}

// options are a connection's values, decoded and typed.
type options struct {
	Store    string // host[:port][/folder], normalised
	Key      string
	Secret   string
	HTTPS    bool
	Auth     string
	Required string
}

func decode(v connectors.Values) options {
	store, _ := NormalizeStoreURL(v.String(FieldStoreURL))
	auth := v.String(FieldAuthMethod)
	if auth == "" {
		auth = AuthAuto
	}
	req := v.String(FieldRequiredAccess)
	if req == "" {
		req = AccessRead
	}
	return options{
		Store:    store,
		Key:      strings.TrimSpace(v[FieldConsumerKey]),
		Secret:   strings.TrimSpace(v[FieldConsumerSecret]),
		HTTPS:    v.Bool(FieldUseHTTPS, true),
		Auth:     auth,
		Required: req,
	}
}

// base is the site's address with scheme, without a trailing slash.
func (o options) base() string { return connectors.SiteBase(o.Store, o.HTTPS) }

// host is the store's host[:port].
func (o options) host() string { return connectors.SiteHost(o.Store) }

func (o options) needsRead() bool  { return o.Required == AccessRead || o.Required == AccessReadWrite }
func (o options) needsWrite() bool { return o.Required == AccessWrite || o.Required == AccessReadWrite }
