package connectors

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"storelink/redact"
)

// Run tests one connection: it times the test, turns a panic into a failure
// and a cancelled context into CodeCanceled or CodeTimeout. It also does
// what every connector would repeat: it builds Config.HTTP, copies that
// client's requests and exchanges into the result, and warns once when a
// secret would cross the network in plain HTTP. The window and the command
// line both test through here.
func Run(ctx context.Context, info Info, cfg Config) (r Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			stack := string(debug.Stack())
			if len(stack) > 4096 {
				stack = stack[:4096]
			}
			r = Fail(CodeInternalError, fmt.Sprintf("Storelink failed while testing (%v).", p),
				"This is a bug in Storelink, not a fault of the store: please report it with the technical details and the log file.")
			r.Checks = append(r.Checks, Check{Name: "internal error", OK: false, Detail: stack})
		}
		if cfg.HTTP != nil {
			cfg.HTTP.Finish(&r)
		}
		if !r.OK {
			if cr, done := FromContext(ctx); done {
				cr.Exchanges, cr.Requests, cr.Checks = r.Exchanges, r.Requests, r.Checks
				r = cr
			}
		}
		r.Duration = time.Since(start)
		if r.Warnings == nil {
			r.Warnings = []Warning{}
		}
		if r.Checks == nil {
			r.Checks = []Check{}
		}
		if r.Permissions == nil {
			r.Permissions = []Permission{}
		}
		r.Presentation = Present(r)
		// The last word: every string of the result, after every cut and
		// every format, passes the connection's redactor.
		redactor := cfg.Client.Redactor
		if cfg.HTTP != nil {
			redactor = cfg.HTTP.Redactor()
		}
		redactor.Walk(&r)
	}()
	if cr, done := FromContext(ctx); done {
		return cr
	}
	if cfg.Values.String(FieldMode) == ModeOnPremise && cfg.Client.Dial == nil {
		// The engine gives an on-premise connection its agent's dialer; without
		// one, never fall back to a direct connection the user did not ask for.
		return Fail(CodeAgentUnavailable,
			fmt.Sprintf("The agent %q is not available, and an on-premise store is never reached directly.", cfg.Values.String(FieldAgent)),
			"Choose a saved agent (Resources > Agents), or Mode: Cloud if this computer can reach the store directly (the local network and localhost count).")
	}
	cfg.HTTP = NewClient(clientOptions(info, cfg))
	r = info.New().Test(ctx, cfg)
	warnPlainHTTP(&r, info, cfg.Values)
	return r
}

// clientOptions are cfg.Client with the connection's request timeout, a
// header timeout that never ends a request sooner, and a redactor that
// knows the connection's secrets.
func clientOptions(info Info, cfg Config) ClientOptions {
	opts := cfg.Client
	if t, ok := requestTimeout(cfg.Values); ok {
		opts.Timeout = t
	} else if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.HeaderTimeout < opts.Timeout {
		// A slow store may take all of the time the user allowed before it
		// sends its headers (a request timeout of 30 s once ended at 20 s).
		opts.HeaderTimeout = opts.Timeout
	}
	if opts.Redactor == nil {
		opts.Redactor = redact.New()
	}
	opts.Trust = trustFrom(cfg.Values)
	for _, v := range info.SecretValues(cfg.Values) {
		opts.Redactor.Add(v, strings.TrimSpace(v)) // connectors send them trimmed
	}
	return opts
}

// requestTimeout reads the request_timeout value, if it holds a valid one.
func requestTimeout(values Values) (time.Duration, bool) {
	secs, err := strconv.Atoi(values.String(FieldRequestTimeout))
	if err != nil || secs < 1 || secs > MaxRequestTimeout {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}

// warnPlainHTTP adds the insecure_http warning once when the connection
// sends a secret over plain HTTP to a host that is not local. Values that
// could not be tested earn no warning: the form already says what is wrong.
func warnPlainHTTP(r *Result, info Info, values Values) {
	if r.Code == CodeInvalidInput || r.HasWarning(CodeInsecureHTTP) {
		return
	}
	if w := PlainHTTPRisk(info, values); w != "" {
		r.Warn(CodeInsecureHTTP, w)
	}
}

// PlainHTTPRisk is the insecure_http warning for these values, or "" when
// no secret would cross the network unencrypted to a host that is not
// local. Saves without a test report it too.
func PlainHTTPRisk(info Info, values Values) string {
	if info.PlainHTTP == nil {
		return ""
	}
	host, secret := info.PlainHTTP(values)
	if secret == "" || host == "" || IsLocalHost(host) {
		return ""
	}
	return PlainHTTPWarning(secret, host)
}

// PlainHTTPWarning is the one wording of the insecure_http warning: secret
// names what travels ("API key", "consumer secret and token secret").
func PlainHTTPWarning(secret, host string) string {
	verb, them := "travels", "it"
	if strings.Contains(secret, " and ") {
		verb, them = "travel", "them"
	}
	return fmt.Sprintf("The %s %s unencrypted over plain HTTP to %s; anyone on the way can read %s. Use HTTPS.", secret, verb, host, them)
}
