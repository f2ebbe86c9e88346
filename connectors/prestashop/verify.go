package prestashop

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"storelink/connectors"
	"storelink/redact"
)

// Connector tests one PrestaShop connection.
type Connector struct{}

var _ connectors.Connector = (*Connector)(nil)

// Hints shared by several outcomes: where in the back office to act.
const (
	webservicePage = "Advanced Parameters > Webservice"
	cgiAdvice      = `In ` + webservicePage + ` set "Enable CGI mode for PHP" to Yes and save, or add this line to the shop's .htaccess: ` + htaccessLine
	rewriteAdvice  = `On Apache, make sure mod_rewrite is on and save Shop Parameters > Traffic & SEO (Preferences > SEO & URLs on 1.6) so .htaccess is written again; on nginx add: ` + nginxRewrite
	htaccessLine   = `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]`
	nginxRewrite   = `rewrite ^/api/?(.*)$ /webservice/dispatcher.php?url=$1 last;`
)

// cgiSteps make the Authorization header reach PHP.
var cgiSteps = []connectors.Step{
	{Text: "In " + webservicePage + ", set \"Enable CGI mode for PHP\" to Yes and save."},
	connectors.CopyStep("If that is not enough, add this line to the .htaccess file in the shop's folder.", htaccessLine),
	{Text: "Test again."},
}

// rewriteSteps write the /api/ rewrite rule again.
var rewriteSteps = []connectors.Step{
	{Text: "On Apache, make sure mod_rewrite is on, then save Shop Parameters > Traffic & SEO (Preferences > SEO & URLs on 1.6) so the shop writes its .htaccess again."},
	connectors.CopyStep("On nginx, add this rule to the shop's server block and reload nginx.", nginxRewrite),
	{Text: "Test again."},
}

// Test verifies the key with one GET of the root listing when all is well.
func (c *Connector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	o := decode(cfg.Values)
	if r, bad := o.invalid(); bad {
		return r
	}
	t := &tester{ctx: ctx, cfg: cfg, o: o, client: cfg.HTTP}
	return t.run()
}

// invalid reports values that cannot be tested, before any request.
func (o options) invalid() (connectors.Result, bool) {
	bad := func(msg, hint string) (connectors.Result, bool) {
		return connectors.Fail(connectors.CodeInvalidInput, msg, hint), true
	}
	switch {
	case o.Store == "":
		return bad("Shop address is empty.", "Enter the shop's address, like shop.example.")
	case validateStoreURL(o.Store) != nil:
		return bad("Shop address "+validateStoreURL(o.Store).Error()+".", "Enter the shop's address as you see it in the browser, without https://.")
	case o.Key == "":
		return bad("API key is empty.", "Paste the key from "+webservicePage+", or generate one and add it there.")
	case len(o.Key) != KeyLength:
		return bad("API key "+keyLengthMessage+"; this one has "+strconv.Itoa(len(o.Key))+".", "Copy the key again from "+webservicePage+"; it is the 32-character code in the Key column.")
	case o.requiredErr != nil:
		return bad("Required permissions: "+o.requiredErr.Error()+".", "Write them like products:GET,PUT customers:GET, or leave the field empty.")
	}
	return connectors.Result{}, false
}

type tester struct {
	ctx    context.Context
	cfg    connectors.Config
	o      options
	client *connectors.Client
}

// kind is what an answer turned out to be.
type kind int

const (
	kindRoot        kind = iota // the root listing: the key works
	kindErrors                  // a webservice error document
	kindRedirect                // a redirect the client would not follow
	kindPlain401                // the dispatcher's bare 401: no key reached PHP
	kindServerAuth              // the web server's own password prompt
	kindServerError             // 5xx without a webservice error document
	kindOther                   // anything else: a web page, a 404...
)

type answer struct {
	resp     *connectors.Response
	kind     kind
	root     Root
	errs     []apiError
	stripped bool // the key only got through as ws_key
}

func inspect(resp *connectors.Response) answer {
	a := answer{resp: resp, kind: kindOther}
	if resp.Status >= 300 && resp.Status < 400 && resp.Header.Get("Location") != "" {
		a.kind = kindRedirect
		return a
	}
	if errs := parseErrors(resp.Body); len(errs) > 0 {
		a.kind, a.errs = kindErrors, errs
		return a
	}
	if resp.Status == http.StatusOK {
		if root, err := ParseRoot(resp.Body); err == nil {
			a.kind, a.root = kindRoot, root
			return a
		}
	}
	if resp.Status == http.StatusUnauthorized {
		realm := resp.Header.Get("WWW-Authenticate")
		if strings.Contains(realm, "PrestaShop") || strings.Contains(realm, "authentication key") {
			a.kind = kindPlain401
		} else {
			a.kind = kindServerAuth
		}
		return a
	}
	if resp.Status >= 500 {
		a.kind = kindServerError
	}
	return a
}

// red is the connection's redactor: server text is masked before it is cut.
func (t *tester) red() *redact.Redactor {
	if t.client == nil {
		return nil
	}
	return t.client.Redactor()
}

func (t *tester) get(u string, withHeader bool) (*connectors.Response, error) {
	h := http.Header{"Accept": {"text/xml, application/xml"}}
	if withHeader {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(t.o.Key+":")))
	}
	return t.client.Do(t.ctx, connectors.Request{Method: http.MethodGet, URL: u, Header: h, FollowRedirects: true})
}

// fetch asks u for the root listing with the key as Basic user name; when the
// dispatcher answers as if no key came (PHP as CGI drops the header), it asks
// once more with the key as the ws_key parameter.
func (t *tester) fetch(u string) (answer, error) {
	resp, err := t.get(u, true)
	if err != nil {
		return answer{}, err
	}
	a := inspect(resp)
	if a.kind != kindPlain401 {
		return a, nil
	}
	t.cfg.Step("The server dropped the key; trying again with it in the address...")
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	resp, err = t.get(u+sep+"ws_key="+url.QueryEscape(t.o.Key), false)
	if err != nil {
		return answer{}, err
	}
	a = inspect(resp)
	a.stripped = true
	return a, nil
}

func (t *tester) run() connectors.Result {
	host := t.o.host()
	t.cfg.Step("Connecting to " + host + "...")
	a, err := t.fetch(t.o.base() + "/api/")
	if err != nil {
		return netFail(err)
	}
	switch a.kind {
	case kindRoot, kindErrors, kindRedirect, kindServerError, kindServerAuth, kindPlain401:
		return t.judge(a, "")
	}
	first := a
	t.cfg.Step("No webservice at /api/; trying /webservice/dispatcher.php...")
	d, err := t.fetch(t.o.base() + "/webservice/dispatcher.php?url=")
	if err != nil {
		return t.notAPI(first)
	}
	switch d.kind {
	case kindRoot, kindErrors, kindPlain401:
		return t.judge(d, "The webservice answers only at /webservice/dispatcher.php: the /api/ rewrite rule is missing, and some tools will not find it. "+rewriteAdvice)
	}
	return t.notAPI(first)
}

// judge turns an answer into the result; rewriteNote, when set, becomes a
// rewrite_missing warning.
func (t *tester) judge(a answer, rewriteNote string) connectors.Result {
	var r connectors.Result
	switch a.kind {
	case kindRoot:
		r = t.success(a)
	case kindRedirect:
		r = t.moved(a)
	default:
		r, _ = diagnosis(a, t.red())
	}
	if a.stripped {
		r.Warn(connectors.CodeAuthHeaderStripped, "The server drops the Authorization header (PHP running as CGI/FastCGI), so the key only got through in the address, where it can end up in server logs. "+cgiAdvice)
		if r.OK {
			r.Steps = append(r.Steps, cgiSteps...)
		}
	}
	if rewriteNote != "" {
		r.Warn(connectors.CodeRewriteMissing, rewriteNote)
		if r.OK {
			r.Steps = append(r.Steps, rewriteSteps...)
		}
	}
	return r
}

// diagnosis is what an answer other than the root listing or a redirect
// means, in a test's words and code; false when it is no answer PrestaShop
// or its server is known to give. Tests and `storelink api` share it.
func diagnosis(a answer, red *redact.Redactor) (connectors.Result, bool) {
	var r connectors.Result
	switch a.kind {
	case kindErrors:
		r = errorsResult(a, red)
		// PrestaShop answered; after authentication it also says its version.
		r.Server.Platform = "PrestaShop"
		if v := a.resp.Header.Get("PSWS-Version"); v != "" && v != "0" {
			r.Server.Version = v
		}
	case kindPlain401:
		r = connectors.Fail(connectors.CodeAuthInvalid,
			"The shop refused the key both in the Authorization header and in the address (ws_key).",
			"Check in "+webservicePage+" that the key is listed and enabled, then copy it again. "+cgiAdvice).With(connectors.Presentation{
			Headline: "The shop refused the API key",
			Reason:   "The key was refused both in the Authorization header and in the address: it is unknown or disabled, or the server drops the header.",
			Steps: append(connectors.Steps("In "+webservicePage+", check that the key is in the list and enabled, then copy it again."),
				cgiSteps...),
			Technical: connectors.Tech("Status", a.resp.StatusText, "WWW-Authenticate", a.resp.Header.Get("WWW-Authenticate")),
		})
	case kindServerAuth:
		r = connectors.Fail(connectors.CodeAuthInvalid,
			fmt.Sprintf("The web server in front of the shop asks for its own password (%s) before PrestaShop sees the request.", realmOf(a.resp, red)),
			"Exclude /api/ and /webservice/ from the server's password protection (.htpasswd or the host's panel), or ask your host.").With(connectors.Presentation{
			Headline: "The web server asks for its own password",
			Reason:   "A password protection in front of the shop stops the request before PrestaShop sees the key.",
			Steps: connectors.Steps(
				"Exclude /api/ and /webservice/ from the server's password protection (.htpasswd or the host's panel), or ask your host to.",
				"Test again."),
			Technical: connectors.Tech("Status", a.resp.StatusText, "WWW-Authenticate", shorten(a.resp.Header.Get("WWW-Authenticate"), 120, red)),
		})
	case kindServerError:
		r = connectors.Fail(connectors.CodeServerError,
			fmt.Sprintf("The shop's server failed with %s%s.", a.resp.StatusText, titleSuffix(a.resp.Body, red)),
			"Look at the shop's PHP error log (or enable debug mode in "+"Advanced Parameters > Performance) or ask your host; if the server is just busy, try again later.").With(connectors.Presentation{
			Headline: "The shop's server failed",
			Reason:   connectors.Text("The server answered {status} before the webservice could answer.", "status", a.resp.StatusText),
			Steps: connectors.Steps(
				"Look at the shop's PHP error log, or turn on debug mode in Advanced Parameters > Performance and test again.",
				"If the server is only busy, try again later; if it persists, ask your host."),
			Technical: connectors.Tech("Status", a.resp.StatusText, "Page title", pageTitle(a.resp.Body, red), "Server", a.resp.Header.Get("Server")),
		})
	default:
		return connectors.Result{}, false
	}
	return r, true
}

func (t *tester) success(a answer) connectors.Result {
	t.cfg.Step("Reading the key's permissions...")
	root := a.root
	version := strings.TrimSpace(a.resp.Header.Get("PSWS-Version"))
	if version == "0" { // sent before authentication, see WebserviceOutputBuilder::$headerParams
		version = ""
	}
	name := root.ShopName
	if name == "" {
		name = t.o.host()
	}
	r := connectors.Success(fmt.Sprintf("Connected to %s: the key works and may use %d resources.", name, len(root.Resources)))
	r.Presentation = connectors.Presentation{
		Headline: connectors.Text("Connected to {shop}", "shop", name),
		Reason:   connectors.Text("The key works and may use {count} resources.", "count", strconv.Itoa(len(root.Resources))),
		Technical: connectors.Tech("Webservice address", cleanURL(a.resp.URL), "PrestaShop version", version,
			"Redirects followed", strings.Join(a.resp.Redirects, ", ")),
	}
	final := cleanURL(a.resp.URL)
	patch := root.PatchListed || majorVersion(version) >= 8
	r.Server = connectors.Server{
		Platform: "PrestaShop", Version: version, ShopName: root.ShopName, URL: final,
		Extra: map[string]string{"patch": strconv.FormatBool(patch)},
	}
	for _, res := range root.Resources {
		r.Permissions = append(r.Permissions, connectors.Permission{Resource: res.Name, Methods: res.Methods()})
	}
	r.AddCheck("Webservice answers", true, final)
	if len(a.resp.Redirects) > 0 {
		r.AddCheck("Redirect followed", true, "the shop answers at "+final+"; consider putting that address in Shop address")
	}
	r.AddCheck("Key accepted", true, "")
	r.AddCheck("Permissions", true, fmt.Sprintf("%d resources", len(root.Resources)))
	if patch {
		r.AddCheck("Partial updates", true, "available: PrestaShop 8 or later")
	} else {
		r.AddCheck("Partial updates", false, "not available before PrestaShop 8: a change sends the whole record")
	}
	if missing := missingPermissions(r.Permissions, t.o.Required); len(missing) > 0 {
		r.OK, r.Code = false, connectors.CodeForbidden
		r.Message = "The key works but lacks permissions you need: " + strings.Join(missing, "; ") + "."
		r.Hint = "In " + webservicePage + " edit this key, tick the missing boxes in its Permissions table (View = GET, Modify = PUT, Add = POST, Delete = DELETE, Fast view = HEAD) and save."
		r.AddCheck("Required permissions", false, strings.Join(missing, "; "))
		r.Headline = "The key works but lacks permissions you need"
		r.Reason = connectors.Text("It may not: {missing}.", "missing", strings.Join(missingInWords(r.Permissions, t.o.Required), "; "))
		r.Steps = connectors.Steps(
			"In "+webservicePage+", edit this key.",
			"In its Permissions table, tick the missing boxes named above and save.",
			"Test again.")
		r.Technical = append(r.Technical, connectors.Tech("Missing methods", strings.Join(missing, "; "))...)
	} else if len(t.o.Required) > 0 {
		r.AddCheck("Required permissions", true, "all present")
	}
	return r
}

// errorsResult names a webservice error document by its codes.
func errorsResult(a answer, red *redact.Redactor) connectors.Result {
	has := func(code int) bool {
		return slices.ContainsFunc(a.errs, func(e apiError) bool { return e.Code == code })
	}
	disabled := has(22) || slices.ContainsFunc(a.errs, func(e apiError) bool {
		return strings.Contains(strings.ToLower(e.Message), "webservice is disabled")
	})
	tech := connectors.Tech("Status", a.resp.StatusText, "PrestaShop errors", errorsOf(a.errs, red))
	switch {
	case disabled:
		return connectors.Fail(connectors.CodeAPIDisabled,
			"The shop's webservice is switched off (PrestaShop error 22).",
			`In the back office open `+webservicePage+`, set "Enable PrestaShop's webservice" to Yes and click Save.`).With(connectors.Presentation{
			Headline: "The shop's webservice is switched off",
			Reason:   "PrestaShop answers API requests only when its webservice is enabled.",
			Steps: connectors.Steps(
				"In the back office, open "+webservicePage+".",
				"Set \"Enable PrestaShop's webservice\" to Yes and click Save.",
				"Test again."),
			Technical: tech,
		})
	case has(18):
		return connectors.Fail(connectors.CodeInvalidInput,
			"PrestaShop refused the key's format (error 18: Invalid authentication key format).",
			"The key must be exactly 32 characters; copy it again from "+webservicePage+".").With(connectors.Presentation{
			Headline:  "PrestaShop refused the key's format",
			Reason:    "A webservice key is exactly 32 letters and digits.",
			Steps:     connectors.Steps("Copy the key again from the Key column of " + webservicePage + ", and test again."),
			Technical: tech,
		})
	case has(16) || has(17):
		return connectors.Fail(connectors.CodeAuthHeaderStripped,
			"The key did not reach PrestaShop (error "+codesOf(a.errs)+": no authentication key).",
			cgiAdvice).With(connectors.Presentation{
			Headline:  "The web server drops the key before PrestaShop sees it",
			Reason:    "PHP runs as CGI or FastCGI and does not receive the Authorization header.",
			Steps:     cgiSteps,
			Technical: tech,
		})
	case has(19) || has(20):
		return connectors.Fail(connectors.CodeAuthInvalid,
			"PrestaShop does not accept this key: it is unknown or disabled (errors "+codesOf(a.errs)+").",
			"In "+webservicePage+" check that the key is in the list with its status enabled, or add it with Add new webservice key; then copy it again.").With(connectors.Presentation{
			Headline: "The API key is not known to the shop",
			Reason:   "PrestaShop does not accept this key: it is not in the list, or it is disabled.",
			Steps: connectors.Steps(
				"In the back office, open "+webservicePage+".",
				"Check that the key is in the list with its status enabled, or add it with Add new webservice key.",
				"Copy the key again and test again."),
			Technical: tech,
		})
	case has(21):
		return connectors.Fail(connectors.CodeForbidden,
			"The key is active but has no permissions at all (error 21).",
			"In "+webservicePage+" edit the key, tick at least View (GET) for the resources you need in its Permissions table, and save.").With(connectors.Presentation{
			Headline: "The key has no permissions",
			Reason:   "The key is enabled, but no box in its Permissions table is ticked.",
			Steps: connectors.Steps(
				"In "+webservicePage+", edit the key.",
				"In its Permissions table, tick at least View for the resources you need, and save.",
				"Test again."),
			Technical: tech,
		})
	case has(132):
		return connectors.Fail(connectors.CodeForbidden,
			"The key is not allowed on this shop (error 132; the store has several shops).",
			"In "+webservicePage+" edit the key, tick this shop under Shop association, and save.").With(connectors.Presentation{
			Headline: "The key is not allowed on this shop",
			Reason:   "The store has several shops, and this key is not associated with this one.",
			Steps: connectors.Steps(
				"In "+webservicePage+", edit the key.",
				"Under Shop association, tick this shop and save.",
				"Test again."),
			Technical: tech,
		})
	}
	e := a.errs[0]
	return connectors.Fail(connectors.CodeServerError,
		fmt.Sprintf("The webservice answered %s with error %d: %s", a.resp.StatusText, e.Code, shorten(e.Message, 200, red)),
		"Look at the shop's PHP error log or ask your host; the message above is PrestaShop's own.").With(connectors.Presentation{
		Headline: "The webservice answered with an error",
		Reason:   connectors.Text("PrestaShop says: {message}", "message", shorten(e.Message, 200, red)),
		Steps: connectors.Steps(
			"Look at the shop's PHP error log, or ask your host; the words under Technical details are PrestaShop's own.",
			"Test again when it is fixed."),
		Technical: tech,
	})
}

// errorsOf lists the webservice's errors: "20: Authentication key is empty".
func errorsOf(errs []apiError, red *redact.Redactor) string {
	var parts []string
	for _, e := range errs {
		parts = append(parts, strconv.Itoa(e.Code)+": "+shorten(e.Message, 200, red))
	}
	return strings.Join(parts, "; ")
}

func (t *tester) moved(a answer) connectors.Result {
	loc := a.resp.Location()
	u, err := url.Parse(loc)
	shown := loc
	if err == nil {
		shown = cleanURL(u)
	}
	r := connectors.Fail(connectors.CodeMoved,
		"The shop sends its API to another address: "+shown+". Storelink did not follow, so that the key is not sent to a different server.",
		"If that is the shop's new address, put it in Shop address; otherwise fix the redirect on the server.")
	r.Presentation = connectors.Presentation{
		Headline:  "The shop sends its API to another address",
		Reason:    connectors.Text("The webservice redirects to {address}; Storelink did not follow, so that the key is not sent to a different server.", "address", shown),
		Steps:     connectors.Steps("If that is the shop's address now, put it in Shop address and test again.", "Otherwise, fix the redirect on the server."),
		Technical: connectors.Tech("Status", a.resp.StatusText, "Location", shown),
	}
	if err != nil || u.Host == "" {
		return r
	}
	r.Location = storeFromURL(u)
	r.LocationField = FieldStoreURL
	if u.Scheme == "http" && t.o.HTTPS {
		r.Message = "The shop sends its API from HTTPS to plain HTTP at " + shown + ". Storelink did not follow, so that the key does not travel unencrypted."
		r.Hint = "Fix the redirect on the server so HTTPS stays on, or, for a test shop only, turn off \"Use HTTPS\" in Advanced."
		r.Headline = "The shop sends its API from HTTPS to plain HTTP"
		r.Reason = connectors.Text("The webservice redirects to {address}; Storelink did not follow, so that the key does not travel unencrypted.", "address", shown)
		r.Steps = connectors.Steps("Fix the redirect on the server so that HTTPS stays on.", "For a test shop only, turn off \"Use HTTPS\" in Advanced instead.")
		return r
	}
	r.Hint = "If that is the shop's new address, put " + r.Location + " in Shop address"
	if (u.Scheme == "https") != t.o.HTTPS {
		r.Hint += ` and switch "Use HTTPS" accordingly`
	}
	r.Hint += "; otherwise fix the redirect on the server."
	r.Fixes = []connectors.Fix{{Label: "Use the new address", Field: FieldStoreURL, Value: r.Location}}
	if (u.Scheme == "https") != t.o.HTTPS {
		r.Steps = connectors.Steps(
			connectors.Text("If that is the shop's address now, put {address} in Shop address and switch \"Use HTTPS\" in Advanced to match, then test again.", "address", r.Location),
			"Otherwise, fix the redirect on the server.")
		r.Fixes = append(r.Fixes, connectors.Fix{Label: "Switch Use HTTPS", Field: FieldUseHTTPS, Value: strconv.FormatBool(u.Scheme == "https")})
	}
	return r
}

func (t *tester) notAPI(first answer) connectors.Result {
	resp := first.resp
	what := resp.StatusText
	if title := pageTitle(resp.Body, t.red()); title != "" {
		what = fmt.Sprintf("a web page titled %q (%s)", title, resp.StatusText)
	} else if ct := resp.Header.Get("Content-Type"); ct != "" {
		what += " (" + ct + ")"
	}
	if srv := resp.Header.Get("Server"); srv != "" {
		what += ", served by " + srv
	}
	return connectors.Fail(connectors.CodeNotAPI,
		fmt.Sprintf("%s/api/ answered with %s, not the PrestaShop webservice; /webservice/dispatcher.php did not answer either.", t.o.Store, what),
		"Check Shop address: it must be the shop's own address (where the shop's front page is), not the back office's. If it is, the webservice files or rewrite rule are missing: "+rewriteAdvice).With(connectors.Presentation{
		Headline: "The PrestaShop webservice does not answer at this address",
		Reason:   connectors.Text("{address}/api/ answered with {what}; /webservice/dispatcher.php did not answer either.", "address", t.o.Store, "what", what),
		Steps: append(connectors.Steps("Check the Shop address: it must be the shop's own address, where its front page is, not the back office's."),
			rewriteSteps...),
		Technical: connectors.Tech("Address", cleanURL(resp.URL), "Status", resp.StatusText, "Content-Type", resp.Header.Get("Content-Type"), "Server", resp.Header.Get("Server")),
	})
}

func netFail(err error) connectors.Result {
	r := connectors.FailFromError(err)
	if r.Hint == "" && r.Code != connectors.CodeCanceled {
		r.Hint = "Check the Shop address and that the shop is reachable from this computer."
	}
	return r
}

// cleanURL shows u without the ws_key parameter or any user info.
func cleanURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		q.Del("ws_key")
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// storeFromURL turns an API address into a Store URL value.
func storeFromURL(u *url.URL) string {
	p := u.Path
	for _, suffix := range []string{"/api/", "/api", "/webservice/dispatcher.php"} {
		if strings.HasSuffix(p, suffix) {
			p = strings.TrimSuffix(p, suffix)
			break
		}
	}
	s, _ := NormalizeStoreURL(u.Host + p)
	return s
}

func majorVersion(v string) int {
	head, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(head)
	if err != nil {
		return 0
	}
	return n
}

func codesOf(errs []apiError) string {
	var parts []string
	for _, e := range errs {
		parts = append(parts, strconv.Itoa(e.Code))
	}
	return strings.Join(parts, " and ")
}

func realmOf(resp *connectors.Response, red *redact.Redactor) string {
	h := resp.Header.Get("WWW-Authenticate")
	if _, realm, ok := strings.Cut(h, "realm="); ok {
		return "realm " + shorten(realm, 80, red)
	}
	return "HTTP authentication"
}

func titleSuffix(body []byte, red *redact.Redactor) string {
	if t := pageTitle(body, red); t != "" {
		return fmt.Sprintf(" (page titled %q)", t)
	}
	return ""
}

// shorten makes s one line of at most n runes, masked before the cut.
func shorten(s string, n int, red *redact.Redactor) string {
	s = red.String(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
