// Package magento2 tests connections to Magento 2 (Adobe Commerce) stores
// through their REST API: an integration's OAuth 1.0 credentials with any
// of seven signature methods, a pasted access token, or an admin login that
// is exchanged for a fresh token at every test. Up to four cheap protected
// reads tell whether Magento accepts the credentials and what they may read,
// and each of Magento's own refusals is put into words.
package magento2

import (
	"net/url"
	"strings"

	"storelink/connectors"
	"storelink/connectors/oauth1"
)

// ID is the application's stable identifier.
const ID = "magento2"

// Field keys: part of the public contract (saved connections, CLI --set).
const (
	FieldBaseURI         = "base_uri"
	FieldAuthType        = "auth_type"
	FieldUsername        = "username"
	FieldPassword        = "password"
	FieldSignatureMethod = "signature_method"
	FieldConsumerKey     = "consumer_key"
	FieldConsumerSecret  = "consumer_secret"
	FieldAccessToken     = "access_token"
	FieldTokenSecret     = "token_secret"
	FieldPrivateKey      = "private_key"
	FieldRealm           = "realm"
	FieldStoreCode       = "store_code"
	// FieldRequestTimeout is common to every connector now; kept for callers.
	FieldRequestTimeout = connectors.FieldRequestTimeout
)

// Authentication types.
const (
	AuthOAuth1 = "oauth1"
	AuthToken  = "token"
	AuthAdmin  = "admin"
)

const defaultMethod = oauth1.HMACSHA256

func init() { connectors.Register(Info()) }

// Info describes the Magento 2 application and its fields.
func Info() connectors.Info {
	return connectors.Info{
		ID:          ID,
		Title:       "Magento 2",
		EnvPrefix:   "MAGENTO", // storelink exec sets MAGENTO_<FIELD KEY>
		Description: "Magento 2 and Adobe Commerce stores through their REST API: OAuth 1.0 integrations, access tokens or an admin login.",
		Icon:        "magento2.svg",
		Fields:      fields(),
		New:         func() connectors.Connector { return &Connector{} },
		PlainHTTP:   plainHTTP,
		API:         api(),
	}
}

// plainHTTP names what an http:// Base URI would expose: PLAINTEXT sends
// both OAuth secrets as the signature, a token or password goes as it is;
// HMAC and RSA signatures give no secret away.
func plainHTTP(v connectors.Values) (host, secret string) {
	o := decode(v)
	u, err := url.Parse(o.Base)
	if err != nil || u.Scheme != "http" {
		return "", ""
	}
	switch {
	case o.Auth == AuthOAuth1 && o.Method == oauth1.PLAINTEXT:
		return u.Host, "consumer secret and token secret"
	case o.Auth == AuthToken:
		return u.Host, "access token"
	case o.Auth == AuthAdmin:
		return u.Host, "admin password"
	}
	return u.Host, ""
}

// The empty value stands for the field's default, so a form or a saved
// connection that never set auth_type or signature_method still shows and
// requires the right fields.
var (
	whenOAuth  = connectors.Condition{Field: FieldAuthType, Values: []string{AuthOAuth1, ""}}
	whenAdmin  = connectors.Condition{Field: FieldAuthType, Values: []string{AuthAdmin}}
	whenBearer = connectors.Condition{Field: FieldAuthType, Values: []string{AuthOAuth1, AuthToken, ""}}
	whenSecret = connectors.Condition{Field: FieldSignatureMethod, Values: []string{
		oauth1.HMACSHA1, oauth1.HMACSHA256, oauth1.HMACSHA512, oauth1.PLAINTEXT, ""}}
	whenRSA = connectors.Condition{Field: FieldSignatureMethod, Values: []string{oauth1.RSASHA1, oauth1.RSASHA256, oauth1.RSASHA512}}
)

func fields() []connectors.Field {
	methods := make([]connectors.Choice, len(oauth1.Methods))
	for i, m := range oauth1.Methods {
		methods[i] = connectors.Choice{Value: m, Label: m, Help: methodHelp[m]}
	}
	oauth := []connectors.Condition{whenOAuth}
	oauthSecret := []connectors.Condition{whenOAuth, whenSecret}
	oauthRSA := []connectors.Condition{whenOAuth, whenRSA}
	return []connectors.Field{
		{
			Key: FieldBaseURI, Label: "Shop address", Kind: connectors.KindURL, Required: true, Address: true,
			Placeholder: "https://shop.example/rest",
			Help:        "The store's address followed by /rest, like https://shop.example/rest. A pasted storefront or back-office address becomes .../rest; /index.php/rest and /rest/<store code> work too.",
			Validate:    validateBaseURI,
			Normalize:   NormalizeBaseURI,
		},
		{
			Key: FieldAuthType, Label: "Authentication type", Kind: connectors.KindChoice, Required: true, Default: AuthOAuth1,
			Choices: []connectors.Choice{
				{Value: AuthOAuth1, Label: "OAuth 1.0 (integration)",
					Help: "The four keys of an integration you create in System > Extensions > Integrations sign every request: the usual choice, and the one that works on stores with two-factor sign-in. " +
						"The integration's API tab decides what Storelink may read."},
				{Value: AuthToken, Label: "Access token",
					Help: "One token is sent with every request (as Bearer), for a token your developer or an extension gave you. " +
						"An integration's access token works this way on Magento 2.4.4 and later only when Stores > Configuration > Services > OAuth > Consumer Settings allows it; otherwise choose OAuth 1.0."},
				{Value: AuthAdmin, Label: "Admin user name and password",
					Help: "Storelink signs in as an admin user at every test and gets a fresh token, which is never stored; it does not work when the admin sign-in asks for a two-factor code. " +
						"Six wrong passwords lock the user for 30 minutes."},
			},
			Help: "OAuth 1.0 signs every request with an integration's four keys. Access token sends a token as Bearer. Admin login asks Magento for a fresh admin token at every test; the token is never stored.",
		},
		{
			Key: FieldUsername, Label: "Admin user name", Kind: connectors.KindText,
			VisibleWhen: []connectors.Condition{whenAdmin}, RequiredWhen: []connectors.Condition{whenAdmin},
			Help: "The user name you sign in to the Magento admin with. Stores with two-factor authentication need an integration instead.",
		},
		{
			Key: FieldPassword, Label: "Admin password", Kind: connectors.KindSecret,
			VisibleWhen: []connectors.Condition{whenAdmin}, RequiredWhen: []connectors.Condition{whenAdmin},
			Help: "The admin user's password. Six wrong attempts lock the account for 30 minutes.",
		},
		{
			Key: FieldSignatureMethod, Label: "Signature method", Kind: connectors.KindChoice, Default: defaultMethod,
			Choices: methods, VisibleWhen: oauth, RequiredWhen: oauth,
			Help: "How requests are signed. Magento 2.4.4 and later accept only HMAC-SHA256; earlier versions HMAC-SHA1 and HMAC-SHA256. The others are for stores with an extended OAuth module.",
		},
		{
			Key: FieldConsumerKey, Label: "Consumer key", Kind: connectors.KindText,
			VisibleWhen: oauth, RequiredWhen: oauth, Validate: validateKey32,
			Help: "The integration's consumer key, from System > Extensions > Integrations > (your integration) > Integration Details.",
		},
		{
			Key: FieldConsumerSecret, Label: "Consumer secret", Kind: connectors.KindSecret,
			VisibleWhen: oauthSecret, RequiredWhen: oauthSecret,
			Help: "The integration's consumer secret, shown next to the consumer key.",
		},
		{
			Key: FieldAccessToken, Label: "Access token", Kind: connectors.KindSecret,
			VisibleWhen: []connectors.Condition{whenBearer}, RequiredWhen: []connectors.Condition{whenBearer},
			Help: "The integration's access token (OAuth), or the token to send as Bearer (Access token).",
		},
		{
			Key: FieldTokenSecret, Label: "Token secret", Kind: connectors.KindSecret,
			VisibleWhen: oauthSecret, RequiredWhen: oauthSecret,
			Help: "The integration's access token secret, shown below the access token.",
		},
		{
			Key: FieldPrivateKey, Label: "Consumer private key", Kind: connectors.KindMultilineSecret,
			VisibleWhen: oauthRSA, RequiredWhen: oauthRSA, Validate: validatePrivateKey,
			Help: "The RSA private key requests are signed with, in PEM form (PKCS#1 or PKCS#8, without a passphrase). The store must know the matching public key.",
		},
		{
			Key: FieldRealm, Label: "OAuth realm", Kind: connectors.KindText, VisibleWhen: oauth, Advanced: true,
			Help: "Leave empty unless the store's developer gives you one. It is sent with every request, outside the signature.",
		},
		{
			Key: FieldStoreCode, Label: "Store code", Kind: connectors.KindText, Advanced: true, Validate: validateStoreCode,
			Placeholder: "default",
			Help:        "The store view to read from, like default or en. Empty uses the default store view (or the code in the Shop address).",
		},
	}
}

// methodHelp is the hint shown while a signature method is chosen.
var methodHelp = map[string]string{
	oauth1.HMACSHA256: "Accepted by every Magento 2 version, and the only method 2.4.4 and later accept.",
	oauth1.HMACSHA1:   "For Magento 2.4.3 and earlier only; 2.4.4 and later refuse it, so choose HMAC-SHA256 there.",
	oauth1.HMACSHA512: "Only for a store whose OAuth module was extended to accept it; stock Magento refuses it.",
	oauth1.RSASHA1:    "Only for a store whose OAuth module was extended to accept RSA keys; you enter a private key instead of the consumer and token secrets.",
	oauth1.RSASHA256:  "Only for a store whose OAuth module was extended to accept RSA keys; you enter a private key instead of the consumer and token secrets.",
	oauth1.RSASHA512:  "Only for a store whose OAuth module was extended to accept RSA keys; you enter a private key instead of the consumer and token secrets.",
	oauth1.PLAINTEXT:  "Only for a store whose OAuth module was extended to accept it, and only over https: it sends both secrets as they are.",
}

// options are a connection's values, decoded and typed.
type options struct {
	Base      string // .../rest, without the store code
	StoreCode string // "" for the default store view
	BaseNote  string // what NormalizeBaseURI changed
	Auth      string
	Username  string
	Password  string
	Method    string
	// OAuth
	ConsumerKey, ConsumerSecret, AccessToken, TokenSecret string
	PrivateKeyPEM                                         string
	Realm                                                 string
	storeConflict                                         string // store codes in Base URI and store_code differ
}

func decode(v connectors.Values) options {
	base, note := NormalizeBaseURI(v.String(FieldBaseURI))
	rest, fromURI := SplitBaseURI(base)
	code := strings.TrimSpace(v.String(FieldStoreCode))
	conflict := ""
	if fromURI != "" && code != "" && fromURI != code {
		conflict = fromURI
	}
	if code == "" {
		code = fromURI
	}
	auth := v.String(FieldAuthType)
	if auth == "" {
		auth = AuthOAuth1
	}
	method := strings.ToUpper(v.String(FieldSignatureMethod))
	if method == "" {
		method = defaultMethod
	}
	return options{
		Base: rest, StoreCode: code, BaseNote: note, Auth: auth,
		Username: v.String(FieldUsername), Password: v[FieldPassword],
		Method:      method,
		ConsumerKey: v.String(FieldConsumerKey), ConsumerSecret: v.String(FieldConsumerSecret),
		AccessToken: v.String(FieldAccessToken), TokenSecret: v.String(FieldTokenSecret),
		PrivateKeyPEM: strings.TrimSpace(v[FieldPrivateKey]),
		Realm:         v.String(FieldRealm),
		storeConflict: conflict,
	}
}

// api is the address of a route for the chosen store view.
func (o options) api(route string) string {
	if o.StoreCode != "" {
		return o.Base + "/" + o.StoreCode + route
	}
	return o.Base + route
}
