package connectors

import (
	"context"
	"errors"
	"time"
)

// Warning is something worth knowing about a test that did not fail it.
type Warning struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Check is one step of a test and how it went.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Permission is what the credentials may do with one resource: HTTP methods
// (PrestaShop), or a privilege such as "readonly" (Upgates).
type Permission struct {
	Resource string `json:"resource"`
	// Title is the resource in the back office's words, when its ID is not
	// ("Stores > Settings > All Stores" for Magento_Backend::store).
	Title     string   `json:"title,omitempty"`
	Methods   []string `json:"methods,omitempty"`
	Privilege string   `json:"privilege,omitempty"`
}

// Server describes what answered.
type Server struct {
	Platform string            `json:"platform,omitempty"`
	Version  string            `json:"version,omitempty"`
	ShopName string            `json:"shop_name,omitempty"`
	URL      string            `json:"url,omitempty"` // final API address after same-host redirects
	Extra    map[string]string `json:"extra,omitempty"`
}

// Result is the outcome of Connector.Test.
type Result struct {
	OK          bool          `json:"ok"`
	Code        Code          `json:"code"`
	Message     string        `json:"message"`
	Hint        string        `json:"hint"`
	Warnings    []Warning     `json:"warnings"`
	Checks      []Check       `json:"checks"`
	Permissions []Permission  `json:"permissions"`
	Server      Server        `json:"server"`
	Duration    time.Duration `json:"-"`
	Requests    int           `json:"requests"`
	// Location is the new address when Code is CodeMoved, and LocationField
	// the field it belongs in, so the user can be offered to update it.
	Location      string `json:"location,omitempty"`
	LocationField string `json:"-"`
	// Forceable: a local guard refused (lockout); the user may confirm and
	// run again with Config.Force.
	Forceable bool `json:"forceable,omitempty"`
	// Certificate is the one a tls failure saw, to show and to trust.
	Certificate *CertificateInfo `json:"certificate,omitempty"`
	// Exchanges are the HTTP requests made, secrets masked, for "Technical details".
	Exchanges []Exchange `json:"-"`
	// Presentation is the result split for reading: headline, reason,
	// steps, technical details and fixes (JSON keys headline, reason,
	// steps, technical, fixes beside message and hint). Run completes it
	// with Present.
	Presentation
}

// Fail builds a failed result.
func Fail(code Code, message, hint string) Result {
	return Result{Code: code, Message: message, Hint: hint}
}

// Success builds a passing result.
func Success(message string) Result {
	return Result{OK: true, Code: CodeOK, Message: message}
}

// Warn adds a warning.
func (r *Result) Warn(code Code, message string) {
	r.Warnings = append(r.Warnings, Warning{Code: code, Message: message})
}

// AddCheck records one step.
func (r *Result) AddCheck(name string, ok bool, detail string) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Detail: detail})
}

// HasWarning reports whether a warning with code was given.
func (r Result) HasWarning(code Code) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// FromContext turns a context's end into a result, or reports false.
func FromContext(ctx context.Context) (Result, bool) {
	switch err := ctx.Err(); {
	case err == nil:
		return Result{}, false
	case errors.Is(err, context.DeadlineExceeded):
		return Fail(CodeTimeout, "The test ran out of time before the store answered.", "Check that the store is up, or raise the request timeout in Advanced."), true
	default:
		return Fail(CodeCanceled, "The test was cancelled.", ""), true
	}
}

// Describe is the one place a result becomes words for people.
func Describe(r Result) string {
	if r.OK {
		s := r.Message
		if s == "" {
			s = "The connection works."
		}
		for _, w := range r.Warnings {
			s += "\nWarning: " + w.Message
		}
		return s
	}
	s := r.Message
	if r.Hint != "" {
		s += "\nWhat to do: " + r.Hint
	}
	return s + "\n(code " + string(r.Code) + ")"
}

// LogFields are what a log line says of a finished test: the code, the
// requests made, the duration, and for a failure its message (and, for an
// internal error, the stack). Messages never hold secrets; the log's
// redactor masks them anyway.
func (r Result) LogFields() map[string]any {
	f := map[string]any{"code": string(r.Code), "requests": r.Requests, "duration": r.Duration.Round(time.Millisecond).String()}
	if !r.OK {
		f["message"] = r.Message
	}
	if r.Code == CodeInternalError {
		for _, c := range r.Checks {
			f["stack"] = c.Detail
		}
	}
	return f
}
