// Package upgatestest emulates the Upgates API v2 on 127.0.0.1 for tests,
// and builds installation requests signed with a generated key pair. It is
// for tests of the connector, the CLI (storelink upgates import / serve) and
// the window.
//
// Every answer follows the Upgates API v2 documentation (apiary blueprint,
// https://upgatesapiv2.docs.apiary.io/api-description-document; copy read:
// mcp-open/upgates-com-mcp dev-docs/upgatesapiv2.apib): the status body of
// "Stav API", the rate-limit headers of "Rate Limiting", the statuses of
// "Stavové kódy" and the login limit of "Omezení přihlášení". The docs give
// no error bodies beyond "JSON s textem zprávy"; the emulator uses the
// documented ErrorMessage structure with the docs' own wording as the text.
package upgatestest

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
)

// Default credentials of the emulated API access.
const (
	DefaultLogin = "storelink-test"
	DefaultKey   = "Kx7pQ2mZ9wR4tY6uA1sD"
)

// Messages of the error answers, worded as the docs' status table.
const (
	MessageUnauthorized = "Chyba při autentizaci, chybějící hlavička pro autentizaci nebo špatné přihlašovací údaje."
	MessageLockedOut    = "Byl překročen maximální počet pokusů o přihlášení."
	MessageInactive     = "API uživatel není aktivní."
	MessageRateLimited  = "Překročen maximální počet požadavků."
	MessageNotFound     = "Špatná URL adresa požadavku."
	MessageMethod       = "Nepodporovaná metoda API."
	MessageNoPrivilege  = "Uživatel nemá práva na endpoint nebo metodu endpointu."
	MessageBadJSON      = "Špatný požadavek, nevalidní JSON v těle požadavku."
)

// Options choose how the emulated API answers. Zero values mean an active
// access with DefaultLogin and DefaultKey on the Gold tariff.
type Options struct {
	Login, Key string
	// Services are listed by /status; nil gives DefaultServices.
	Services []upgates.Service
	// Inactive answers 403 "API uživatel není aktivní" to the right login.
	Inactive bool
	// RateLimitedUntil, when in the future, answers 429 with Retry-After.
	RateLimitedUntil time.Time
	// MovedTo, when set, answers every request with 301 and the new API URL:
	// in Location, or only in the JSON body {"api_url": ...} with MovedInBody.
	MovedTo     string
	MovedInBody bool
	// HourLimit and DayLimit are X-Rate-Limit-Hour and -Day (Gold: 50, 600).
	HourLimit, DayLimit int
	// Now is the emulator's clock for the login limit.
	Now func() time.Time
	// Products and Orders are how many items GET /products and /orders
	// list (resources.go), PageSize items a page (100, as the docs say).
	Products, Orders, PageSize int
}

// Server is a running emulator. Its URL field (from httptest) is the root;
// APIURL is what a connection's api_url should be.
type Server struct {
	*httptest.Server
	APIURL string

	mu       sync.Mutex
	opts     Options
	requests int
	created  []productOut           // products POSTed, after Options.Products
	failures map[string][]time.Time // client IP -> failed logins
}

// New starts an emulator on 127.0.0.1; it is closed when the test ends.
func New(tb testing.TB, o Options) *Server {
	tb.Helper()
	if o.Login == "" {
		o.Login = DefaultLogin
	}
	if o.Key == "" {
		o.Key = DefaultKey
	}
	if o.HourLimit == 0 {
		o.HourLimit = 50
	}
	if o.DayLimit == 0 {
		o.DayLimit = 600
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PageSize == 0 {
		o.PageSize = 100
	}
	s := &Server{opts: o, failures: map[string][]time.Time{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// httptest falls back to [::1]; the emulator must be on 127.0.0.1 only.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("upgatestest: listening on 127.0.0.1: %v", err)
	}
	s.Server.Listener.Close()
	s.Server.Listener = l
	s.Server.Start()
	s.APIURL = s.Server.URL + upgates.APIPath
	tb.Cleanup(s.Close)
	return s
}

// Update changes the options while the server runs.
func (s *Server) Update(f func(*Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.opts)
}

// Requests is how many requests the emulator has received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// FailedLogins is how many failed logins it remembers within the hour.
func (s *Server) FailedLogins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, ts := range s.failures {
		n += len(s.recent(ts))
	}
	return n
}

// Values are connection values that pass against this server.
func (s *Server) Values() connectors.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return connectors.Values{
		upgates.FieldAPIURL: s.APIURL, upgates.FieldAPIUser: s.opts.Login, upgates.FieldAPIKey: s.opts.Key,
		upgates.FieldLanguage: "cs", connectors.FieldName: "upgates-test", connectors.FieldMode: connectors.ModeCloud,
	}
}

// DefaultServices is a status list with each privilege.
func DefaultServices(apiURL string) []upgates.Service {
	return []upgates.Service{
		{Service: "Objednávky", URL: apiURL + "/orders", Privilege: upgates.PrivilegeAll},
		{Service: "Stavy objednávek", URL: apiURL + "/order-statuses", Privilege: upgates.PrivilegeAll},
		{Service: "Produkty", URL: apiURL + "/products", Privilege: upgates.PrivilegeReadonly},
		{Service: "Kategorie", URL: apiURL + "/categories", Privilege: upgates.PrivilegeReadonly},
		{Service: "Zákazníci", URL: apiURL + "/customers", Privilege: upgates.PrivilegeDeny},
		{Service: "Webhooky", URL: apiURL + "/webhooks", Privilege: upgates.PrivilegeDeny},
	}
}

func (s *Server) recent(ts []time.Time) []time.Time {
	now := s.opts.Now()
	var out []time.Time
	for _, t := range ts {
		if now.Sub(t) < upgates.LockoutWindow {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	o := s.opts
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)

	if o.MovedTo != "" {
		// "e-shop byl přesunut na jiný server ... server vrací hlavičku Location"
		if o.MovedInBody {
			writeJSON(w, http.StatusMovedPermanently, map[string]string{"api_url": o.MovedTo})
			return
		}
		rest := strings.TrimPrefix(r.URL.Path, upgates.APIPath)
		w.Header().Set("Location", strings.TrimRight(o.MovedTo, "/")+rest)
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	// "5 špatných přihlášení za 1 hodinu na jednu IP adresu. Potom API
	// zablokuje přístup a vrací stav 403. Používá se Floating Time Window."
	s.failures[ip] = s.recent(s.failures[ip])
	if len(s.failures[ip]) >= upgates.LockoutAttempts {
		writeError(w, http.StatusForbidden, MessageLockedOut)
		return
	}
	user, key, ok := r.BasicAuth()
	if !ok || user != o.Login || key != o.Key {
		s.failures[ip] = append(s.failures[ip], o.Now())
		w.Header().Set("WWW-Authenticate", `Basic realm="Upgates API"`)
		writeError(w, http.StatusUnauthorized, MessageUnauthorized)
		return
	}
	if o.Inactive {
		writeError(w, http.StatusForbidden, MessageInactive)
		return
	}
	s.rateHeaders(w, o)
	if o.RateLimitedUntil.After(o.Now()) {
		// "Retry-After - datum a čas ... Časový údaj je v GMT."
		w.Header().Set("Retry-After", o.RateLimitedUntil.UTC().Format(http.TimeFormat))
		writeError(w, http.StatusTooManyRequests, MessageRateLimited)
		return
	}
	if s.resource(w, r, o) {
		return
	}
	if r.URL.Path != upgates.APIPath+"/status" {
		writeError(w, http.StatusNotFound, MessageNotFound)
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, MessageMethod)
		return
	}
	writeJSON(w, http.StatusOK, upgates.Status{Services: s.services(o), DocumentationLink: "https://upgatesapiv2.docs.apiary.io/"})
}

func (s *Server) services(o Options) []upgates.Service {
	if o.Services == nil {
		return DefaultServices(s.APIURL)
	}
	return o.Services
}

func (s *Server) rateHeaders(w http.ResponseWriter, o Options) {
	used := s.requests
	hourLeft := max(o.HourLimit-used, 0)
	dayLeft := o.DayLimit - max(used-o.HourLimit, 0)
	h := w.Header()
	h.Set("X-Rate-Limit-Hour", strconv.Itoa(o.HourLimit))
	h.Set("X-Rate-Limit-Day", strconv.Itoa(o.DayLimit))
	h.Set("X-Rate-Limit-Hour-Remaining", strconv.Itoa(hourLeft))
	h.Set("X-Rate-Limit-Day-Remaining", strconv.Itoa(dayLeft))
	// "Celkem = hodinový limit * 24 + denní limit", less what was used.
	h.Set("X-Rate-Limit-Total-Remaining", strconv.Itoa(max(o.HourLimit*24+o.DayLimit-used, 0)))
}

// errorBody is the docs' ErrorMessage structure.
type errorBody struct {
	Messages []errorMessage `json:"messages"`
}

type errorMessage struct {
	Object   *string `json:"object"`
	Property *string `json:"property"`
	Message  string  `json:"message"`
	Level    string  `json:"level"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Messages: []errorMessage{{Message: msg, Level: "error"}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// BasicAuth is the Authorization header for login and key.
func BasicAuth(login, key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+key))
}
