// Package upgates connects Storelink to Upgates e-shops through the Upgates
// API v2: the fields of a connection, the test (GET {api_url}/status), the
// lockout guard that keeps Storelink from getting an address blocked, and the
// add-on installation request (signature_v2) that hands over the credentials.
//
// What the Upgates API v2 documentation says, and where it is silent, is
// cited next to the code that depends on it. The documentation is the apiary
// blueprint https://upgatesapiv2.docs.apiary.io/api-description-document
// (copy read: mcp-open/upgates-com-mcp dev-docs/upgatesapiv2.apib).
package upgates

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"storelink/connectors"
)

// ID is the application's stable identifier.
const ID = "upgates"

// Field keys: part of the public contract (saved connections, CLI flags).
const (
	FieldAPIURL        = "api_url"
	FieldAPIUser       = "api_user"
	FieldAPIKey        = "api_key"
	FieldLanguage      = "language"
	FieldPublicKeyFile = "public_key_file"
	// FieldRequestTimeout is common to every connector now; kept for callers.
	FieldRequestTimeout = connectors.FieldRequestTimeout
)

// APIPath ends every Upgates API URL ("Základní informace": the API lives at
// https://NAZEV-ESHOPU.admin.ZNACKA-SERVERU.upgates.com/api/v2).
const APIPath = "/api/v2"

// MaxConcurrency: "Na API je možno provádět pouze 3 souběžné požadavky" (API
// docs, Rate Limiting / Souběžné požadavky); a 4th gets 429.
const MaxConcurrency = 3

// Languages are the administration languages of the installation request
// (current_admin_language, ISO 639-1).
var Languages = []connectors.Choice{{Value: "cs", Label: "Czech"}, {Value: "sk", Label: "Slovak"}, {Value: "en", Label: "English"}}

// DefaultLanguage is what a connection gets when nothing says otherwise.
const DefaultLanguage = "cs"

func init() { connectors.Register(Info()) }

// Options adjust what InfoWith returns.
type Options struct {
	// PublicKeyURL is where the importer fetches Upgates' signature public
	// key; "" means DefaultPublicKeyURL.
	PublicKeyURL string
}

// Info describes the Upgates application; Register adds the common fields.
// Each call has a Connector of its own: the program registers one, so every
// test in the process takes turns through it.
func Info() connectors.Info { return InfoWith(Options{}) }

// InfoWith is Info with options (tests point the importer at a key server).
func InfoWith(o Options) connectors.Info {
	c := newConnector(o)
	return connectors.Info{
		ID:                   ID,
		Title:                "Upgates",
		EnvPrefix:            "UPGATES", // storelink exec sets UPGATES_<FIELD KEY>
		Description:          "Upgates e-shops through the Upgates API v2 (API login and key, or the add-on installation request).",
		Icon:                 "upgates.svg",
		Fields:               fields(),
		New:                  func() connectors.Connector { return c },
		AdminURL:             adminURL,
		MaxConcurrency:       MaxConcurrency,
		MaxConcurrencyReason: "Upgates allows at most 3 concurrent API requests per API access group and answers 429 to a fourth.",
		Importer:             c.importer(),
		Commands:             commands(),
		PlainHTTP:            plainHTTP,
		API:                  c.api(),
		Words: connectors.ResultWords{
			Privileges: map[string]string{
				PrivilegeAll: "Read and write", PrivilegeReadonly: "Read only", PrivilegeDeny: "No access",
			},
			Values: map[string]func(string) string{"language": languageName},
		},
	}
}

// languageName is a language code in words ("cs": "Czech"), the code when unknown.
func languageName(code string) string {
	for _, l := range Languages {
		if strings.EqualFold(l.Value, code) {
			return l.Label
		}
	}
	return code
}

func fields() []connectors.Field {
	return []connectors.Field{
		{Key: FieldAPIURL, Label: "Shop address", Kind: connectors.KindURL, Required: true, Address: true,
			Placeholder: "https://myshop.admin.s15.upgates.com/api/v2",
			Help:        "The shop's API address as the Upgates admin shows it under Add-ons > API, like https://myshop.admin.s15.upgates.com/api/v2; /api/v2 is added if it is missing.",
			Validate:    validateAPIURL, Normalize: NormalizeAPIURL, Warn: warnAPIURL},
		{Key: FieldAPIUser, Label: "API login", Kind: connectors.KindText, Required: true,
			Help: "The login of the API access created in the Upgates admin under Add-ons > API. Each connection should have its own access, limited to the services it needs."},
		{Key: FieldAPIKey, Label: "API key", Kind: connectors.KindSecret, Required: true,
			Help: "The key (password) of that API access. It is kept in the system keychain."},
		{Key: FieldLanguage, Label: "Administration language", Kind: connectors.KindChoice, Default: DefaultLanguage, Choices: Languages,
			Help: "The language the Upgates administration is shown in, taken from an imported installation request. Storelink keeps it with the connection; the API itself does not use it."},
		{Key: FieldPublicKeyFile, Label: "Signature public key file", Kind: connectors.KindFile, Advanced: true, Validate: validatePublicKeyFile,
			Help: "A PEM file with Upgates' signature public key, for checking installation requests without going online. Empty: the key is fetched from " + DefaultPublicKeyURL + "."},
	}
}

// options are a connection's values, typed.
type options struct {
	APIURL        string
	APIUser       string
	APIKey        string
	Language      string
	PublicKeyFile string
	normalizeNote string // what NormalizeAPIURL changed, "" if nothing
}

func decode(v connectors.Values) options {
	u, note := NormalizeAPIURL(v.String(FieldAPIURL))
	lang := v.String(FieldLanguage)
	if lang == "" {
		lang = DefaultLanguage
	}
	return options{
		APIURL:        u,
		APIUser:       v.String(FieldAPIUser),
		APIKey:        v.String(FieldAPIKey),
		Language:      lang,
		PublicKeyFile: v.String(FieldPublicKeyFile),
		normalizeNote: note,
	}
}

// NormalizeAPIURL turns what was pasted into the canonical API URL: https://
// added when no scheme was given, a trailing slash or a pasted endpoint
// (".../api/v2/status") cut back to /api/v2, and /api/v2 added when missing.
// An address that tidying would point elsewhere (another scheme, a space
// inside, a bad port) is returned as typed, trimmed, for validateAPIURL to
// refuse.
func NormalizeAPIURL(raw string) (normalized, note string) {
	out, note, err := parseAPIURL(raw)
	if err != nil {
		return strings.TrimSpace(raw), ""
	}
	return out, note
}

const apiURLExample = "https://myshop.admin.s15.upgates.com/api/v2"

var errAPIURL = errors.New("is not a web address; copy it from the Upgates admin (Add-ons > API), like " + apiURLExample)

func parseAPIURL(raw string) (normalized, note string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", nil
	}
	if err := connectors.CheckAddressText(s, apiURLExample); err != nil {
		return "", "", err
	}
	if err := connectors.CheckScheme(s, apiURLExample); err != nil {
		return "", "", err
	}
	var notes []string
	if !strings.Contains(s, "://") {
		s = "https://" + strings.TrimPrefix(s, "//")
		notes = append(notes, "added https://")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" || u.Hostname() == "" {
		return "", "", errAPIURL
	}
	if err := connectors.CheckPort(u.Port()); err != nil {
		return "", "", err
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.TrimSuffix(strings.ToLower(u.Host), ":") // an empty port is the default one
	if slices.Contains(strings.Split(u.Path, "/"), "..") {
		return "", "", errors.New(`must not contain ".." in its path; copy the API address from the Upgates admin (Add-ons > API)`)
	}
	u.RawQuery, u.Fragment = "", ""
	if u.User != nil { // a pasted user:password@ must not be saved or shown
		u.User = nil
		notes = append(notes, "removed a user name or password from the address")
	}
	path := strings.TrimRight(u.Path, "/")
	// Lower-cased byte for byte: strings.ToLower may change the length
	// (invalid UTF-8 becomes U+FFFD), and i indexes path.
	switch i := strings.Index(strings.ToLower(asciiOnly(path+"/")), APIPath+"/"); {
	case i >= 0:
		if len(path) > i+len(APIPath) {
			notes = append(notes, "cut "+path[i+len(APIPath):]+" after "+APIPath)
		}
		path = path[:i+len(APIPath)]
	default:
		path += APIPath
		notes = append(notes, "added "+APIPath)
	}
	u.Path, u.RawPath = path, ""
	out := u.String()
	if len(notes) == 0 {
		return out, "", nil
	}
	return out, "The Shop address was completed: " + strings.Join(notes, ", ") + ".", nil
}

// asciiOnly replaces every non-ASCII byte with one '?', keeping offsets.
func asciiOnly(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 0x80 {
			b[i] = '?'
		}
	}
	return string(b)
}

func validateAPIURL(v string) error {
	n, _, err := parseAPIURL(v)
	if err != nil {
		return err
	}
	u, err := url.Parse(n)
	if err != nil || u.Host == "" {
		return errAPIURL
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return errors.New("must start with https://")
	}
	return nil
}

func warnAPIURL(v string) string {
	n, _ := NormalizeAPIURL(v)
	if u, err := url.Parse(n); err == nil && u.Scheme == "http" && !connectors.IsLocalHost(u.Host) {
		return "uses plain HTTP: the API key would cross the network unencrypted; Upgates serves its API over https://"
	}
	return ""
}

// plainHTTP names the API key when the API URL is http://.
func plainHTTP(v connectors.Values) (host, secret string) {
	if u, err := url.Parse(decode(v).APIURL); err == nil && u.Scheme == "http" {
		return u.Host, "API key"
	}
	return "", ""
}

// Connector tests Upgates connections and imports installation requests.
// The tests and imports made through one Connector share its state.
type Connector struct {
	// turns serialises the logins to one API host (host -> a one-slot
	// semaphore); stateMu serialises the read-modify-write of the guard's
	// state entry. Two Storelink processes testing the same host at the same
	// moment are not serialised: the guard's margin of one attempt is what
	// is left for that.
	turns   sync.Map
	stateMu sync.Mutex
	// keys are the KeySources of Upgates' published key, one per cache
	// folder: the key is kept in memory and in ImportEnv.CacheDir with the
	// date it was fetched, and fetched again when it is older than a day or a
	// signature does not verify.
	keys   sync.Map // cache dir -> *KeySource
	keyURL string
}

var _ connectors.Connector = (*Connector)(nil)

func newConnector(o Options) *Connector {
	keyURL := o.PublicKeyURL
	if keyURL == "" {
		keyURL = DefaultPublicKeyURL
	}
	return &Connector{keyURL: keyURL}
}

// Test verifies the credentials with one GET {api_url}/status.
func (c *Connector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	opts := decode(cfg.Values)
	if r, bad := opts.check(); bad {
		return r
	}
	host := opts.host()

	var warnings []connectors.Warning
	if opts.normalizeNote != "" {
		warnings = append(warnings, connectors.Warning{Code: connectors.CodeNormalized, Message: opts.normalizeNote})
	}

	// One login at a time per API host: tests run side by side (Test all)
	// must not pass the guard together and lock the address out between them.
	unlock, err := c.lockHost(ctx, host)
	if err != nil {
		r, _ := connectors.FromContext(ctx)
		r.Warnings = warnings
		return r
	}
	defer unlock()
	guard := &guard{store: cfg.State, now: cfg.Clock, mu: &c.stateMu}
	if r, refused := guard.refuse(host, cfg.Force); refused {
		r.Warnings = append(warnings, r.Warnings...)
		return r
	}

	cfg.Step("Asking " + host + " for the API status...")
	resp, err := cfg.HTTP.Do(ctx, connectors.Request{
		URL: opts.APIURL + "/status",
		Header: map[string][]string{
			"Authorization": {basicAuth(opts.APIUser, opts.APIKey)},
			"Accept":        {"application/json"},
		},
		// A 301 means the shop moved to another server: it must come back to
		// us, not be followed with the credentials.
		FollowRedirects: false,
	})
	var r connectors.Result
	if err != nil {
		r = connectors.FailFromError(err)
	} else {
		r = classify(resp, answerContext{red: cfg.HTTP.Redactor(), opts: opts, host: host, guard: guard, now: cfg.Clock()})
	}
	r.Warnings = append(warnings, r.Warnings...)
	if r.Server.Extra == nil {
		r.Server.Extra = map[string]string{}
	}
	r.Server.Extra["language"] = opts.Language
	return r
}

// check refuses values a login cannot be made with, before any request.
func (o options) check() (connectors.Result, bool) {
	for _, req := range []struct{ key, label, value string }{
		{FieldAPIURL, "Shop address", o.APIURL}, {FieldAPIUser, "API login", o.APIUser}, {FieldAPIKey, "API key", o.APIKey},
	} {
		if req.value == "" {
			return connectors.Fail(connectors.CodeInvalidInput, req.label+" is empty.", "Fill in "+req.label+" as shown in the Upgates admin under Add-ons > API."), true
		}
	}
	if err := validateAPIURL(o.APIURL); err != nil {
		return connectors.Fail(connectors.CodeInvalidInput, "Shop address "+err.Error()+".", "Copy the API address from the Upgates admin (Add-ons > API)."), true
	}
	return connectors.Result{}, false
}

// host is the API URL's host, lower-cased: what the guard counts by.
func (o options) host() string {
	u, err := url.Parse(o.APIURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

func fmtCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// adminURL is the administration the API address belongs to: the API
// address without /api/v2 (https://myshop.admin.s15.upgates.com/).
func adminURL(v connectors.Values) string {
	s, _, err := parseAPIURL(v.String(FieldAPIURL))
	if err != nil || s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/"
}
