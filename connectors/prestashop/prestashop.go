// Package prestashop tests connections to PrestaShop stores through their
// webservice: one GET of the root listing (/api/) with the key as the Basic
// user name tells whether the key works and what it may do, and each way it
// can fail is put into words a store owner can act on.
package prestashop

import (
	"strings"

	"storelink/connectors"
)

// ID is the application's stable identifier.
const ID = "prestashop"

// Field keys: part of the public contract (saved connections, CLI --set).
const (
	FieldStoreURL = "store_url"
	FieldAPIKey   = "api_key"
	FieldUseHTTPS = "use_https"
	// FieldRequestTimeout is common to every connector now; kept for callers.
	FieldRequestTimeout      = connectors.FieldRequestTimeout
	FieldRequiredPermissions = "required_permissions"
)

func init() { connectors.Register(Info()) }

// Info describes the PrestaShop application and its fields.
func Info() connectors.Info {
	return connectors.Info{
		ID:          ID,
		Title:       "PrestaShop",
		EnvPrefix:   "PRESTASHOP", // storelink exec sets PRESTASHOP_<FIELD KEY>
		Description: "PrestaShop 1.6, 1.7 and 8 stores through their webservice key.",
		Icon:        "prestashop.svg",
		Fields:      fields(),
		New:         func() connectors.Connector { return &Connector{} },
		Commands:    commands(),
		PlainHTTP:   plainHTTP,
		API:         api(),
		Words: connectors.ResultWords{
			Methods: methodWords,
			Values:  map[string]func(string) string{"patch": patchWords},
		},
	}
}

// methodWords are the back office's own words for the webservice
// permissions (Advanced Parameters > Webservice).
var methodWords = map[string]string{
	"GET": "View", "HEAD": "Fast view", "POST": "Add", "PUT": "Modify", "PATCH": "Modify in part", "DELETE": "Delete",
}

// patchWords: the webservice lists PATCH when a record can be changed in part.
func patchWords(v string) string {
	if strings.EqualFold(v, "true") {
		return "Yes: a change can send only the fields that change"
	}
	return "No: a change sends the whole record (PrestaShop 8 adds partial updates)"
}

// plainHTTP names the key when Use HTTPS is off.
func plainHTTP(v connectors.Values) (host, secret string) {
	if o := decode(v); !o.HTTPS && o.Store != "" {
		return o.host(), "API key"
	}
	return "", ""
}

func fields() []connectors.Field {
	return []connectors.Field{
		{
			Key: FieldStoreURL, Label: "Shop address", Kind: connectors.KindURL, Required: true, Address: true,
			Placeholder: "shop.example",
			Help:        "The shop's address as the browser shows its front page, like shop.example or shop.example/shop; https:// is not needed (Use HTTPS in Advanced decides). A pasted full or back-office address is tidied up for you.",
			Validate:    validateStoreURL,
			Normalize:   NormalizeStoreURL,
		},
		{
			Key: FieldAPIKey, Label: "API key", Kind: connectors.KindSecret, Required: true,
			Help:      "The 32-character webservice key from Advanced Parameters > Webservice in your back office. Generate one here, then paste it into Add new webservice key, tick its permissions and save.",
			Validate:  validateKey,
			Warn:      warnKey,
			Generator: &connectors.Generator{Label: "Generate", Make: GenerateKey},
		},
		{
			Key: FieldUseHTTPS, Label: "Use HTTPS", Kind: connectors.KindBool, Default: "true", Advanced: true, Address: true,
			Help: "Talk to the shop over HTTPS. Turn off only for a shop that has no certificate, such as a test shop on this computer; the key then travels unencrypted.",
		},
		{
			Key: FieldRequiredPermissions, Label: "Required permissions", Kind: connectors.KindText, Advanced: true,
			Placeholder: "products: View, Modify; customers: View",
			Help:        "What the key must be allowed to do, in the words of its Permissions table: products: View, Modify; customers: View (View, Add, Modify, Delete, Fast view). The test fails and lists what is missing.",
			Validate:    validateRequirements,
			Normalize:   NormalizeRequirements,
		},
	}
}

// options are a connection's values, decoded and typed.
type options struct {
	Store    string // host[:port][/folder], normalised
	Key      string
	HTTPS    bool
	Required []requirement
	// requiredErr keeps a malformed required_permissions for the test to report.
	requiredErr error
}

func decode(v connectors.Values) options {
	store, _ := NormalizeStoreURL(v.String(FieldStoreURL))
	req, err := parseRequirements(v.String(FieldRequiredPermissions))
	return options{
		Store:       store,
		Key:         strings.TrimSpace(v[FieldAPIKey]),
		HTTPS:       v.Bool(FieldUseHTTPS, true),
		Required:    req,
		requiredErr: err,
	}
}

// base is the shop's address with scheme, without a trailing slash.
func (o options) base() string { return connectors.SiteBase(o.Store, o.HTTPS) }

// host is the store's host[:port].
func (o options) host() string { return connectors.SiteHost(o.Store) }
