package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/redact"
)

// Connector tests one WooCommerce connection.
type Connector struct{}

var _ connectors.Connector = (*Connector)(nil)

// Hints shared by several outcomes.
const (
	htaccessLine    = "RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]"
	htaccessAdvice  = "Add this line to the .htaccess file in WordPress's folder, right after RewriteEngine On: " + htaccessLine + " (on nginx with PHP-FPM: fastcgi_param HTTP_AUTHORIZATION $http_authorization;), or ask your host to pass the Authorization header to PHP."
	permalinkAdvice = "In WordPress open Settings > Permalinks, choose any setting other than Plain (Post name is the usual one) and click Save Changes; on Apache make sure mod_rewrite is on and .htaccess is writable."
	newKeyAdvice    = "In " + keysPage + " check that the key is listed, or click Add key to make a new one, and copy the consumer key and secret again: WooCommerce shows the secret only once."
)

// The requests of a test. system_status needs the manage_woocommerce
// capability (wc_rest_check_manager_permissions('system_status')); asking
// only for the two versions keeps WooCommerce from running its slower
// checks (get_item_mappings_per_fields()).
const (
	statusRoute  = "/wc/v3/system_status"
	statusFields = "environment.version,environment.wp_version"
	indexFields  = "name,description,url,home,namespaces"
	// writeProbeRoute is a route no one registers. WC_REST_Authentication::
	// check_user_permissions() runs on rest_pre_dispatch, which
	// WP_REST_Server::dispatch() applies before match_request_to_handler():
	// a key without write permission gets "The API key provided does not
	// have write permissions." (401), a key with it gets rest_no_route (404)
	// because no handler exists. No handler runs either way, so nothing
	// can be written.
	writeProbeRoute = "/wc/v3/storelink-write-permission-check"
)

// Test verifies the key: the WordPress index, one read, one write probe.
func (c *Connector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	o := decode(cfg.Values)
	if r, bad := o.invalid(); bad {
		return r
	}
	t := &tester{ctx: ctx, cfg: cfg, o: o, client: cfg.HTTP, via: o.firstWay()}
	return t.run()
}

// invalid reports values that cannot be tested, before any request.
func (o options) invalid() (connectors.Result, bool) {
	bad := func(msg, hint string) (connectors.Result, bool) {
		return connectors.Fail(connectors.CodeInvalidInput, msg, hint), true
	}
	keyErr, secretErr := validateConsumerKey(o.Key), validateConsumerSecret(o.Secret)
	switch {
	case o.Store == "":
		return bad("Shop address is empty.", "Enter the shop's address, like shop.example.")
	case validateStoreURL(o.Store) != nil:
		return bad("Shop address "+validateStoreURL(o.Store).Error()+".", "Enter the site's address as you see it in the browser, without https://.")
	case o.Key == "":
		return bad("Consumer key is empty.", "Paste the consumer key (ck_...) from "+keysPage+".")
	case o.Secret == "":
		return bad("Consumer secret is empty.", "Paste the consumer secret (cs_...) from "+keysPage+".")
	case keyErr == errSwappedKey && secretErr == errSwappedSecret:
		return bad("Consumer key and Consumer secret are swapped: the key (ck_...) is in Consumer secret and the secret (cs_...) in Consumer key.", "Exchange the two values: ck_... belongs in Consumer key, cs_... in Consumer secret.")
	case keyErr != nil:
		return bad("Consumer key "+keyErr.Error()+".", "The consumer key is ck_ followed by 40 characters 0-9 and a-f.")
	case secretErr != nil:
		return bad("Consumer secret "+secretErr.Error()+".", "The consumer secret is cs_ followed by 40 characters 0-9 and a-f.")
	case o.Auth != AuthAuto && o.Auth != AuthBasic && o.Auth != AuthQuery && o.Auth != AuthOAuth1:
		return bad(fmt.Sprintf("Authentication %q is not one of auto, basic, query, oauth1.", o.Auth), "Choose Automatic unless you know the shop needs another.")
	case o.Required != AccessRead && o.Required != AccessWrite && o.Required != AccessReadWrite:
		return bad(fmt.Sprintf("Required access %q is not one of read, write, read_write.", o.Required), "Choose Read, Write or Read/Write.")
	case !o.HTTPS && (o.Auth == AuthBasic || o.Auth == AuthQuery):
		return bad("Authentication "+o.Auth+" over plain HTTP was not sent: it would carry the consumer secret unencrypted, and WooCommerce accepts only OAuth 1.0a signatures over plain HTTP anyway.",
			`Choose Automatic or OAuth 1.0a in Authentication, or turn on "Use HTTPS" in Advanced.`)
	}
	return connectors.Result{}, false
}

// way is how the credentials travel in one request.
type way int

const (
	viaBasic       way = iota // Authorization: Basic
	viaQuery                  // consumer_key and consumer_secret in the query
	viaOAuthHeader            // Authorization: OAuth ...
	viaOAuthQuery             // oauth_* in the query
)

func (w way) String() string {
	return [...]string{"basic", "query", "oauth1", "oauth1_query"}[w]
}

// inURL reports whether the credentials travel in the address.
func (w way) inURL() bool { return w == viaQuery || w == viaOAuthQuery }

func (o options) firstWay() way {
	switch {
	case o.Auth == AuthQuery:
		return viaQuery
	case o.Auth == AuthOAuth1 || !o.HTTPS:
		return viaOAuthHeader
	}
	return viaBasic
}

type tester struct {
	ctx    context.Context
	cfg    connectors.Config
	o      options
	client *connectors.Client
	via    way
	// plain: the API answers only at index.php?rest_route= (Plain permalinks).
	plain bool
	index wpIndex
	// anonymous is what a plugin said when the index was refused, or "".
	anonymous string
	stripped  bool // the Authorization header did not reach WooCommerce
	triedBoth bool // the key went in the header, then in the address
}

// red masks with the connection's secrets; Diagnose has none and masks
// their shapes only.
func (t *tester) red() *redact.Redactor {
	if t.client == nil {
		return nil
	}
	return t.client.Redactor()
}

// apiURL is the address of a REST route with a query, pretty or plain.
func (t *tester) apiURL(route, query string) string {
	if t.plain {
		// index.php, not "/?rest_route=": WooCommerce signs the base URI as
		// get_home_url() + the path after the site's folder, and for "/" that
		// is the home URL without the slash RFC 5849 keeps (check_oauth_signature()).
		u := t.o.base() + "/index.php?rest_route=" + url.QueryEscape(route)
		if query != "" {
			u += "&" + query
		}
		return u
	}
	u := t.o.base() + "/wp-json" + route
	if query != "" {
		u += "?" + query
	}
	return u
}

// withQuery adds name=value pairs to u's query.
func withQuery(u, pairs string) string {
	if strings.Contains(u, "?") {
		return u + "&" + pairs
	}
	return u + "?" + pairs
}

func (t *tester) do(method, u string, h http.Header, body []byte) (answer, error) {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept", "application/json")
	resp, err := t.client.Do(t.ctx, connectors.Request{Method: method, URL: u, Header: h, Body: body, FollowRedirects: true})
	if err != nil {
		return answer{}, err
	}
	return inspect(resp), nil
}

// call sends an authenticated request the way t.via says.
func (t *tester) call(method, route, query string, w way) (answer, error) {
	h := http.Header{}
	var body []byte
	if method != http.MethodGet {
		h.Set("Content-Type", "application/json")
		body = []byte("{}")
	}
	r := connectors.Request{Method: method, URL: t.apiURL(route, query), Header: h}
	if err := t.o.authorize(&r, w, t.cfg.Clock()); err != nil {
		return answer{}, err
	}
	return t.do(method, r.URL, h, body)
}

func (t *tester) run() connectors.Result {
	t.cfg.Step("Connecting to " + t.o.host() + "...")
	if r, done := t.findAPI(); done {
		return r
	}
	r := t.verify()
	if t.plain {
		r.Warn(connectors.CodeRewriteMissing, "WordPress answers its REST API only at index.php?rest_route=, because Settings > Permalinks is set to Plain (or the rewrite rules are missing): many integrations look for /wp-json/ and will not find the shop. "+permalinkAdvice)
	}
	if t.stripped && r.OK {
		r.Warn(connectors.CodeAuthHeaderStripped, "The server drops the Authorization header before WordPress sees it, so the key was accepted only in the address, where it ends up in the web server's logs. "+htaccessAdvice)
	}
	return r
}

// findAPI reads the anonymous REST index at /wp-json/, then at
// index.php?rest_route=/; it is done when it has a failure to report.
func (t *tester) findAPI() (connectors.Result, bool) {
	query := "_fields=" + url.QueryEscape(indexFields)
	first, err := t.do(http.MethodGet, t.apiURL("/", query), nil, nil)
	if err != nil {
		return netFail(err), true
	}
	a := first
	if _, ok := first.index(); !ok && (first.kind == kindOther || first.kind == kindJSON) {
		t.cfg.Step("No REST API at /wp-json/; trying index.php?rest_route=/...")
		t.plain = true
		second, err := t.do(http.MethodGet, t.apiURL("/", query), nil, nil)
		if err != nil {
			return netFail(err), true
		}
		if _, ok := second.index(); !ok && second.kind != kindWPError {
			t.plain = false
			return t.notWordPress(first), true
		}
		a = second
	}
	switch a.kind {
	case kindJSON:
		idx, _ := a.index()
		t.index = idx
		if !contains(idx.Namespaces, "wc/v3") {
			return connectors.Fail(connectors.CodeNotAPI,
				fmt.Sprintf("WordPress answers at %s, but WooCommerce's REST API (wc/v3) is not among its routes: WooCommerce is not installed or not active there.", t.o.Store),
				"In WordPress open Plugins and activate WooCommerce (version 3.5 or later), or check that Shop address is the address of the site your shop runs on."), true
		}
		return connectors.Result{}, false
	case kindWPError:
		// A plugin may refuse the anonymous index yet let a key through.
		t.anonymous = a.err.quote(t.red())
		return connectors.Result{}, false
	}
	return t.failure(a), true
}

// verify makes the authenticated read and the write probe.
func (t *tester) verify() connectors.Result {
	t.cfg.Step("Checking the key...")
	query := "_fields=" + url.QueryEscape(statusFields)
	a, err := t.call(http.MethodGet, statusRoute, query, t.via)
	if err != nil {
		return netFail(err)
	}
	if t.unrecognised(a) {
		if next, ok := t.via.fallback(); ok {
			t.cfg.Step("The server dropped the Authorization header; trying again with the key in the address...")
			b, err := t.call(http.MethodGet, statusRoute, query, next)
			if err != nil {
				return netFail(err)
			}
			t.triedBoth = true
			if !t.unrecognised(b) {
				t.via, t.stripped = next, true
				if t.o.Auth == AuthBasic {
					return connectors.Fail(connectors.CodeAuthHeaderStripped,
						"The server drops the Authorization header, so HTTP Basic never reaches WooCommerce; the same key works in the address.",
						htaccessAdvice+` Or choose Automatic in Authentication, which falls back to the address and warns.`)
				}
			}
			a = b
		}
	}
	var (
		canRead  = true
		versions = true
	)
	switch {
	case a.kind == kindJSON:
	case a.kind == kindWPError && a.err.Code == "woocommerce_rest_cannot_view" && a.resp.Status == http.StatusForbidden:
		// 403, not 401: rest_authorization_required_code() says the key
		// logged in; its user only lacks manage_woocommerce.
		versions = false
	case a.kind == kindWPError && a.err.Message == "The API key provided does not have read permissions.":
		canRead = false
	default:
		return t.failure(a)
	}
	r := connectors.Success("")
	r.Server = connectors.Server{Platform: "WooCommerce", ShopName: t.index.Name, URL: t.apiURL("/", ""), Extra: map[string]string{"auth": t.via.String()}}
	r.AddCheck("WordPress REST API answers", true, r.Server.URL)
	if t.anonymous != "" {
		r.AddCheck("Anonymous access", false, "refused by the site ("+t.anonymous+"); the key gets through")
	}
	r.AddCheck("Key accepted", true, "sent as "+t.via.String())
	if versions && canRead {
		var st struct {
			Environment struct {
				Version   string `json:"version"`
				WPVersion string `json:"wp_version"`
			} `json:"environment"`
		}
		if err := jsonUnmarshal(a.resp.Body, &st); err == nil {
			r.Server.Version = st.Environment.Version
			if st.Environment.WPVersion != "" {
				r.Server.Extra["wordpress_version"] = st.Environment.WPVersion
			}
		}
		r.AddCheck("Versions", true, "WooCommerce "+orUnknown(r.Server.Version)+", WordPress "+orUnknown(r.Server.Extra["wordpress_version"]))
	} else if !versions {
		r.AddCheck("Versions", false, "not shown: the key's user lacks the Manage WooCommerce capability (a shop manager's or administrator's key has it)")
	}
	t.cfg.Step("Checking whether the key may write (nothing is written)...")
	w, err := t.call(http.MethodPost, writeProbeRoute, "", t.via)
	if err != nil {
		return netFail(err)
	}
	var canWrite bool
	switch {
	case w.kind == kindWPError && w.err.Code == "rest_no_route":
		canWrite = true
	case w.kind == kindWPError && w.err.Message == "The API key provided does not have write permissions.":
	default:
		return t.failure(w)
	}
	access := accessOf(canRead, canWrite)
	r.Server.Extra["access"] = access
	r.Permissions = []connectors.Permission{{Resource: "wc/v3", Privilege: access}}
	r.AddCheck("Read", canRead, yesNo(canRead))
	r.AddCheck("Write", canWrite, yesNo(canWrite)+" (found out without writing)")
	name := t.index.Name
	if name == "" {
		name = t.o.host()
	}
	r.Message = fmt.Sprintf("Connected to %s: the key works and may %s.", name, accessWords(access))
	if (t.o.needsRead() && !canRead) || (t.o.needsWrite() && !canWrite) {
		r.OK, r.Code = false, connectors.CodeForbidden
		r.Message = fmt.Sprintf("The key works but may only %s, and this connection needs %s.", accessWords(access), accessWords(t.o.Required))
		r.Hint = "In " + keysPage + " click the key's description, set Permissions to Read/Write (or what you need) and click Save API key: the key and secret stay the same. Or change Required access in Advanced."
		r.AddCheck("Required access", false, t.o.Required)
	} else {
		r.AddCheck("Required access", true, t.o.Required)
	}
	return r
}

// unrecognised: WooCommerce answered as if no credentials had come.
func (t *tester) unrecognised(a answer) bool { return unrecognised(a) }

func unrecognised(a answer) bool {
	if a.kind != kindWPError {
		return false
	}
	return strings.HasPrefix(a.err.Code, "woocommerce_rest_cannot_") && a.resp.Status == http.StatusUnauthorized || a.err.notAuthenticated()
}

// fallback is the way to try when the Authorization header seems dropped.
func (w way) fallback() (way, bool) {
	switch w {
	case viaBasic:
		return viaQuery, true
	case viaOAuthHeader:
		return viaOAuthQuery, true
	}
	return 0, false
}

// failure turns an answer that is no success into the result.
func (t *tester) failure(a answer) connectors.Result {
	red := t.red()
	switch a.kind {
	case kindRedirect:
		return t.moved(a)
	case kindRateLimited:
		r := connectors.Fail(connectors.CodeRateLimited, "The shop's server refuses more requests for now ("+a.resp.StatusText+")"+retryAfter(a.resp, t.cfg.Clock())+".",
			"Wait and test again; if it keeps happening, ask your host to raise the limit or allow this computer's address in its firewall.")
		return r
	case kindServerError:
		what := a.resp.StatusText
		if a.err.Message != "" {
			what += ": " + a.err.quote(red)
		} else if title := pageTitle(a.resp.Body, red); title != "" {
			what += ` (page titled "` + title + `")`
		}
		return connectors.Fail(connectors.CodeServerError, "The shop's server failed with "+what+".",
			"Look at the site's PHP error log (or Tools > Site Health, and the email WordPress sends about critical errors) or ask your host; if the server is just busy, try again later.")
	case kindForbidden:
		return connectors.Fail(connectors.CodeForbidden,
			fmt.Sprintf("Something in front of WordPress refused the request with %s: a firewall, a security plugin or the host's protection.", describe(a.resp, red)),
			"Ask your host or check the firewall or security plugin to allow /wp-json/ (and index.php?rest_route=) from this computer's address.")
	case kindWPError:
		return t.fromError(a)
	}
	return connectors.Fail(connectors.CodeNotAPI,
		fmt.Sprintf("%s answered with %s instead of WooCommerce's REST API.", t.o.Store, describe(a.resp, red)),
		"Check Shop address: it must be the address of the WordPress site (where its front page is). "+permalinkAdvice)
}

// fromError puts WordPress's and WooCommerce's REST errors into words.
func (t *tester) fromError(a answer) connectors.Result {
	e := a.err
	quoted := e.quote(t.red())
	msg := e.Message
	switch {
	case e.Code == "rest_no_route":
		return connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("WordPress answers at %s, but WooCommerce's REST routes are missing (%s).", t.o.Store, quoted),
			"In WordPress open Plugins and check that WooCommerce (3.5 or later) is active and that no plugin disables its REST API.")
	case msg == "Consumer secret is invalid.":
		return connectors.Fail(connectors.CodeAuthInvalid, "WooCommerce knows the consumer key, but the consumer secret is wrong (\"Consumer secret is invalid.\").",
			"Copy the consumer secret (cs_...) again; if it is lost, WooCommerce cannot show it again: revoke the key in "+keysPage+" and add a new one.")
	case msg == "Consumer key is invalid.":
		return connectors.Fail(connectors.CodeAuthInvalid, "WooCommerce does not know this consumer key (\"Consumer key is invalid.\"): it was revoked, or belongs to another shop.", newKeyAdvice)
	case msg == "The API key provided does not have read permissions.":
		return connectors.Fail(connectors.CodeForbidden, "The key is write-only: WooCommerce refuses it to read (\"The API key provided does not have read permissions.\").",
			"In "+keysPage+" click the key's description, set Permissions to Read/Write and click Save API key.")
	case msg == "Invalid signature - provided signature does not match.":
		return connectors.Fail(connectors.CodeSignatureInvalid,
			"WooCommerce knows the consumer key, but the OAuth 1.0a signature does not match (\"Invalid signature - provided signature does not match.\"): the consumer secret is wrong, or the address differs from WordPress's own.",
			"Copy the consumer secret again, and check that Shop address and Use HTTPS match the Site Address in WordPress's Settings > General (www or not, the folder, https).")
	case msg == "Invalid signature - signature method is invalid.":
		return connectors.Fail(connectors.CodeSignatureMethodUnsupported, "WooCommerce refused the signature method ("+quoted+"); it accepts HMAC-SHA1 and HMAC-SHA256.",
			"This shop's WooCommerce is changed by a plugin; turn on Use HTTPS so that Basic authentication is used instead.")
	case msg == "Invalid timestamp.":
		return t.clockSkew(a)
	case msg == "Invalid nonce - nonce has already been used.":
		return connectors.Fail(connectors.CodeSignatureInvalid,
			"WooCommerce refused the request as a replay (\"Invalid nonce - nonce has already been used.\"): something between this computer and WordPress sent the same signed request twice.",
			"Check for a proxy, cache or firewall that retries requests, and test again; over HTTPS the key is sent without a signature and this cannot happen.")
	case e.Code == "woocommerce_rest_authentication_missing_parameter":
		return connectors.Fail(connectors.CodeSignatureInvalid, "WooCommerce received only part of the OAuth 1.0a signature ("+quoted+").",
			"Something on the way removes parts of the request; "+htaccessAdvice)
	case e.Code == "woocommerce_rest_cannot_view" && a.resp.Status == http.StatusUnauthorized:
		// perform_basic_authentication() sets no error for an unknown key,
		// so WooCommerce answers as if none had come; the key was tried in
		// the address too, which no server strips.
		where := "in the address"
		if t.triedBoth {
			where = "in the Authorization header and in the address"
		}
		return connectors.Fail(connectors.CodeAuthInvalid,
			"WooCommerce did not recognise the consumer key: it answered as if no key had been sent (\"Sorry, you cannot list resources.\"), with the key "+where+".",
			newKeyAdvice)
	case e.notAuthenticated():
		return connectors.Fail(connectors.CodeAuthInvalid,
			"WooCommerce did not accept the key, and a plugin answered in its place ("+quoted+"), so WooCommerce's reason is hidden.", newKeyAdvice+" Check also the security plugin's REST API settings.")
	case e.isWooCommerce():
		return connectors.Fail(connectors.CodeAuthInvalid, "WooCommerce refused the key ("+quoted+").", newKeyAdvice)
	}
	return connectors.Fail(connectors.CodeAPIDisabled,
		fmt.Sprintf("The REST API is blocked on this site: a plugin or the host answered %s with %s instead of WooCommerce.", a.resp.StatusText, quoted),
		"Allow the REST API for /wp-json/wc/ in the security plugin's settings (Wordfence, iThemes, Disable REST API...) or ask your host; WooCommerce's API needs it.")
}

func (t *tester) clockSkew(a answer) connectors.Result {
	msg := "WooCommerce refused the signed request's time (\"Invalid timestamp.\"): this computer's clock and the shop's differ by more than the 15 minutes WooCommerce allows."
	if d, err := http.ParseTime(a.resp.Header.Get("Date")); err == nil {
		diff := t.cfg.Clock().Sub(d)
		dir := "ahead of"
		if diff < 0 {
			dir, diff = "behind", -diff
		}
		// Date has whole seconds and the request took some: say minutes.
		msg = fmt.Sprintf("WooCommerce refused the signed request's time (\"Invalid timestamp.\"): this computer's clock is about %d minutes %s the shop's; WooCommerce allows 15 minutes.", int(diff.Round(time.Minute)/time.Minute), dir)
	}
	return connectors.Fail(connectors.CodeClockSkew, msg,
		"Set this computer's clock to the right time (turn on automatic time), or ask the host to fix the server's; over HTTPS the key is sent without a timestamp.")
}

// notWordPress: neither /wp-json/ nor index.php?rest_route= answered. A
// WordPress page still announces its API in a Link header: a pasted shop
// page (shop.example/shop) points at the real site.
func (t *tester) notWordPress(first answer) connectors.Result {
	if first.kind == kindRedirect || first.kind == kindRateLimited || first.kind == kindServerError || first.kind == kindForbidden {
		return t.failure(first)
	}
	link := apiLink(first.resp)
	if link == "" {
		t.cfg.Step("No REST API found; looking at the site's front page...")
		if page, err := t.do(http.MethodGet, t.o.base()+"/", nil, nil); err == nil {
			link = apiLink(page.resp)
		}
	}
	if u, err := url.Parse(link); link != "" && err == nil && u.Host != "" {
		if store := storeFromAPI(u); store != "" && store != t.o.Store {
			r := connectors.Fail(connectors.CodeMoved,
				fmt.Sprintf("%s is a page of a WordPress site whose REST API is at %s.", t.o.Store, shorten(link, 200, t.red())),
				"Put "+store+" in Shop address: the address of the site, not of one of its pages.")
			r.Location, r.LocationField = store, FieldStoreURL
			return r
		}
	}
	return connectors.Fail(connectors.CodeNotAPI,
		fmt.Sprintf("%s/wp-json/ answered with %s, not WordPress's REST API; index.php?rest_route=/ did not answer either.", t.o.Store, describe(first.resp, t.red())),
		"Check Shop address: it must be the address of the WordPress site your shop runs on (where its front page is). If it is, a plugin or the server hides the REST API; "+permalinkAdvice)
}

func (t *tester) moved(a answer) connectors.Result {
	loc := a.resp.Location()
	u, err := url.Parse(loc)
	shown := shorten(loc, 200, t.red())
	if err == nil {
		c := *u
		c.User, c.RawQuery = nil, ""
		shown = shorten(c.String(), 200, t.red())
	}
	r := connectors.Fail(connectors.CodeMoved,
		"The shop sends its API to another address: "+shown+". Storelink did not follow, so that the key is not sent to a different server.",
		"If that is the shop's new address, put it in Shop address; otherwise fix the redirect on the server.")
	if err != nil || u.Host == "" {
		return r
	}
	r.Location, r.LocationField = storeFromAPI(u), FieldStoreURL
	if u.Scheme == "http" && t.o.HTTPS {
		r.Message = "The shop sends its API from HTTPS to plain HTTP at " + shown + ". Storelink did not follow, so that the key does not travel unencrypted."
		r.Hint = "Fix the redirect on the server so HTTPS stays on (WordPress's Settings > General addresses should start with https://)."
	} else if r.Location != "" {
		r.Hint = "If that is the shop's new address, put " + r.Location + " in Shop address; otherwise fix the redirect on the server (WordPress Address and Site Address in Settings > General)."
	}
	return r
}

// storeFromAPI turns an API address (…/wp-json/…, …/?rest_route=) into a
// Shop address value.
func storeFromAPI(u *url.URL) string {
	p := u.Path
	if i := strings.Index(p, "/wp-json"); i >= 0 {
		p = p[:i]
	}
	s, _ := NormalizeStoreURL(u.Host + p)
	return s
}

func retryAfter(resp *connectors.Response, now time.Time) string {
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return ""
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return fmt.Sprintf("; it asks to wait %s before trying again", (time.Duration(secs) * time.Second).String())
	}
	if at, err := http.ParseTime(v); err == nil {
		return fmt.Sprintf("; it asks to wait until %s (in %s)", at.UTC().Format(time.RFC1123), at.Sub(now).Round(time.Second))
	}
	return ""
}

func netFail(err error) connectors.Result {
	r := connectors.FailFromError(err)
	if r.Hint == "" && r.Code != connectors.CodeCanceled {
		r.Hint = "Check the Shop address and that the shop is reachable from this computer."
	}
	return r
}

func accessOf(read, write bool) string {
	switch {
	case read && write:
		return AccessReadWrite
	case write:
		return AccessWrite
	case read:
		return AccessRead
	}
	return "none"
}

func accessWords(access string) string {
	switch access {
	case AccessReadWrite:
		return "read and write"
	case AccessWrite:
		return "write"
	case AccessRead:
		return "read"
	}
	return "do nothing"
}

func yesNo(b bool) string {
	if b {
		return "allowed"
	}
	return "not allowed"
}

func orUnknown(s string) string {
	if s == "" {
		return "(version not given)"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
