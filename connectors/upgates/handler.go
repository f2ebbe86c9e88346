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
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

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
type Handler struct{ o HandlerOptions }

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
	return &Handler{o: o}, nil
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
	body, err := ReadBody(r.Body, r.Header.Get("Content-Encoding"), h.o.MaxBody)
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

// ReadBody reads a request body of at most max bytes, decoding the
// Content-Encoding (gzip, deflate, br, zstd, identity; several are undone in
// reverse order), and refuses more than max bytes after decoding too.
func ReadBody(body io.Reader, contentEncoding string, max int64) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(body, max+1))
	if err != nil {
		return nil, fmt.Errorf("the body could not be read (%v)", err)
	}
	if int64(len(raw)) > max {
		return nil, fmt.Errorf("the body is larger than %d bytes", max)
	}
	var encs []string
	for _, e := range strings.Split(contentEncoding, ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && e != "identity" {
			encs = append(encs, e)
		}
	}
	data := raw
	for i := len(encs) - 1; i >= 0; i-- {
		if data, err = decode1(data, encs[i], max); err != nil {
			return nil, err
		}
	}
	return data, nil
}

func decode1(data []byte, enc string, max int64) ([]byte, error) {
	var (
		r   io.Reader
		err error
	)
	switch enc {
	case "gzip", "x-gzip":
		r, err = gzip.NewReader(bytes.NewReader(data))
	case "deflate":
		r, err = deflateReader(data)
	case "br":
		r = brotli.NewReader(bytes.NewReader(data))
	case "zstd":
		var d *zstd.Decoder
		d, err = zstd.NewReader(bytes.NewReader(data), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(max)+1<<20))
		if err == nil {
			defer d.Close()
			r = d
		}
	default:
		return nil, fmt.Errorf("the content encoding %q is not supported (gzip, deflate, br and zstd are)", enc)
	}
	if err != nil {
		return nil, fmt.Errorf("the %s body is damaged (%v)", enc, err)
	}
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("the %s body is damaged (%v)", enc, err)
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("the body is larger than %d bytes once decompressed", max)
	}
	return out, nil
}

// deflateReader reads HTTP "deflate", which RFC 9110 defines as zlib, and
// falls back to raw DEFLATE, which some senders use instead.
func deflateReader(data []byte) (io.Reader, error) {
	br := bufio.NewReader(bytes.NewReader(data))
	if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}
