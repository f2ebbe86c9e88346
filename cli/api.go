package cli

// api.go: `storelink api NAME [METHOD] PATH`, one request of a saved
// connection's store API with its saved credentials, as `gh api` makes
// one of GitHub's: the engine signs and sends it (agent, trust settings,
// concurrency level, Upgates guard) and masks every secret in what comes
// back; this file turns flags into the request and the answers into output.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/term"

	"storelink/connectors"
	"storelink/engine"
)

// maxInput caps a request body read from a file or standard input.
const maxInput = 32 << 20

// apiFlags are the command's flags.
type apiFlags struct {
	fields, headers        multi
	input, output          string
	include, silent        bool
	verbose, paginate, raw bool
	yes, force             bool
	timeout                time.Duration
}

// multi is a repeatable flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ", ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

var methodName = regexp.MustCompile(`^[A-Za-z]+$`)

func cmdAPI(ctx context.Context, c *call, args []string) error {
	var f apiFlags
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	fs.Var(&f.fields, "f", "")
	fs.Var(&f.fields, "field", "")
	fs.Var(&f.headers, "H", "")
	fs.Var(&f.headers, "header", "")
	fs.StringVar(&f.input, "input", "", "")
	fs.StringVar(&f.output, "output", "", "")
	fs.BoolVar(&f.include, "i", false, "")
	fs.BoolVar(&f.include, "include", false, "")
	fs.BoolVar(&f.silent, "silent", false, "")
	fs.BoolVar(&f.verbose, "verbose", false, "")
	fs.BoolVar(&f.paginate, "paginate", false, "")
	fs.BoolVar(&f.raw, "raw", false, "")
	fs.BoolVar(&f.yes, "yes", false, "")
	fs.BoolVar(&f.force, "force", false, "")
	fs.DurationVar(&f.timeout, "timeout", 0, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	var name, method, path string
	switch len(pos) {
	case 2:
		name, path = pos[0], pos[1]
	case 3:
		name, method, path = pos[0], strings.ToUpper(pos[1]), pos[2]
		if !methodName.MatchString(method) {
			return usagef("api: the method %q is not an HTTP method; give GET, POST, PUT, PATCH, DELETE or HEAD before the path", pos[1])
		}
	default:
		return usagef("api takes a connection name, an optional method and a path: storelink api NAME [METHOD] PATH (see `storelink list`)")
	}
	if len(f.fields) > 0 && f.input != "" {
		return usagef("api: give the body either as -f fields or with --input, not both")
	}
	if f.timeout < 0 {
		return usagef("api: --timeout must be a positive duration, like 30s")
	}
	header, err := parseHeaders(f.headers)
	if err != nil {
		return err
	}
	if c.env.WarmKeychain != nil {
		c.env.WarmKeychain() // meanwhile the engine opens and reads the connection
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	res := eng.Of(engine.KindConnection)
	saved, err := res.Get(name)
	if err != nil {
		return connectionKind().notFound(eng, name, err)
	}
	info, err := res.Form(saved.App)
	if err != nil {
		return err
	}
	if info.API == nil {
		return usagef("api: Storelink cannot make requests of %s stores yet; use `storelink exec` to hand the connection's settings to your own program", info.Title)
	}
	body, contentType, err := requestBody(c, info.API.Fields, path, f)
	if err != nil {
		return err
	}
	if method == "" {
		method = http.MethodGet
		if body != nil {
			method = http.MethodPost
		}
	}
	if contentType != "" && header.Get("Content-Type") == "" {
		header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet && method != http.MethodHead && !f.yes && f.input == "-" {
		return usagef("api: with --input -, standard input carries the body and cannot also confirm the %s; add --yes to send it", method)
	}
	if method != http.MethodGet && method != http.MethodHead && !f.yes {
		if err := c.confirm(ctx, fmt.Sprintf("Send %s %s to %s (%s)? [y/N] ", method, path, saved.Name, storeHost(info, saved.Values))); err != nil {
			return err
		}
	}
	out, closeOut, err := c.apiOutput(f.output)
	if err != nil {
		return err
	}
	p := &printer{c: c, out: out, f: f, pretty: f.output == "" && !f.raw && isTerminal(c.env.Stdout)}
	opts := engine.CallOptions{Follow: f.paginate, Timeout: f.timeout, Force: f.force, MaxBody: apiMaxBody}
	if f.verbose {
		opts.Sent = p.sent
	}
	req := connectors.APIRequest{Method: method, Path: path, Header: header, Body: body}
	called, err := eng.CallSaved(ctx, saved, req, opts, p.page)
	if ferr := p.finish(); err == nil {
		err = ferr
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	for _, w := range called.Warnings {
		fmt.Fprintf(c.env.Stderr, "storelink: warning (%s): %s\n", w.Code, redactIn(c, w.Message))
	}
	if err != nil {
		return apiFailure(c, err)
	}
	if p.last != nil && (p.last.Status < 200 || p.last.Status > 299) {
		p.httpError(info, req)
		return failedError{msg: "the store answered " + p.last.StatusText, silent: true}
	}
	return nil
}

// apiMaxBody caps one answer (tests make it small).
var apiMaxBody int64 = engine.DefaultCallMaxBody

// apiFailure words an error of the call: a refusal with its hint and code.
func apiFailure(c *call, err error) error {
	var re *connectors.ResultError
	if errors.As(err, &re) {
		msg := re.Result.Message
		if re.Result.Hint != "" {
			msg += " What to do: " + re.Result.Hint
		}
		if re.Result.Code == connectors.CodeInvalidInput {
			return usagef("api: %s", msg) // a path outside the API root
		}
		fmt.Fprintf(c.env.Stderr, "storelink: %s (%s)\n", redactIn(c, msg), re.Result.Code)
		return failedError{msg: msg, silent: true}
	}
	var ne *connectors.NetError
	if errors.As(err, &ne) {
		msg := ne.Message
		if ne.Hint != "" {
			msg += " What to do: " + ne.Hint
		}
		fmt.Fprintf(c.env.Stderr, "storelink: %s (%s)\n", redactIn(c, msg), ne.Code)
		return failedError{msg: msg, silent: true}
	}
	return err
}

// parseHeaders reads -H 'Name: value' flags.
func parseHeaders(hs []string) (http.Header, error) {
	h := http.Header{}
	for _, raw := range hs {
		k, v, ok := strings.Cut(raw, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t\r\n") || strings.ContainsAny(v, "\r\n") {
			return nil, usagef("api: -H %q is not a header; write it as -H 'Name: value'", raw)
		}
		if strings.EqualFold(k, "Authorization") {
			return nil, usagef("api: -H Authorization would replace the connection's own credentials; leave it out, Storelink signs the request")
		}
		h.Add(k, strings.TrimSpace(v))
	}
	return h, nil
}

// storeHost names the store a write goes to, for the confirmation.
func storeHost(info connectors.Info, v connectors.Values) string {
	root, err := info.API.Root(v)
	if err != nil {
		return "its store"
	}
	if u, err := url.Parse(root); err == nil && u.Host != "" {
		return u.Host
	}
	return root
}

// confirm asks question at the terminal; without one, --yes is needed.
func (c *call) confirm(ctx context.Context, question string) error {
	f, ok := c.env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || !isTerminal(c.env.Stderr) {
		return usagef("api: a request other than GET or HEAD changes the shop, and there is no terminal to confirm it on; add --yes to send it")
	}
	fmt.Fprint(c.env.Stderr, question)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(f).ReadString('\n')
		answer <- strings.ToLower(strings.TrimSpace(line))
	}()
	select {
	case a := <-answer:
		if a == "y" || a == "yes" {
			return nil
		}
	case <-ctx.Done():
	}
	return failedError{msg: "nothing was sent: the request was not confirmed"}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// apiOutput is where bodies go: standard output, or a new file that
// --output never writes over.
func (c *call) apiOutput(path string) (io.Writer, func() error, error) {
	if path == "" {
		return c.env.Stdout, func() error { return nil }, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, nil, usagef("api: --output %s already exists; Storelink never writes over a file: remove it or give another name", path)
	}
	if err != nil {
		return nil, nil, usagef("api: --output %s cannot be created: %v", path, err)
	}
	return f, f.Close, nil
}

// requestBody is the body from --input or the -f fields, and its type.
func requestBody(c *call, format, path string, f apiFlags) ([]byte, string, error) {
	types := map[string]string{"json": "application/json", "": "application/json", "form": "application/x-www-form-urlencoded", "xml": "text/xml"}
	switch {
	case f.input == "-":
		data, err := io.ReadAll(io.LimitReader(c.env.Stdin, maxInput+1))
		if err != nil {
			return nil, "", usagef("api: --input -: standard input cannot be read: %v", err)
		}
		if len(data) > maxInput {
			return nil, "", usagef("api: --input -: the body is larger than %d MiB; send less at once", maxInput>>20)
		}
		return data, types[format], nil
	case f.input != "":
		data, err := connectors.ReadLocalFile("--input", f.input, maxInput)
		if err != nil {
			return nil, "", usagef("api: %v", err)
		}
		return data, types[format], nil
	case len(f.fields) == 0:
		return nil, "", nil
	}
	pairs := make([][2]string, 0, len(f.fields))
	for _, kv := range f.fields {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, "", usagef("api: -f %q is not a field; write it as -f key=value", kv)
		}
		pairs = append(pairs, [2]string{k, v})
	}
	body, err := fieldsBody(format, path, pairs)
	return body, types[format], err
}

// headerLines are a response's headers as curl -i prints them, sorted.
func headerLines(h http.Header) []string {
	var out []string
	for k, vs := range h {
		for _, v := range vs {
			out = append(out, k+": "+v)
		}
	}
	sort.Strings(out)
	return out
}
