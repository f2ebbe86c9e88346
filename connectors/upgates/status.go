package upgates

// The answer of GET {api_url}/status, turned into a Result. What each status
// means comes from the API docs' table "Stavové kódy" and the group "Stav API".

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/redact"
)

// Privileges a service can have in the status answer ("Stav API": deny - no
// access, readonly - only HTTP GET, all - everything).
const (
	PrivilegeDeny     = "deny"
	PrivilegeReadonly = "readonly"
	PrivilegeAll      = "all"
)

// Status is the body of GET /api/v2/status ("Informace o stavu API").
type Status struct {
	Services          []Service `json:"services"`
	DocumentationLink string    `json:"documentation_link"`
}

// Service is one endpoint and what this API user may do with it.
type Service struct {
	Service   string `json:"service"`
	URL       string `json:"url"`
	Privilege string `json:"privilege"`
}

// Rate-limit headers, sent with every answer (API docs, Rate Limiting /
// Omezení počtu požadavků), and their keys in Result.Server.Extra.
var rateHeaders = []struct{ header, key, label string }{
	{"X-Rate-Limit-Hour", "rate_limit_hour", "per hour"},
	{"X-Rate-Limit-Hour-Remaining", "rate_limit_hour_remaining", "left this hour"},
	{"X-Rate-Limit-Day", "rate_limit_day", "per day"},
	{"X-Rate-Limit-Day-Remaining", "rate_limit_day_remaining", "left today"},
	{"X-Rate-Limit-Total-Remaining", "rate_limit_total_remaining", "left in total"},
}

type answerContext struct {
	red   *redact.Redactor // masks server text before it is cut
	opts  options
	host  string
	guard *guard
	now   time.Time
}

func basicAuth(user, key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+key))
}

// classify turns the answer into a result; it never sends another request.
func classify(resp *connectors.Response, ac answerContext) connectors.Result {
	var r connectors.Result
	switch s := resp.Status; {
	case s == http.StatusOK:
		r = statusOK(resp, ac)
	case s == http.StatusUnauthorized:
		r = unauthorized(ac)
	case s == http.StatusForbidden:
		r = forbidden(resp, ac)
	case s == http.StatusTooManyRequests:
		r = rateLimited(resp, ac.now)
	case s == http.StatusMovedPermanently || s == http.StatusFound || s == http.StatusTemporaryRedirect || s == http.StatusPermanentRedirect:
		r = moved(resp, ac)
	case s == http.StatusNotFound:
		r = connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("%s answered 404 Not Found: there is no Upgates API at %s.", ac.host, ac.opts.APIURL),
			"Copy the API address into Shop address exactly as the Upgates admin shows it under Add-ons > API; it ends in /api/v2.").With(connectors.Presentation{
			Headline: "There is no Upgates API at this address",
			Reason:   connectors.Text("{host} answered 404 Not Found to {address}/status.", "host", ac.host, "address", ac.opts.APIURL),
			Steps:    apiURLSteps,
		})
	case s >= 500:
		r = connectors.Fail(connectors.CodeServerError,
			fmt.Sprintf("Upgates answered %s%s.", resp.StatusText, withText(messageOf(resp.Body, ac.red))),
			"This is a fault on Upgates' side; try again later, and if it persists contact Upgates technical support.").With(connectors.Presentation{
			Headline: "Upgates failed with a server error",
			Reason:   "The fault is on Upgates' side, not in the login or key.",
			Steps:    connectors.Steps("Try again later.", "If it persists, contact Upgates technical support."),
		})
	default:
		r = connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("%s answered %s, which the Upgates API does not send to a status request%s.", ac.host, resp.StatusText, withText(messageOf(resp.Body, ac.red))),
			"Check the Shop address against the API address in the Upgates admin under Add-ons > API.").With(connectors.Presentation{
			Headline: "The address does not answer like the Upgates API",
			Reason:   connectors.Text("{host} answered {status}, which the Upgates API does not send to a status request.", "host", ac.host, "status", resp.StatusText),
			Steps:    apiURLSteps,
		})
	}
	r.Technical = append(r.Technical, connectors.Tech("Status", resp.StatusText, "Upgates' answer", messageOf(resp.Body, ac.red))...)
	addRateLimits(&r, resp.Header)
	return r
}

// apiURLSteps fix an API URL that is not Upgates'.
var apiURLSteps = connectors.Steps(
	"In the Upgates admin, open Add-ons > API.",
	"Copy the API address exactly as shown there (it ends in /api/v2) into Shop address, and test again.")

// loginSteps give the login and key again.
var loginSteps = connectors.Steps(
	"In the Upgates admin, open Add-ons > API and check that the API access still exists and is active.",
	"Copy its login and key again, and test once.")

func statusOK(resp *connectors.Response, ac answerContext) connectors.Result {
	var st Status
	if err := json.Unmarshal(resp.Body, &st); err != nil || st.Services == nil {
		return connectors.Fail(connectors.CodeNotAPI,
			fmt.Sprintf("%s answered, but not like the Upgates API: the answer is not the status list (%s).", ac.host, connectors.MaskedExcerpt(ac.red, resp.Body, 80)),
			"Check the Shop address: it must be the API address the Upgates admin shows under Add-ons > API, ending in /api/v2.")
	}
	r := connectors.Success(fmt.Sprintf("The Upgates API at %s accepts this login.", ac.host))
	r.Headline = connectors.Text("The Upgates API at {host} accepts this login", "host", ac.host)
	r.Server = connectors.Server{Platform: "Upgates", URL: ac.opts.APIURL}
	counts := map[string]int{}
	for _, s := range st.Services {
		name := s.Service
		if name == "" {
			name = s.URL
		}
		r.Permissions = append(r.Permissions, connectors.Permission{Resource: name, Privilege: s.Privilege})
		counts[s.Privilege]++
	}
	r.AddCheck("Login", true, "API login accepted (HTTP Basic).")
	r.AddCheck("Permissions", counts[PrivilegeAll]+counts[PrivilegeReadonly] > 0, permissionSummary(len(st.Services), counts))
	r.Reason = permissionSummary(len(st.Services), counts)
	if counts[PrivilegeAll]+counts[PrivilegeReadonly] == 0 {
		r.Steps = connectors.Steps("In the Upgates admin, open Add-ons > API, grant this access the services it needs, and test again.")
	}
	return r
}

func permissionSummary(total int, counts map[string]int) string {
	if total == 0 {
		return "Upgates lists no services for this API access."
	}
	s := fmt.Sprintf("%s: %d full access, %d read only, %d denied.", fmtCount(total, "service", "services"),
		counts[PrivilegeAll], counts[PrivilegeReadonly], counts[PrivilegeDeny])
	if counts[PrivilegeAll]+counts[PrivilegeReadonly] == 0 {
		s += " The login works but may use no service; grant the services it needs in the Upgates admin (Add-ons > API)."
	}
	return s
}

func unauthorized(ac answerContext) connectors.Result {
	n, err := ac.guard.record(ac.host)
	msg := "Upgates refused the API login or key (401 Unauthorized)."
	if err == nil {
		msg += fmt.Sprintf(" That is %s from this computer to %s in the last hour; Upgates blocks the address for an hour after %d.",
			fmtCount(n, "failed login", "failed logins"), ac.host, LockoutAttempts)
		if n >= LockoutAttempts-1 {
			msg += " Storelink will not send another login there within the hour unless you confirm."
		}
	}
	r := connectors.Fail(connectors.CodeAuthInvalid, msg,
		"Copy the API login and key again from the Upgates admin (Add-ons > API) and check that the access still exists. Storelink does not retry a refused login by itself.")
	r.Headline = "Upgates refused the API login or key"
	r.Reason = "The login or key is wrong, or the API access no longer exists. Upgates blocks an address for an hour after 5 failed logins."
	if err == nil {
		r.Reason = connectors.Text("The login or key is wrong, or the API access no longer exists. This is failed login {count} of {limit} within an hour from this computer; Upgates then blocks it for an hour.",
			"count", strconv.Itoa(n), "limit", strconv.Itoa(LockoutAttempts))
	}
	r.Steps = loginSteps
	if err != nil {
		r.AddCheck("Lockout guard", false, "Could not remember this failed login: "+err.Error())
	}
	return r
}

// forbidden tells a lockout from a refused user. /status "nevyžaduje nastavení
// oprávnění, je povolen vždy pro všechny API uživatele", so of the documented
// 403 causes only two remain: "API uživatel není aktivní, nebo byl překročen
// maximální počet pokusů o přihlášení". The docs give no body for either, so
// the message text decides when it speaks of login attempts or a block, and
// otherwise failed logins remembered within the hour do.
func forbidden(resp *connectors.Response, ac answerContext) connectors.Result {
	text := messageOf(resp.Body, ac.red)
	recent, _ := ac.guard.recent(ac.host)
	if lockoutAnswer(text, len(recent)) {
		// Attempts while blocked may extend Upgates' floating window: keep
		// counting so the guard keeps refusing.
		_, _ = ac.guard.record(ac.host)
		return connectors.Fail(connectors.CodeLockedOut,
			fmt.Sprintf("Upgates has blocked API logins from this address after too many failed attempts (403 Forbidden%s).", withText(text)),
			"Upgates blocks an address for an hour after 5 failed logins. Wait an hour without trying, then test once with the login and key copied again from the Upgates admin (Add-ons > API).").With(connectors.Presentation{
			Headline: "Upgates blocks logins from this computer for an hour",
			Reason:   "Upgates blocks an address for an hour after 5 failed logins, and each attempt meanwhile may extend the block.",
			Steps: connectors.Steps(
				"Wait an hour without testing.",
				"Meanwhile, copy the login and key again from the Upgates admin (Add-ons > API).",
				"Then test once."),
		})
	}
	return connectors.Fail(connectors.CodeForbidden,
		fmt.Sprintf("Upgates refused this API access (403 Forbidden%s): the API user is not active.", withText(text)),
		"Activate the API access in the Upgates admin under Add-ons > API, or create a new one for Storelink.").With(connectors.Presentation{
		Headline: "The Upgates API access is not active",
		Reason:   "Upgates refused the access with 403 Forbidden: the API user is switched off.",
		Steps: connectors.Steps(
			"In the Upgates admin, open Add-ons > API and activate the access, or create a new one for Storelink.",
			"Test again."),
	})
}

// lockoutAnswer tells whether a 403 with text is Upgates' block of the
// address, given how many failed logins the guard remembers within the hour.
func lockoutAnswer(text string, recent int) bool {
	return mentionsLockout(text) || (!mentionsInactive(text) && recent > 0)
}

func mentionsLockout(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"pokus", "attempt", "zablok", "blocked", "locked", "too many", "limit přihlá", "limit prihla"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func mentionsInactive(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"není aktivní", "neni aktivni", "nie je aktívny", "inactive", "not active", "disabled", "deaktiv"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// rateLimited: "Retry-After - datum a čas kdy je možné udělat další požadavek
// který už nebude omezen. Časový údaj je v GMT." An HTTP date, then; a number
// of seconds is accepted too, as RFC 9110 allows.
func rateLimited(resp *connectors.Response, now time.Time) connectors.Result {
	when, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	var after string
	if ok {
		after = "Try again after " + ClockTime(when, now) + "."
	} else {
		// "Hodinový limit se resetuje vždy počátkem nové hodiny."
		after = "Upgates did not say when; the hourly limit starts again at " + ClockTime(now.Truncate(time.Hour).Add(time.Hour), now) + "."
	}
	r := connectors.Fail(connectors.CodeRateLimited,
		"Upgates' request limit for this shop is used up (429 Too Many Requests). "+after,
		"Wait until then. Upgates also answers 429 when more than 3 requests run at once; keep the concurrency level at 3 or lower. A larger limit is bought in the Upgates admin.")
	r.Headline = "Upgates' request limit for this shop is used up"
	r.Reason = after
	r.Steps = connectors.Steps(
		"Wait until then and test again.",
		"Keep the number of requests at once at 3 or lower (Advanced): Upgates also refuses more than 3 at a time.",
		"A larger limit is bought in the Upgates admin.")
	r.Technical = connectors.Tech("Retry-After", resp.Header.Get("Retry-After"))
	if ok {
		r.Server.Extra = map[string]string{"retry_after": when.UTC().Format(time.RFC3339)}
	}
	return r
}

// ParseRetryAfter reads Retry-After as an HTTP date (what Upgates sends) or
// as seconds from now.
func ParseRetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ClockTime says t in now's time zone: "14:00", or "14:00 on Tue 2 Jan" when
// it is not on now's day.
func ClockTime(t, now time.Time) string {
	t = t.In(now.Location())
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return t.Format("15:04")
	}
	return t.Format("15:04 on Mon 2 Jan")
}

// moved: "301 Moved Permanently - e-shop byl přesunut na jiný server. V tomto
// případě server vrací hlavičku Location s novou adresou." The JSON body
// {"api_url": ...} is not in the docs; it is read as well because some
// answers carry the new address only there.
func moved(resp *connectors.Response, ac answerContext) connectors.Result {
	loc := resp.Location()
	if loc == "" {
		var body struct {
			APIURL string `json:"api_url"`
		}
		if json.Unmarshal(resp.Body, &body) == nil {
			loc = strings.TrimSpace(body.APIURL)
		}
	}
	if loc == "" {
		return connectors.Fail(connectors.CodeMoved,
			fmt.Sprintf("Upgates says the shop has moved (%s) but did not give the new address.", resp.StatusText),
			"Copy the current API address from the Upgates admin (Add-ons > API) into Shop address.").With(connectors.Presentation{
			Headline: "The shop has moved to another Upgates server",
			Reason:   "Upgates did not say the new address.",
			Steps:    apiURLSteps,
		})
	}
	// The redirect of .../api/v2/status names the new status URL.
	loc = strings.TrimSuffix(strings.TrimRight(loc, "/"), "/status")
	loc, _ = NormalizeAPIURL(loc)
	r := connectors.Fail(connectors.CodeMoved,
		fmt.Sprintf("The shop has moved to another Upgates server: the API is now at %s.", loc),
		"Put the new address in Shop address (Storelink offers to do it), then test again.")
	r.Location, r.LocationField = loc, FieldAPIURL
	r.Presentation = connectors.Presentation{
		Headline: "The shop has moved to another Upgates server",
		Reason:   connectors.Text("The API is now at {address}.", "address", loc),
		Steps:    connectors.Steps("Use the new address (the button does it), then test again."),
		Fixes:    []connectors.Fix{{Label: "Use the new address", Field: FieldAPIURL, Value: loc}},
	}
	return r
}

func addRateLimits(r *connectors.Result, h http.Header) {
	var parts []string
	for _, rh := range rateHeaders {
		v := strings.TrimSpace(h.Get(rh.header))
		if v == "" {
			continue
		}
		if r.Server.Extra == nil {
			r.Server.Extra = map[string]string{}
		}
		r.Server.Extra[rh.key] = v
		parts = append(parts, v+" "+rh.label)
	}
	if len(parts) == 0 {
		return
	}
	ok := true
	if n, err := strconv.Atoi(h.Get("X-Rate-Limit-Total-Remaining")); err == nil && n <= 0 {
		ok = false
	}
	r.AddCheck("Rate limit", ok, "Requests: "+strings.Join(parts, ", ")+".")
}

// messageOf pulls the message text out of an Upgates error body. The docs say
// only "V případě chyby vrací API JSON s textem zprávy"; both {"message": ...}
// and the documented ErrorMessage list {"messages": [{"message": ...}]} are read,
// and a short non-JSON body is taken as it is.
func messageOf(body []byte, red *redact.Redactor) string {
	var doc struct {
		Message  any `json:"message"`
		Error    any `json:"error"`
		Messages []struct {
			Message string `json:"message"`
		} `json:"messages"`
	}
	if json.Unmarshal(body, &doc) != nil {
		s := strings.TrimSpace(string(body))
		if s == "" || strings.HasPrefix(s, "<") {
			return ""
		}
		return connectors.MaskedExcerpt(red, body, 160)
	}
	var parts []string
	for _, v := range []any{doc.Message, doc.Error} {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			parts = append(parts, strings.TrimSpace(s))
		}
	}
	for _, m := range doc.Messages {
		if s := strings.TrimSpace(m.Message); s != "" {
			parts = append(parts, s)
		}
	}
	return connectors.MaskedExcerpt(red, []byte(strings.Join(parts, "; ")), 160)
}

// withText appends the server's message, quoted, when there is one.
func withText(s string) string {
	if s == "" {
		return ""
	}
	return ": \"" + s + "\""
}
