package upgates

// The add-on installation endpoint (seed 004): Upgates POSTs the JSON request
// and activates the add-on only on an answer within 5 seconds, with HTTP 200
// and a valid body {"error": false, "message": ""}. {"error": true, "message":
// "..."} refuses the installation and, per the seed, tells the customer what
// to do ("the customer has to meet additional conditions").
//
// Status codes: a POST always gets 200, refusals included. The seed makes any
// other status a bare failure ("Any response other than HTTP status code 200")
// with nothing shown to the customer, while error: true carries our message;
// so a malformed, forged, expired or oversized request gets 200 with error:
// true and the reason. Only a request that is not a POST at all (a browser, a
// probe: never Upgates) gets 405 Method Not Allowed.

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"storelink/redact"
)

// Defaults for HandlerOptions.
const (
	// DefaultBudget leaves a second of Upgates' 5 for the network.
	DefaultBudget = 4 * time.Second
	// DefaultMaxBody caps the request body, before and after decompression;
	// a real request is well under 2 KiB.
	DefaultMaxBody = 64 << 10
)

// HandlerOptions configure the installation endpoint.
type HandlerOptions struct {
	// Key verifies signatures when set; otherwise Keys supplies the key.
	Key  *rsa.PublicKey
	Keys *KeySource
	// SignatureToken is the add-on's signature_token (Marketplace > Add-on
	// details > Add-on development). Secret.
	SignatureToken string
	// Save stores the connection; it runs before the answer, within the
	// budget, and must be quick (write the vault, nothing on the network).
	Save func(ctx context.Context, in Installation) error
	// Verify, when set, runs after a successful Save in its own goroutine, so
	// a slow test of the new connection never delays the answer.
	Verify func(in Installation)
	// Logf receives one line per request; no secret is ever passed to it.
	Logf    func(format string, args ...any)
	Now     func() time.Time
	Budget  time.Duration // default DefaultBudget
	MaxBody int64         // default DefaultMaxBody
}

// Handler is the installation endpoint; build it with NewHandler.
type Handler struct {
	o HandlerOptions
	// decodes holds a place for each body being decompressed: at most
	// MaxDecodes at once, so many bombs cost MaxDecodes×DecodeMemory(MaxBody).
	decodes chan struct{}
}

var _ http.Handler = (*Handler)(nil)

// NewHandler checks the options and returns the endpoint.
func NewHandler(o HandlerOptions) (*Handler, error) {
	switch {
	case o.Key == nil && o.Keys == nil:
		return nil, errors.New("upgates: the installation endpoint needs a public key or a key source")
	case o.SignatureToken == "":
		return nil, errors.New("upgates: the installation endpoint needs the add-on's signature token")
	case o.Save == nil:
		return nil, errors.New("upgates: the installation endpoint needs a Save function")
	}
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return &Handler{o: o, decodes: make(chan struct{}, MaxDecodes)}, nil
}

// Answer is the endpoint's JSON reply (seed 004, "Response body").
type Answer struct {
	Error   bool   `json:"error"`
	Message string `json:"message"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.o.Budget)
	defer cancel()
	from := r.RemoteAddr
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.o.Logf("upgates install: %s from %s refused: only POST is accepted", r.Method, from)
		writeAnswer(w, http.StatusMethodNotAllowed, Answer{Error: true, Message: "Only POST is accepted here."})
		return
	}
	body, err := h.readBody(ctx, r)
	if errors.Is(err, errBusy) {
		h.o.Logf("upgates install: request from %s refused: %d others were being decompressed for the whole budget", from, MaxDecodes)
		writeAnswer(w, http.StatusOK, Answer{Error: true, Message: "Storelink is busy with other installation requests; please try the installation again in a minute."})
		return
	}
	if err != nil {
		h.o.Logf("upgates install: request from %s refused: %v", from, err)
		writeAnswer(w, http.StatusOK, Answer{Error: true, Message: "Storelink could not read the installation request: " + err.Error() + "."})
		return
	}
	in, err := h.verify(ctx, body)
	if err != nil {
		h.o.Logf("upgates install: request from %s refused: %s", from, logReason(err))
		writeAnswer(w, http.StatusOK, Answer{Error: true, Message: customerMessage(err)})
		return
	}
	mask := redact.New()
	mask.Add(in.APIKey, h.o.SignatureToken)
	shop := hostOf(in.APIURL)
	if err := h.o.Save(ctx, in); err != nil {
		h.o.Logf("upgates install: saving the connection for %s (token %s) failed: %s", shop, in.Token, mask.String(err.Error()))
		writeAnswer(w, http.StatusOK, Answer{Error: true, Message: "Storelink verified the request but could not save the connection; please try the installation again."})
		return
	}
	h.o.Logf("upgates install: connection for %s (token %s, login %s) saved", shop, in.Token, in.APIUser)
	writeAnswer(w, http.StatusOK, Answer{})
	if h.o.Verify != nil {
		go h.verifyInBackground(in, shop)
	}
}

var errBusy = errors.New("busy")

// readBody reads the raw body, then decodes it once a place among the
// MaxDecodes is free. The raw read needs no place: it is at most MaxBody and
// waits on the network, not on memory.
func (h *Handler) readBody(ctx context.Context, r *http.Request) ([]byte, error) {
	raw, err := readRaw(r.Body, h.o.MaxBody)
	enc := r.Header.Get("Content-Encoding")
	if err != nil || len(encodings(enc)) == 0 {
		return raw, err
	}
	select {
	case h.decodes <- struct{}{}:
	case <-ctx.Done():
		return nil, errBusy
	}
	defer func() { <-h.decodes }()
	return DecodeBody(raw, enc, h.o.MaxBody)
}

func (h *Handler) verify(ctx context.Context, body []byte) (Installation, error) {
	if h.o.Key != nil {
		return VerifyInstallation(body, h.o.Key, h.o.SignatureToken, h.o.Now())
	}
	return h.o.Keys.Verify(ctx, body, h.o.SignatureToken, h.o.Now())
}

func (h *Handler) verifyInBackground(in Installation, shop string) {
	defer func() {
		if p := recover(); p != nil {
			h.o.Logf("upgates install: verifying the connection for %s failed: %v", shop, p)
		}
	}()
	h.o.Verify(in)
}

func writeAnswer(w http.ResponseWriter, status int, a Answer) {
	data, _ := json.Marshal(a) // two plain fields: cannot fail
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(data) // the caller has gone if this fails; nothing to do
}

func hostOf(apiURL string) string {
	if u, err := url.Parse(apiURL); err == nil && u.Host != "" {
		return u.Host
	}
	return "an unknown shop"
}

// logReason is the refusal for the log: the InstallError text names the
// field and reason only, never a value.
func logReason(err error) string {
	var ie *InstallError
	if errors.As(err, &ie) {
		return string(ie.Code) + ": " + ie.Error()
	}
	return err.Error()
}

// customerMessage is what Upgates shows the shop owner.
func customerMessage(err error) string {
	var ie *InstallError
	switch {
	case errors.Is(err, ErrSignatureInvalid):
		return "Storelink could not confirm that this request comes from Upgates (the signature does not match). Check the add-on's signature token in Storelink, then try again."
	case errors.Is(err, ErrSignatureExpired):
		return "The installation request has expired. Please start the installation again; if it keeps happening, the clock of the computer running Storelink may be wrong."
	case errors.As(err, &ie):
		return "The installation request is not valid: " + strings.TrimPrefix(ie.Error(), "installation request: ") + "."
	default:
		return "Storelink could not check the request's signature right now (Upgates' public key is unavailable). Please try again in a few minutes."
	}
}
