package shopify

// refusals.go: Shopify's answers that are not the data asked for, each in
// words (shopify.dev/docs/api/usage/response-codes), and the client
// credentials grant with its OAuth errors.

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"storelink/connectors"
	"storelink/redact"
)

// refusal judges a non-2xx answer (or a 2xx that is a web page); what names
// the resource asked for ("the Admin API").
func (t *tester) refusal(resp *connectors.Response, what string) (connectors.Result, bool) {
	host := t.host()
	said := errorsText(resp.Body, t.red())
	quoted := ""
	if said != "" {
		quoted = fmt.Sprintf(": %q", said)
	}
	switch s := resp.Status; {
	case s >= 200 && s < 300:
		return connectors.Result{}, false
	case s == http.StatusUnauthorized:
		if t.o.Auth == AuthClientCredentials {
			return connectors.Fail(connectors.CodeAuthInvalid,
				fmt.Sprintf("Shopify refused the token it had just issued for %s (%s%s).", host, resp.StatusText, quoted),
				"Check in the Dev Dashboard that the app is still installed on this store, then test again."), true
		}
		return connectors.Fail(connectors.CodeAuthInvalid,
			fmt.Sprintf("Shopify does not accept the Admin API access token for %s (%s%s): it is wrong, or the app was uninstalled, which revokes its token.", host, resp.StatusText, quoted),
			"In "+developApps+" > (your app) > API credentials, reveal the token and copy it again. Shopify reveals a token only once: if yours can no longer be shown, uninstall and install the app again to get a new one."), true
	case s == http.StatusPaymentRequired:
		return connectors.Fail(connectors.CodeStoreUnavailable,
			fmt.Sprintf("%s is frozen: Shopify refuses every API call to it until its unpaid bills are paid (%s%s).", host, resp.StatusText, quoted),
			"The store owner must sign in to the Shopify admin and pay the outstanding balance (Settings > Billing); the connection works again once the store is unfrozen."), true
	case s == http.StatusLocked:
		return connectors.Fail(connectors.CodeStoreUnavailable,
			fmt.Sprintf("%s is locked: Shopify refuses every API call to it (%s). Shopify locks a store that repeatedly exceeds its API limits, or whose account shows signs of compromise or fraud.", host, resp.StatusText),
			"The store owner must contact Shopify Support (help.shopify.com/questions) to have the store unlocked."), true
	case s == http.StatusTooManyRequests:
		wait := retryAfter(resp.Header.Get("Retry-After"), t.cfg.Clock())
		return connectors.Fail(connectors.CodeRateLimited,
			fmt.Sprintf("Shopify's request limit for this app on %s is reached (%s%s); it says to try again in %s.", host, resp.StatusText, quoted, wait),
			"Test again in "+wait+". If it keeps happening, another integration with this app's credentials is using up the limit (2 requests a second, 40 at once on the standard plan), or lower Concurrency level in Advanced."), true
	case s == http.StatusForbidden:
		return connectors.Fail(connectors.CodeForbidden,
			fmt.Sprintf("Shopify refuses %s for this app on %s (%s%s).", what, host, resp.StatusText, quoted),
			"Give the app the access scopes it needs ("+developApps+" > (your app) > Configuration, or its version in the Dev Dashboard) and install it again."), true
	case s >= 500:
		return connectors.Fail(connectors.CodeServerError,
			fmt.Sprintf("Shopify failed with %s%s at %s.", resp.StatusText, quoted, host),
			"This is Shopify's side: check www.shopifystatus.com and test again later."), true
	case s >= 300 && s < 400:
		return connectors.Fail(connectors.CodeMoved,
			fmt.Sprintf("%s sends %s elsewhere (%s to %s). Storelink did not follow, so that the token is not sent to another server.", host, what, resp.StatusText, cleanLocation(resp)),
			"Enter the store's myshopify.com address in Shop ("+domainsPage+" shows it), like "+shopExample+"."), true
	}
	if said != "" && isJSON(resp) && resp.Status != http.StatusNotFound {
		return connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("Shopify refused %s at %s (%s%s).", what, host, resp.StatusText, quoted),
			"Check Shop and API version in Advanced; "+DefaultAPIVersion+" is the newest Storelink knows."), true
	}
	return t.notAPI(resp, resp.URL.Path), true
}

// notAPI: something answered, but not Shopify's Admin API.
func (t *tester) notAPI(resp *connectors.Response, path string) connectors.Result {
	what := resp.StatusText
	if title := pageTitle(resp.Body, t.red()); title != "" {
		what = fmt.Sprintf("a web page titled %q (%s)", title, resp.StatusText)
	} else if ct := resp.Header.Get("Content-Type"); ct != "" {
		what += " (" + shorten(ct, 60, t.red()) + ")"
	}
	return connectors.Fail(connectors.CodeNotAPI,
		fmt.Sprintf("%s answered %s with %s, not Shopify's Admin API: there is no Shopify store at this address.", t.host(), path, what),
		"Check Shop address: it must be the store's myshopify.com address, like "+shopExample+" ("+domainsPage+" in the Shopify admin shows it); the store's own domain serves only its storefront.")
}

func (t *tester) netFail(err error) connectors.Result {
	r := connectors.FailFromError(err)
	if r.Code == connectors.CodeUnreachable {
		r.Hint = "Storelink tried " + t.host() + ". Check Shop address: it must be the store's myshopify.com address, like " + shopExample + ", and this computer must be online."
	}
	return r
}

// exchange asks for a token with the client credentials grant
// (POST /admin/oauth/access_token, grant_type=client_credentials); the
// token it gets is masked in everything from here on.
func (t *tester) exchange() (connectors.Result, bool) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {t.o.ClientID}, "client_secret": {t.o.ClientSecret}}
	resp, err := t.client.Do(t.ctx, connectors.Request{Method: http.MethodPost, URL: baseURL(t.o.Shop) + "/admin/oauth/access_token",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}},
		Body:   []byte(form.Encode())})
	if err != nil {
		return t.netFail(err), true
	}
	if resp.Status == http.StatusOK {
		var tok struct {
			AccessToken string  `json:"access_token"`
			Scope       string  `json:"scope"`
			ExpiresIn   float64 `json:"expires_in"`
		}
		if json.Unmarshal(resp.Body, &tok) != nil {
			return t.notAPI(resp, "/admin/oauth/access_token"), true
		}
		if tok.AccessToken == "" {
			return oauthRefusal(t.host(), "application_cannot_be_found"), true
		}
		t.red().Add(tok.AccessToken)
		t.token = tok.AccessToken
		t.expires = expiry(t.cfg.Clock(), tok.ExpiresIn)
		return connectors.Result{}, false
	}
	if code := oauthCode(resp.Body); resp.Status == http.StatusBadRequest && code != "" {
		return oauthRefusal(t.host(), code), true
	}
	if resp.Status == http.StatusUnauthorized {
		return connectors.Fail(connectors.CodeAuthInvalid,
			fmt.Sprintf("Shopify refused the client ID and secret for %s (%s).", t.host(), resp.StatusText),
			"Copy both again from "+devDashboard+", and check the app is installed on this store."), true
	}
	if r, refused := t.refusal(resp, "the token exchange"); refused {
		return r, true
	}
	return t.notAPI(resp, "/admin/oauth/access_token"), true
}

// expiry says when a token valid for secs from now ends, in UTC and in
// hours ("2026-12-04 14:43 UTC (in 24 hours)"); Shopify's are 86399 s.
func expiry(now time.Time, secs float64) string {
	if secs <= 0 || secs > 1e9 {
		return "at a time Shopify did not say"
	}
	at := now.Add(time.Duration(secs) * time.Second).UTC().Format("2006-01-02 15:04 UTC")
	n, unit := math.Ceil(secs/60), "minute"
	if h := math.Round(secs / 3600); h >= 1 {
		n, unit = h, "hour"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("at %s (in %s %s)", at, num(n), unit)
}

// oauthRefusal puts the token endpoint's error codes in words, never its
// description: Shopify's quotes the client ID back, whatever was pasted in it.
func oauthRefusal(host, code string) connectors.Result {
	switch code {
	case "application_cannot_be_found":
		return connectors.Fail(connectors.CodeAuthInvalid,
			"Shopify knows no app with this client ID (Oauth error application_cannot_be_found): the client ID is wrong, or belongs to an app not installed on "+host+".",
			"Copy the Client ID again from "+devDashboard+", and install the app on this store.")
	case "invalid_client":
		return connectors.Fail(connectors.CodeAuthInvalid,
			"Shopify knows the app, but the client secret does not match it (Oauth error invalid_client).",
			"Copy the Secret again from "+devDashboard+"; if it was rotated, only the new one works.")
	case "shop_not_permitted":
		return connectors.Fail(connectors.CodeForbidden,
			"Shopify does not allow the client credentials grant on "+host+" (Oauth error shop_not_permitted): the app and the store do not belong to the same organization.",
			"Create the app in the Dev Dashboard of the organization that owns this store and install it there, or use a custom app's Admin API access token instead.")
	case "app_not_installed":
		return connectors.Fail(connectors.CodeForbidden,
			"The app is not installed on "+host+" (Oauth error app_not_installed).",
			"Install the app on this store from the Dev Dashboard (Apps > (your app) > Install app), then test again.")
	}
	return connectors.Fail(connectors.CodeAuthInvalid,
		fmt.Sprintf("Shopify refused the client ID and secret for %s (Oauth error %s).", host, code),
		"Copy both again from "+devDashboard+", and check that the app may use the client credentials grant on this store.")
}

var oauthTitle = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`Oauth error ([A-Za-z_]+)`) })

// oauthCode is the OAuth error code of a token endpoint refusal: JSON's
// "error", or the "Oauth error <code>" of Shopify's HTML page.
func oauthCode(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return clip(e.Error)
	}
	if m := oauthTitle().FindSubmatch(body); m != nil {
		return clip(string(m[1]))
	}
	return ""
}

func clip(code string) string {
	if len(code) > 60 {
		return code[:60]
	}
	return code
}

// errorsText is Shopify's {"errors": ...}: a string, or an object or list of
// messages, in one line.
func errorsText(body []byte, red *redact.Redactor) string {
	var e struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(e.Errors, &s) == nil {
		return shorten(s, 200, red)
	}
	var list []struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(e.Errors, &list) == nil && len(list) > 0 {
		return shorten(list[0].Message, 200, red)
	}
	return shorten(string(e.Errors), 200, red)
}

func isJSON(resp *connectors.Response) bool {
	return strings.Contains(resp.Header.Get("Content-Type"), "json")
}

// retryAfter reads Retry-After (seconds, "2.0" at Shopify, or an HTTP date).
func retryAfter(v string, now time.Time) string {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f < 1e6 {
		return seconds(f)
	}
	if t, err := http.ParseTime(v); err == nil {
		return seconds(t.Sub(now).Seconds())
	}
	return "a few seconds"
}

// seconds is a wait in words, rounded up to a whole second.
func seconds(f float64) string {
	n := int(math.Ceil(f))
	if n <= 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func cleanLocation(resp *connectors.Response) string {
	u, err := url.Parse(resp.Location())
	if err != nil || u.Host == "" {
		return "another address"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

var titlePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

func pageTitle(body []byte, red *redact.Redactor) string {
	if m := titlePattern().FindSubmatch(body); m != nil {
		return shorten(string(m[1]), 80, red)
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
