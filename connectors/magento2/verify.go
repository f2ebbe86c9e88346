package magento2

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"storelink/connectors"
	"storelink/connectors/oauth1"
	"storelink/redact"
)

// Connector tests one Magento 2 connection.
type Connector struct{}

var _ connectors.Connector = (*Connector)(nil)

// Where store owners act, used in hints.
const (
	integrationsPage = "System > Extensions > Integrations"
	headerAdvice     = "On Apache with PHP as CGI/FPM add to the store's .htaccess: " + htaccessLine + "; on nginx make sure " + nginxLine + " is set."
	htaccessLine     = "RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]"
	nginxLine        = "fastcgi_param HTTP_AUTHORIZATION $http_authorization;"
)

// headerSteps are what to do when the web server drops the Authorization header.
var headerSteps = []connectors.Step{
	connectors.CopyStep("On Apache with PHP as CGI or FPM, add this line to the .htaccess file in the store's folder.", htaccessLine),
	connectors.CopyStep("On nginx, add this line to the block that passes requests to PHP, then reload nginx.", nginxLine),
	{Text: "Test again."},
}

// probe is one cheap protected read and the ACL resource it needs
// (from the modules' etc/webapi.xml).
type probe struct {
	name, route, resource string
}

var probes = []probe{
	{"store configuration", "/V1/store/storeConfigs", "Magento_Backend::store"},
	{"products", "/V1/products?" + url.PathEscape("searchCriteria[pageSize]") + "=1", "Magento_Catalog::products"},
	{"orders", "/V1/orders?" + url.PathEscape("searchCriteria[pageSize]") + "=1", "Magento_Sales::actions_view"},
	{"modules", "/V1/modules", "Magento_Backend::admin"},
}

// Test signs (or sends a token with) up to four reads and judges the answers.
func (c *Connector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	o := decode(cfg.Values)
	t := &tester{ctx: ctx, cfg: cfg, o: o}
	if r, bad := t.prepare(); bad {
		return r
	}
	t.client = cfg.HTTP
	t.redactor = cfg.HTTP.Redactor()
	r := t.run()
	if t.unrewritten {
		r = t.tryIndexPHP(r)
	}
	if o.BaseNote != "" && o.Base != "" {
		r.Warn(connectors.CodeNormalized, "Shop address: "+o.BaseNote)
	}
	return r
}

type tester struct {
	ctx      context.Context
	cfg      connectors.Config
	o        options
	client   *connectors.Client
	redactor *redact.Redactor
	signer   oauth1.Signer
	bearer   string // token auth and admin login
	base     string // the last signature base string, token masked
	// unrewritten: the first request got the web server's 404, not
	// Magento's; Magento may answer under /index.php/rest.
	unrewritten bool
}

// tryIndexPHP tests again at .../index.php/rest when .../rest was the web
// server's 404, as a server without URL rewrites answers. When Magento
// answers there, its result stands (passing or not) with a rewrite_missing
// warning and the fix to use that address; otherwise first stands.
func (t *tester) tryIndexPHP(first connectors.Result) connectors.Result {
	if first.Code != connectors.CodeNotAPI || strings.HasSuffix(strings.ToLower(t.o.Base), "/index.php/rest") {
		return first
	}
	alt := *t
	alt.o.Base = strings.TrimSuffix(t.o.Base, "/rest") + "/index.php/rest"
	alt.base, alt.unrewritten, alt.bearer = "", false, ""
	t.cfg.Step("No API at /rest; trying /index.php/rest...")
	r := alt.run()
	if r.Code == connectors.CodeNotAPI && alt.unrewritten {
		return first
	}
	value := alt.o.Base
	if _, code := SplitBaseURI(t.fieldBase()); code != "" {
		value += "/" + code
	}
	r.Warn(connectors.CodeRewriteMissing, connectors.Text(
		"Magento's API answers only at {address}: the web server does not rewrite /rest to index.php, so the Shop address must include /index.php.",
		"address", alt.o.Base))
	r.Fixes = append(r.Fixes, connectors.Fix{Label: "Use the address with /index.php", Field: FieldBaseURI, Value: value})
	r.Technical = append(r.Technical, connectors.Tech("Address tried first", t.o.Base+" (the web server's 404 Not Found)", "Address that answered", alt.o.Base)...)
	return r
}

// fieldBase is the Base URI as typed, normalised, store code included.
func (t *tester) fieldBase() string {
	n, _ := NormalizeBaseURI(t.cfg.Values.String(FieldBaseURI))
	return n
}

func invalid(msg, hint string) (connectors.Result, bool) {
	return connectors.Fail(connectors.CodeInvalidInput, msg, hint), true
}

// prepare checks the values and builds the signer, before any request.
func (t *tester) prepare() (connectors.Result, bool) {
	o := t.o
	switch {
	case o.Base == "":
		return invalid("Shop address is empty.", "Enter the store's REST address, like https://shop.example/rest.")
	case validateBaseURI(o.Base) != nil:
		return invalid("Shop address "+validateBaseURI(o.Base).Error()+".", "Copy the store's address from the browser and add /rest, like https://shop.example/rest.")
	case o.storeConflict != "":
		return invalid(fmt.Sprintf("The Shop address names the store view %q but Store code says %q.", o.storeConflict, o.StoreCode),
			"Keep the store code in one place: remove it from the Shop address or empty the Store code field.")
	case o.StoreCode != "" && validateStoreCode(o.StoreCode) != nil:
		return invalid("Store code: "+validateStoreCode(o.StoreCode).Error()+".", "Find the code in Stores > All Stores > (store view) > Code.")
	}
	switch o.Auth {
	case AuthAdmin:
		if o.Username == "" || o.Password == "" {
			return invalid("Admin user name and password are both needed.", "Enter the user name and password you sign in to the Magento admin with.")
		}
		return connectors.Result{}, false
	case AuthToken:
		if o.AccessToken == "" {
			return invalid("Access token is empty.", "Paste the token to send as Bearer.")
		}
		return connectors.Result{}, false
	case AuthOAuth1:
	default:
		return invalid(fmt.Sprintf("Authentication type %q is not one of oauth1, token, admin.", o.Auth), "Choose OAuth 1.0, Access token or Admin login.")
	}
	known := false
	for _, m := range oauth1.Methods {
		known = known || m == o.Method
	}
	switch {
	case !known:
		return invalid(fmt.Sprintf("Signature method %q is not one of %s.", o.Method, strings.Join(oauth1.Methods, ", ")), "Choose HMAC-SHA256 unless the store asks for another.")
	case o.ConsumerKey == "":
		return invalid("Consumer key is empty.", "Copy it from "+integrationsPage+" > (your integration) > Integration Details.")
	case o.AccessToken == "":
		return invalid("Access token is empty.", "Copy it from "+integrationsPage+" > (your integration) > Integration Details.")
	}
	var key *rsa.PrivateKey
	if oauth1.IsRSA(o.Method) {
		if o.PrivateKeyPEM == "" {
			return invalid("Consumer private key is empty; "+o.Method+" signs with it.", "Paste the PEM private key whose public key the store knows.")
		}
		k, err := oauth1.ParsePrivateKey([]byte(o.PrivateKeyPEM))
		if err != nil {
			return invalid("Consumer private key: "+err.Error()+".", "Paste the whole PEM key, from -----BEGIN to -----END.")
		}
		key = k
	} else if o.ConsumerSecret == "" || o.TokenSecret == "" {
		return invalid("Consumer secret and token secret are both needed for "+o.Method+".", "Copy them from "+integrationsPage+" > (your integration) > Integration Details.")
	}
	signer, err := oauth1.NewSigner(oauth1.SignerConfig{Method: o.Method, ConsumerSecret: o.ConsumerSecret, PrivateKey: key})
	if err != nil {
		return invalid(err.Error(), "Choose another signature method.")
	}
	t.signer = signer
	return connectors.Result{}, false
}

func (t *tester) host() string {
	if u, err := url.Parse(t.o.Base); err == nil {
		return u.Host
	}
	return t.o.Base
}

func (t *tester) how() string {
	switch t.o.Auth {
	case AuthOAuth1:
		return "OAuth " + t.o.Method
	case AuthToken:
		return "the access token"
	}
	return "the admin login"
}

// get sends one signed or token-carrying GET.
func (t *tester) get(u string) (*connectors.Response, error) {
	req := connectors.Request{Method: http.MethodGet, URL: u, Header: http.Header{"Accept": {"application/json"}}}
	if err := t.authorize(&req); err != nil {
		return nil, err
	}
	return t.client.Do(t.ctx, req)
}

// authorize adds the credentials to req: an OAuth 1.0 signature over its
// method, its whole URL and, for a form body, the form's parameters (RFC
// 5849 3.4.1.3; other bodies are not signed), or the Bearer token.
func (t *tester) authorize(req *connectors.Request) error {
	if t.signer == nil {
		req.Header.Set("Authorization", "Bearer "+t.bearer)
		return nil
	}
	var form url.Values
	if ct, _, _ := strings.Cut(req.Header.Get("Content-Type"), ";"); strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded") {
		f, err := url.ParseQuery(string(req.Body))
		if err != nil {
			return fmt.Errorf("The form body cannot be signed: %w", err)
		}
		form = f
	}
	s, err := t.sign(oauth1.Request{Method: req.Method, URL: req.URL, Form: form})
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", s.Header)
	return nil
}

func (t *tester) sign(req oauth1.Request) (oauth1.Signed, error) {
	s, err := oauth1.Sign(req,
		oauth1.Credentials{ConsumerKey: t.o.ConsumerKey, Token: t.o.AccessToken, TokenSecret: t.o.TokenSecret, Signer: t.signer, Realm: t.o.Realm},
		oauth1.Options{Now: t.cfg.Clock()})
	if err != nil {
		return s, err
	}
	t.base = t.mask(s.BaseString)
	return s, nil
}

// mask hides the access token (in every encoding) and any known secret.
func (t *tester) mask(s string) string {
	if tok := t.o.AccessToken; len(tok) >= 4 {
		for _, form := range []string{oauth1.PercentEncode(oauth1.PercentEncode(tok)), oauth1.PercentEncode(tok), tok} {
			s = strings.ReplaceAll(s, form, redact.Mask)
		}
	}
	return t.redactor.String(s)
}

type outcome int

const (
	granted outcome = iota
	denied          // "The consumer isn't authorized to access %resources."
	failed          // anything else
)

func (t *tester) run() connectors.Result {
	if t.o.Auth == AuthAdmin {
		if r, ok := t.adminLogin(); !ok {
			return r
		}
	} else if t.o.Auth == AuthToken {
		t.bearer = t.o.AccessToken
	}
	var (
		r       connectors.Result
		allowed []probe
		missing []string // ACL resource IDs
		store   *storeConfig
	)
	for i, p := range probes {
		if i == 0 {
			t.cfg.Step("Reading the store configuration from " + t.host() + " with " + t.how() + "...")
		} else {
			t.cfg.Step("Checking whether the credentials may read " + p.name + "...")
		}
		resp, err := t.get(t.o.api(p.route))
		if err != nil {
			if len(allowed) == 0 {
				return t.netFail(err)
			}
			r.AddCheck("Read "+p.name, false, connectors.FailFromError(err).Message)
			continue
		}
		switch kind, acl := classify(resp); kind {
		case granted:
			allowed = append(allowed, p)
			r.AddCheck("Read "+p.name, true, "allowed ("+p.resource+")")
			if i == 0 {
				store = parseStoreConfig(resp.Body, t.o.StoreCode)
			}
		case denied:
			if acl == "" {
				acl = p.resource
			}
			missing = append(missing, acl)
			r.AddCheck("Read "+p.name, false, "not allowed: needs "+aclWords(acl))
		default:
			if len(allowed) == 0 && len(missing) == 0 {
				return t.finish(t.diagnose(resp), nil)
			}
			d := t.diagnose(resp)
			r.AddCheck("Read "+p.name, false, d.Message)
		}
	}
	if len(allowed) == 0 {
		return t.finish(t.noneAllowed(missing), r.Checks)
	}
	names := make([]string, len(allowed))
	for i, p := range allowed {
		names[i] = p.name
		r.Permissions = append(r.Permissions, connectors.Permission{Resource: p.resource, Title: ACLTitle(p.resource), Methods: []string{http.MethodGet}})
	}
	ok := connectors.Success(fmt.Sprintf("Magento accepts %s. It may read %s.", t.how(), strings.Join(names, ", ")))
	ok.Checks, ok.Permissions = r.Checks, r.Permissions
	ok.Presentation = connectors.Presentation{
		Headline: connectors.Text("Magento accepts {how}", "how", t.how()),
		Reason:   connectors.Text("Storelink may read {what}.", "what", strings.Join(names, ", ")),
	}
	if len(missing) > 0 {
		ok.Message += " Not allowed: " + strings.Join(aclList(missing), ", ") + "."
		ok.Reason += " " + connectors.Text("It may not read {what}.", "what", strings.Join(aclNames(missing), ", "))
		ok.Steps = connectors.Steps(
			"Only when Storelink needs these reads: open "+integrationsPage+", edit the integration and grant the missing resources on its API tab.",
			"Save, click Reauthorize, and test again.")
		ok.Technical = missingTech(missing)
	}
	t.describeServer(&ok, store)
	return t.finish(ok, nil)
}

// aclList names each resource with its title and ID.
func aclList(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = aclWords(id)
	}
	return out
}

// aclNames names each resource by its place in the admin's tree, the ID
// when it has none; the IDs go to the technical details.
func aclNames(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if out[i] = ACLTitle(id); out[i] == "" {
			out[i] = id
		}
	}
	return out
}

func missingTech(ids []string) []connectors.Detail {
	return connectors.Tech("Missing ACL resources", strings.Join(ids, ", "))
}

// finish adds the checks made so far and the masked base string.
func (t *tester) finish(r connectors.Result, checks []connectors.Check) connectors.Result {
	r.Checks = append(checks, r.Checks...)
	if t.base != "" {
		r.AddCheck("Signature base string (token masked)", r.OK, t.base)
	}
	if r.Server.Platform == "" && r.Code != connectors.CodeNotAPI && r.Code != connectors.CodeUnreachable && r.Code != connectors.CodeTimeout && r.Code != connectors.CodeTLS {
		r.Server.Platform = "Magento 2"
	}
	return r
}

func (t *tester) describeServer(r *connectors.Result, sc *storeConfig) {
	r.Server.Platform = "Magento 2"
	r.Server.URL = t.o.api("")
	if sc == nil {
		return
	}
	r.Server.Extra = map[string]string{}
	add := func(k, v string) {
		if v != "" {
			r.Server.Extra[k] = v
		}
	}
	add("store_code", sc.Code)
	add("base_url", sc.BaseURL)
	add("secure_base_url", sc.SecureBaseURL)
	add("locale", sc.Locale)
	add("currency", sc.BaseCurrency)
	add("display_currency", sc.DisplayCurrency)
	add("timezone", sc.Timezone)
	if sc.BaseURL != "" {
		r.Message += fmt.Sprintf(" Store %s: %s, %s, %s.", sc.Code, sc.BaseURL, sc.Locale, sc.BaseCurrency)
		r.Technical = append(r.Technical, connectors.Tech("Store view", sc.Code, "Store address", sc.BaseURL, "Locale", sc.Locale, "Currency", sc.BaseCurrency, "Time zone", sc.Timezone)...)
	}
}

// classify sorts a probe's answer.
func classify(resp *connectors.Response) (outcome, string) {
	if resp.Status == http.StatusOK && json.Valid(resp.Body) && isJSON(resp) {
		return granted, ""
	}
	if e, ok := parseError(resp.Body); ok && e.Message == msgNotAuthorized {
		return denied, e.param("resources")
	}
	return failed, ""
}

func isJSON(resp *connectors.Response) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return ct == "" || strings.Contains(ct, "json")
}

// noneAllowed explains a test where every read was refused for lack of
// permission.
func (t *tester) noneAllowed(missing []string) connectors.Result {
	needs := strings.Join(aclList(missing), ", ")
	tech := missingTech(missing)
	grant := connectors.Text("On the integration's API tab, grant {resources} (or All) and save.", "resources", strings.Join(aclNames(missing), ", "))
	switch t.o.Auth {
	case AuthOAuth1:
		// Magento answers the same to a guest and to an integration without
		// these resources; a deliberately wrong signature tells them apart.
		t.cfg.Step("Every read was refused; checking whether Magento sees the signature at all...")
		resp, err := t.tampered()
		if err == nil {
			if e, ok := parseError(resp.Body); ok {
				switch e.Message {
				case msgNotAuthorized:
					return connectors.Fail(connectors.CodeAuthHeaderStripped,
						"Magento never sees the Authorization header: a request with a wrong signature was refused the same way as the right one, as for a visitor who is not signed in.",
						headerAdvice).With(connectors.Presentation{
						Headline:  "The web server drops the key before Magento sees it",
						Reason:    "A request with a wrong signature was refused the same way as the right one: Magento never receives the Authorization header.",
						Steps:     headerSteps,
						Technical: tech,
					})
				case msgSignatureInvalid:
					return connectors.Fail(connectors.CodeForbidden,
						"The OAuth signature is valid, but the integration may read none of: "+needs+".",
						"In "+integrationsPage+" edit the integration, open API, grant these resources (or All), save and click Reauthorize. Make sure the integration's status is Active.").With(connectors.Presentation{
						Headline: "The integration may not read anything Storelink checks",
						Reason:   "Magento accepts the keys, but the integration has none of the API resources the test reads.",
						Steps: connectors.Steps("Open "+integrationsPage+" and edit the integration.", grant,
							"Click Reauthorize, check that the integration's status is Active, and test again."),
						Technical: tech,
					})
				}
			}
		}
		return connectors.Fail(connectors.CodeForbidden,
			"Magento refused every read: the integration may read none of "+needs+", or the web server drops the Authorization header.",
			"In "+integrationsPage+" check the integration is Active and has these resources under API. "+headerAdvice).With(connectors.Presentation{
			Headline: "Magento refused every read",
			Reason:   "The integration may lack the API resources the test reads, or the web server drops the Authorization header.",
			Steps: append(connectors.Steps("Open "+integrationsPage+" and check that the integration's status is Active.", grant),
				headerSteps...),
			Technical: tech,
		})
	case AuthToken:
		return t.tokenRefused(missing)
	}
	return connectors.Fail(connectors.CodeForbidden,
		"The admin user signed in, but its role may read none of: "+needs+".",
		"In System > Permissions > User Roles give the user's role these resources, or use an integration.").With(connectors.Presentation{
		Headline: "The admin user's role may not read anything Storelink checks",
		Reason:   "Magento accepted the sign-in, but the user's role has none of the resources the test reads.",
		Steps: connectors.Steps(
			"Open System > Permissions > User Roles and edit the user's role.",
			connectors.Text("Under Role Resources, tick {resources} and save.", "resources", strings.Join(aclNames(missing), ", ")),
			"Test again, or use an integration (OAuth 1.0) instead."),
		Technical: tech,
	})
}

// tokenRefused explains a token Magento treated as a visitor's.
func (t *tester) tokenRefused(missing []string) connectors.Result {
	needs := strings.Join(aclList(missing), ", ")
	tech := append(missingTech(missing), connectors.Tech("Magento's answer", msgNotAuthorized)...)
	msg := "Magento treated the token as a visitor who is not signed in: it may read none of " + needs + ". Magento does not say why; the token is wrong or expired, revoked, lacks these permissions"
	hint := "Check each: copy the token again; admin tokens expire after 4 hours (Stores > Configuration > Services > OAuth > Access Token Expiration); " +
		"a revoked or reset integration shows a new token in " + integrationsPage + "; grant the resources under the integration's API tab; "
	if looksLikeIntegrationToken(t.o.AccessToken) {
		msg += ", or it is an integration's access token on Magento 2.4.4 or later, where integration tokens work as Bearer only when allowed."
		hint += "on 2.4.4+ set Stores > Configuration > Services > OAuth > Consumer Settings > \"Allow OAuth Access Tokens to be used as standalone Bearer tokens\" to Yes, or use OAuth 1.0 with all four integration keys."
		return connectors.Fail(connectors.CodeBearerDisabled, msg, hint).With(connectors.Presentation{
			Headline: "Magento does not accept this integration token on its own",
			Reason:   "Magento 2.4.4 and later accept an integration's access token as a Bearer token only when the store allows it. The token may also be wrong, revoked or lack permissions.",
			Steps: connectors.Steps(
				"In Stores > Configuration > Services > OAuth > Consumer Settings, set \"Allow OAuth Access Tokens to be used as standalone Bearer tokens\" to Yes and save.",
				"Or choose Authentication type OAuth 1.0 and enter the integration's four keys from "+integrationsPage+".",
				"If it still fails, copy the token again from "+integrationsPage+" > (your integration) > Integration Details."),
			Technical: tech,
		})
	}
	return connectors.Fail(connectors.CodeAuthInvalid, msg+".", hint+"or sign in with Admin login to get a fresh token.").With(connectors.Presentation{
		Headline: "Magento does not accept the access token",
		Reason:   "Magento treated it as a visitor who is not signed in and does not say why: the token is wrong, expired or revoked, or lacks permissions.",
		Steps: connectors.Steps(
			"Copy the token again from where you got it; an integration shows it in "+integrationsPage+" > (your integration) > Integration Details.",
			"Admin tokens expire after 4 hours (Stores > Configuration > Services > OAuth > Access Token Expiration): get a new one, or choose Authentication type Admin login.",
			"Check that the integration grants the resources the test reads on its API tab, then test again."),
		Technical: tech,
	})
}

// tampered repeats the first read with a signature that cannot be right.
func (t *tester) tampered() (*connectors.Response, error) {
	u := t.o.api(probes[0].route)
	s, err := t.sign(oauth1.Request{Method: http.MethodGet, URL: u})
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	for k, v := range s.Params {
		params[k] = v
	}
	params[oauth1.ParamSignature] = "x" + params[oauth1.ParamSignature]
	h := http.Header{"Accept": {"application/json"}, "Authorization": {oauth1.AuthorizationHeader(params)}}
	return t.client.Do(t.ctx, connectors.Request{Method: http.MethodGet, URL: u, Header: h})
}

// looksLikeIntegrationToken: integration access tokens are 32 letters and
// digits; admin and customer tokens are JWTs from 2.4.4.
func looksLikeIntegrationToken(tok string) bool { return integrationToken().MatchString(tok) }

var integrationToken = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]{32}$`) })

func (t *tester) netFail(err error) connectors.Result {
	r := connectors.FailFromError(err)
	if r.Hint == "" {
		r.Hint = "Check the Shop address and that the store is reachable from this computer."
	}
	return r
}

// adminLogin exchanges the admin user name and password for a token.
func (t *tester) adminLogin() (connectors.Result, bool) {
	t.cfg.Step("Signing in to " + t.host() + " as " + t.o.Username + "...")
	body, _ := json.Marshal(map[string]string{"username": t.o.Username, "password": t.o.Password})
	resp, err := t.client.Do(t.ctx, connectors.Request{Method: http.MethodPost, URL: t.o.Base + "/V1/integration/admin/token", Body: body,
		Header: http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}})
	if err != nil {
		return t.netFail(err), false
	}
	var token string
	if resp.Status == http.StatusOK && json.Unmarshal(resp.Body, &token) == nil && token != "" {
		t.redactor.Add(token)
		t.bearer = token
		return connectors.Result{}, true
	}
	if e, ok := parseError(resp.Body); ok {
		switch e.Message {
		case msgSignIn:
			return connectors.Fail(connectors.CodeAuthInvalid, "Magento refused the admin sign-in: "+e.Text()+"",
				"Check the user name and password by signing in to the admin. In System > Permissions > All Users the user must be Active; six failed attempts lock it for 30 minutes.").With(connectors.Presentation{
				Headline: "Magento refused the admin user name or password",
				Reason:   "The user name or password is wrong, or the user is inactive or locked after too many failed attempts.",
				Steps: connectors.Steps(
					"Sign in to the Magento admin with the same user name and password to check them.",
					"In System > Permissions > All Users, check that the user is Active.",
					"After six failed attempts Magento locks the user for 30 minutes: wait before testing again."),
				Technical: connectors.Tech("Magento's answer", e.Text()),
			}), false
		case msg2FA, msg2FAConfigure, msg2FAAsk:
			providers := providerNames(e.param("active_providers"))
			msg := "The store uses two-factor authentication, so Magento does not give admin tokens for a user name and password alone."
			if providers != "" {
				msg += " " + connectors.Text("This user signs in with a code from {providers}.", "providers", providers)
			}
			return connectors.Fail(connectors.CodeForbidden, msg,
				"Use an integration instead: "+integrationsPage+" > Add New Integration, grant its API resources, Save and Activate, then choose OAuth 1.0 here with its four keys.").With(connectors.Presentation{
				Headline: "Two-factor sign-in blocks the admin login",
				Reason:   "The store uses two-factor authentication, so Magento gives no admin token for a user name and password alone.",
				Steps: connectors.Steps(
					"In "+integrationsPage+", click Add New Integration, give it a name and grant its API resources.",
					"Save, then click Activate and Allow: Magento shows four keys.",
					"Here, choose Authentication type OAuth 1.0 and paste the four keys."),
				Technical: connectors.Tech("Magento's answer", e.Text(), "Two-factor providers", e.param("active_providers")),
			}), false
		}
	}
	return t.diagnose(resp), false
}

// providerCodes are Magento_TwoFactorAuth's provider codes and their names.
var providerCodes = map[string]string{
	"google": "Google Authenticator", "duo_security": "Duo Security", "authy": "Authy", "u2fkey": "a U2F security key",
}

// providerNames puts "google, authy" into the providers' names.
func providerNames(codes string) string {
	var out []string
	for _, c := range strings.Split(codes, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if n, ok := providerCodes[c]; ok {
			c = n
		}
		out = append(out, c)
	}
	return strings.Join(out, " or ")
}

// diagnose turns any answer that is not a success into a result.
func (t *tester) diagnose(resp *connectors.Response) connectors.Result {
	if resp.Status >= 300 && resp.Status < 400 {
		loc := resp.Location()
		if loc != "" {
			r := connectors.Fail(connectors.CodeMoved, "The store redirects the API to "+t.mask(loc)+".",
				"Use the address it redirects to (often https:// or www.) in Shop address.")
			r.Presentation = connectors.Presentation{
				Headline:  "The store sends the API to another address",
				Reason:    connectors.Text("Magento's API redirects to {address}; Storelink did not follow, so that the keys are not sent to a different server.", "address", t.mask(loc)),
				Steps:     connectors.Steps("If that is the store's address now, put it in Shop address (often it adds https:// or www.) and test again.", "Otherwise, fix the redirect on the server."),
				Technical: connectors.Tech("Status", resp.StatusText, "Location", t.mask(loc)),
			}
			if base := strings.TrimSuffix(loc, strings.TrimPrefix(resp.URL.String(), t.o.Base)); base != loc {
				r.Location, r.LocationField = base, FieldBaseURI
				r.Message = "The store redirects the API to " + t.mask(base) + "."
				r.Fixes = []connectors.Fix{{Label: "Use the new address", Field: FieldBaseURI, Value: t.mask(base)}}
			}
			return r
		}
	}
	e, isErr := parseError(resp.Body)
	if isErr {
		if r, ok := t.fromMagento(resp, e); ok {
			return r
		}
	}
	switch {
	case resp.Status >= 500:
		msg := fmt.Sprintf("The store answered with a server error (%s).", resp.StatusText)
		if id := reportID(resp.Body); id != "" {
			msg = fmt.Sprintf("Magento failed with an internal error, Report ID %s (%s).", id, resp.StatusText)
		}
		if isErr && reportID(resp.Body) == "" {
			msg += " Magento says: " + e.Text()
		}
		headline := "The store failed with a server error"
		if reportID(resp.Body) != "" {
			headline = "Magento failed with an internal error"
		}
		return connectors.Fail(connectors.CodeServerError, msg,
			"Look up the report in var/report/ or var/log/exception.log on the server (search for the Report ID), or ask the store's developer.").With(connectors.Presentation{
			Headline: headline,
			Reason:   "The fault is on the store's server, not in the keys; Magento logged the details.",
			Steps: connectors.Steps(
				"On the server, look up the Report ID in var/report/ or var/log/exception.log, or send it to the store's developer.",
				"Test again when the error is fixed."),
			Technical: connectors.Tech("Status", resp.StatusText, "Report ID", reportID(resp.Body), "Magento's answer", errText(isErr, e)),
		})
	case resp.Status == http.StatusTooManyRequests:
		return connectors.Fail(connectors.CodeRateLimited, "The store limits how often the API may be called.", "Wait a minute and test again.").With(connectors.Presentation{
			Headline:  "The store limits how often the API may be called",
			Reason:    "Too many requests reached the store in a short time.",
			Steps:     connectors.Steps("Wait a minute and test again."),
			Technical: connectors.Tech("Status", resp.StatusText, "Retry-After", resp.Header.Get("Retry-After")),
		})
	case resp.Status == http.StatusUnauthorized && strings.HasPrefix(strings.ToLower(resp.Header.Get("WWW-Authenticate")), "basic"):
		return connectors.Fail(connectors.CodeForbidden, "The web server asks for its own password (HTTP Basic) before Magento sees the request.",
			"Ask the host to exempt /rest from the password protection.").With(connectors.Presentation{
			Headline:  "The web server asks for its own password",
			Reason:    "A password protection (HTTP Basic) in front of the store stops the request before Magento sees it.",
			Steps:     connectors.Steps("Ask the host, or change the server's settings, to exempt /rest from the password protection.", "Test again."),
			Technical: connectors.Tech("Status", resp.StatusText, "WWW-Authenticate", t.mask(resp.Header.Get("WWW-Authenticate"))),
		})
	case isErr && resp.Status == http.StatusUnauthorized:
		return connectors.Fail(connectors.CodeAuthInvalid, "Magento refused the credentials: "+e.Text(), "Check every key against "+integrationsPage+".").With(keysRefused(resp, e))
	case isErr && resp.Status == http.StatusBadRequest:
		return connectors.Fail(connectors.CodeAuthInvalid, "Magento refused the request: "+e.Text(), "Check every key against "+integrationsPage+".").With(keysRefused(resp, e))
	case isErr && resp.Status == http.StatusForbidden:
		return connectors.Fail(connectors.CodeForbidden, "Magento refused the request: "+e.Text(), "Check the integration's API resources in "+integrationsPage+".").With(connectors.Presentation{
			Headline:  "Magento refused the request",
			Reason:    connectors.Text("Magento says: {answer}", "answer", e.Text()),
			Steps:     connectors.Steps("Open "+integrationsPage+", edit the integration and check the resources on its API tab.", "Save, click Reauthorize, and test again."),
			Technical: connectors.Tech("Status", resp.StatusText, "Magento's answer", e.Text()),
		})
	case resp.Status == http.StatusForbidden:
		return connectors.Fail(connectors.CodeForbidden, "The web server or a firewall in front of the store refused the request ("+resp.StatusText+").",
			"Ask the host whether a firewall (WAF, Cloudflare) blocks API calls from this address.").With(connectors.Presentation{
			Headline:  "A firewall in front of the store refused the request",
			Reason:    "The web server or a firewall answered before Magento saw the request.",
			Steps:     connectors.Steps("Ask the host whether a firewall (WAF, Cloudflare) blocks API calls from this computer's address.", "Test again once it lets /rest through."),
			Technical: connectors.Tech("Status", resp.StatusText, "Server", resp.Header.Get("Server")),
		})
	}
	what := "something that is not Magento's REST API"
	if strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html") {
		what = "a web page"
	}
	if resp.Status == http.StatusNotFound {
		t.unrewritten = true
	}
	return connectors.Fail(connectors.CodeNotAPI,
		fmt.Sprintf("%s answered with %s (%s), not Magento's REST API.", t.host(), what, resp.StatusText),
		"Check the Shop address: it ends in /rest (or /index.php/rest when the server does not rewrite addresses), after the folder the store lives in.").With(connectors.Presentation{
		Headline: "Magento's API does not answer at this address",
		Reason:   connectors.Text("{host} answered with {what} ({status}), not Magento's REST API.", "host", t.host(), "what", what, "status", resp.StatusText),
		Steps: connectors.Steps(
			"Check the Shop address: the store's own address followed by /rest, like https://shop.example/rest, with the folder the store lives in.",
			"When the server does not rewrite addresses, use /index.php/rest instead of /rest.",
			"Test again."),
		Technical: connectors.Tech("Address", t.mask(addressOf(resp)), "Status", resp.StatusText, "Content-Type", resp.Header.Get("Content-Type")),
	})
}

// keysRefused presents a refusal Magento gave no known message for.
func keysRefused(resp *connectors.Response, e apiError) connectors.Presentation {
	return connectors.Presentation{
		Headline:  "Magento refused the keys",
		Reason:    connectors.Text("Magento says: {answer}", "answer", e.Text()),
		Steps:     connectors.Steps("Open "+integrationsPage+" > (your integration) > Integration Details and copy every key again.", "Test again."),
		Technical: connectors.Tech("Status", resp.StatusText, "Magento's answer", e.Text()),
	}
}

func addressOf(resp *connectors.Response) string {
	if resp.URL == nil {
		return ""
	}
	return resp.URL.String()
}

// errText is Magento's error text, when the answer was one.
func errText(isErr bool, e apiError) string {
	if !isErr {
		return ""
	}
	return e.Text()
}

// fromMagento diagnoses Magento's own JSON errors.
func (t *tester) fromMagento(resp *connectors.Response, e apiError) (connectors.Result, bool) {
	keyHint := "Copy the keys again from " + integrationsPage + " > (your integration) > Integration Details; they change when the integration is reauthorized."
	keySteps := connectors.Steps(
		"Open "+integrationsPage+" > (your integration) > Integration Details.",
		"Copy the keys again: they change each time the integration is reauthorized.",
		"Test again.")
	answer := connectors.Tech("Status", resp.StatusText, "Magento's answer", e.Text())
	switch e.Message {
	case msgMethod:
		r := connectors.Fail(connectors.CodeSignatureMethodUnsupported,
			"Magento does not accept the signature method "+e.param("1")+".",
			"Choose HMAC-SHA256: Magento 2.4.4 and later accept only HMAC-SHA256, earlier versions HMAC-SHA1 and HMAC-SHA256.").With(connectors.Presentation{
			Headline:  connectors.Text("Magento does not accept the signature method {method}", "method", e.param("1")),
			Reason:    "Magento 2.4.4 and later accept only HMAC-SHA256; earlier versions accept HMAC-SHA1 and HMAC-SHA256.",
			Steps:     connectors.Steps("Set Signature method to HMAC-SHA256 and test again."),
			Technical: answer,
		})
		if t.o.Method != oauth1.HMACSHA256 {
			r.Fixes = []connectors.Fix{{Label: "Use HMAC-SHA256", Field: FieldSignatureMethod, Value: oauth1.HMACSHA256}}
		}
		return r, true
	case msgSignatureInvalid:
		return connectors.Fail(connectors.CodeSignatureInvalid,
			"Magento computed a different signature: "+e.Text(),
			"Usual causes: a wrong consumer secret or token secret (copy them again), or the address Magento sees differs from the Shop address - http versus https behind a proxy or load balancer, a store code, /index.php, a different host name or port. The check \"Signature base string\" shows what was signed.").With(connectors.Presentation{
			Headline: "Magento computed a different signature",
			Reason:   "The consumer secret or token secret is wrong, or Magento sees another address than the one Storelink signed.",
			Steps: connectors.Steps(
				"Copy the consumer secret and token secret again from "+integrationsPage+" > (your integration) > Integration Details.",
				"Check that the Shop address is exactly the one Magento sees: https or http (a proxy or load balancer may change it), the host name, the port, /index.php and the store code.",
				"Test again; the signed text is under Technical details."),
			Technical: append(answer, connectors.Tech("Signature base string (token masked)", t.base)...),
		}), true
	case msgConsumerLength, msgConsumerUnknown, msgConsumerExpired:
		return connectors.Fail(connectors.CodeAuthInvalid, "Magento does not know the consumer key: "+e.Text(), keyHint).With(connectors.Presentation{
			Headline: "Magento does not know the consumer key", Reason: connectors.Text("Magento says: {answer}", "answer", e.Text()),
			Steps: keySteps, Technical: answer,
		}), true
	case msgTokenLength, msgTokenLength2, msgTokenUnknown, msgTokenOther, msgTokenNotAccess:
		return connectors.Fail(connectors.CodeAuthInvalid, "Magento does not accept the access token: "+e.Text(), keyHint).With(connectors.Presentation{
			Headline: "Magento does not accept the access token", Reason: connectors.Text("Magento says: {answer}", "answer", e.Text()),
			Steps: keySteps, Technical: answer,
		}), true
	case msgRevoked:
		return connectors.Fail(connectors.CodeAuthInvalid, "The access token has been revoked.",
			"In "+integrationsPage+" click Reauthorize (or Activate) for the integration and copy the new token and token secret.").With(connectors.Presentation{
			Headline: "The access token has been revoked",
			Reason:   "The integration was reauthorized or its token revoked, so Magento gave it new keys.",
			Steps: connectors.Steps(
				"In "+integrationsPage+", click Reauthorize (or Activate) for the integration.",
				"Copy the new access token and token secret here, and test again."),
			Technical: answer,
		}), true
	case msgNonce, msgTimestamp:
		if skew, ok := t.skew(resp); ok && (skew > time.Minute || skew < -time.Minute) {
			return connectors.Fail(connectors.CodeClockSkew,
				fmt.Sprintf("Magento refused the request's time stamp: this computer's clock is %s %s the store's (Magento refuses time stamps more than 10 minutes ahead).", roundDuration(skew), aheadBehind(skew)),
				"Set this computer's date and time automatically (or ask the host to fix the server's clock), then test again.").With(connectors.Presentation{
				Headline: "This computer's clock and the store's differ",
				Reason:   connectors.Text("This computer's clock is {difference} off the store's; Magento refuses time stamps more than 10 minutes ahead.", "difference", roundDuration(skew)),
				Steps: connectors.Steps(
					"Set this computer's date and time automatically in the system settings, or ask the host to fix the server's clock.",
					"Test again."),
				Technical: append(answer, connectors.Tech("Clock difference (this computer minus the store)", skew.Round(time.Second).String(), "Store's Date header", resp.Header.Get("Date"))...),
			}), true
		}
		return connectors.Fail(connectors.CodeAuthInvalid, "Magento could not check the request's nonce: "+e.Text(),
			"The clocks agree, so Magento's database may be failing to store nonces (table oauth_nonce); test again, and ask the store's developer if it persists.").With(connectors.Presentation{
			Headline:  "Magento could not check the request's nonce",
			Reason:    "The clocks agree, so Magento's database may be failing to store nonces.",
			Steps:     connectors.Steps("Test again.", "If it persists, ask the store's developer to check the table oauth_nonce."),
			Technical: answer,
		}), true
	case msgNonceUsed:
		return connectors.Fail(connectors.CodeAuthInvalid, "Magento says this request was already sent: "+e.Text(), "Test again; each test uses new random nonces.").With(connectors.Presentation{
			Headline: "Magento says this request was already sent",
			Reason:   "Each test uses new random nonces, so this rarely happens twice.",
			Steps:    connectors.Steps("Test again."), Technical: answer,
		}), true
	case msgNoRoute:
		return connectors.Fail(connectors.CodeNotAPI, "Magento answered, but does not know this API route: "+e.Text(),
			"Check the Shop address: it must end in /rest (or /rest/<store code>), with nothing after it. An unknown store code in the address gives this answer too.").With(connectors.Presentation{
			Headline: "Magento answered, but not at this API address",
			Reason:   "Something after /rest in the Shop address is not an API route; an unknown store code gives this answer too.",
			Steps: connectors.Steps(
				"Make the Shop address end in /rest, or /rest/ and a store code that exists (Stores > All Stores > (store view) > Code).",
				"Test again."),
			Technical: answer,
		}), true
	case msgAllStores:
		return connectors.Fail(connectors.CodeInvalidInput, "Magento refuses reads for the store code \"all\".", "Remove /all from the Shop address or Store code.").With(connectors.Presentation{
			Headline:  "Magento refuses reads for the store code \"all\"",
			Reason:    "The store code \"all\" is for changes to every store view; reads need one store view.",
			Steps:     connectors.Steps("Remove /all from the Shop address, or empty the Store code field, and test again."),
			Technical: answer,
		}), true
	case msgNotAuthorized:
		return connectors.Fail(connectors.CodeForbidden, "Magento refused: "+e.Text(),
			"Grant the resource in "+integrationsPage+" > (integration) > API, then Reauthorize.").With(connectors.Presentation{
			Headline: "The integration lacks a permission",
			Reason:   connectors.Text("Magento says: {answer}", "answer", e.Text()),
			Steps: connectors.Steps(
				"Open "+integrationsPage+", edit the integration and grant the resource on its API tab.",
				"Save, click Reauthorize, and test again."),
			Technical: answer,
		}), true
	}
	return connectors.Result{}, false
}

// skew is the local clock minus the server's Date header.
func (t *tester) skew(resp *connectors.Response) (time.Duration, bool) {
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return 0, false
	}
	return t.cfg.Clock().Sub(d), true
}

func aheadBehind(d time.Duration) string {
	if d > 0 {
		return "ahead of"
	}
	return "behind"
}

func roundDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%.1f hours", d.Hours())
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return fmt.Sprintf("%d seconds", int(d.Seconds()))
}

var reportRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:Report ID: |report api/|Error log record number: )([A-Za-z0-9_.-]+)`)
})

// reportID finds the report a Magento error points to.
func reportID(body []byte) string {
	if m := reportRe().FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// validateKey32 checks a consumer key: Magento's are 32 letters and digits.
func validateKey32(v string) error {
	v = strings.TrimSpace(v)
	if len(v) != 32 {
		return errors.New("Magento's consumer keys have 32 characters; this one has " + strconv.Itoa(len(v)))
	}
	return nil
}

func validatePrivateKey(v string) error {
	if _, err := oauth1.ParsePrivateKey([]byte(v)); err != nil {
		return err
	}
	return nil
}
