package cli

// api_output.go: what `storelink api` prints (bodies, pages merged or in
// turn, --include's status and headers, --verbose's request on standard
// error, an HTTP error's diagnosis) and how -f fields become a body.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"storelink/connectors"
	"storelink/pretty"
)

// printer writes a call's answers as they come.
type printer struct {
	c      *call
	out    io.Writer
	f      apiFlags
	pretty bool
	last   *connectors.Response
	// arrays holds --paginate's pages while every one is a JSON array, to
	// print them merged into one at the end.
	arrays  []json.RawMessage
	streams bool // a page was no JSON array: pages are printed in turn
	pages   int
}

// sent shows a request on standard error, already masked by the engine.
func (p *printer) sent(r connectors.Request) {
	w := p.c.env.Stderr
	fmt.Fprintf(w, "> %s %s\n", r.Method, connectors.Printable(r.URL))
	for _, l := range headerLines(r.Header) {
		fmt.Fprintf(w, "> %s\n", connectors.Printable(l))
	}
	if len(r.Body) > 0 {
		fmt.Fprintf(w, "> (body: %d bytes)\n", len(r.Body))
	}
	fmt.Fprintln(w, ">")
}

// page prints one answer; the engine masked it already.
func (p *printer) page(_ connectors.APIRequest, resp *connectors.Response) error {
	p.last = resp
	p.pages++
	if p.f.verbose {
		w := p.c.env.Stderr
		fmt.Fprintf(w, "< %s\n", connectors.Printable(resp.StatusText))
		for _, l := range headerLines(resp.Header) {
			fmt.Fprintf(w, "< %s\n", connectors.Printable(l))
		}
		fmt.Fprintln(w, "<")
	}
	if p.f.include {
		fmt.Fprintf(p.out, "HTTP/1.1 %s\n", resp.StatusText)
		for _, l := range headerLines(resp.Header) {
			fmt.Fprintln(p.out, l)
		}
		fmt.Fprintln(p.out)
	}
	if p.f.silent {
		return nil
	}
	ok := resp.Status >= 200 && resp.Status <= 299
	if p.f.paginate && !p.f.include && ok && !p.streams {
		if trimmed := bytes.TrimSpace(resp.Body); len(trimmed) > 0 && trimmed[0] == '[' && json.Valid(trimmed) {
			p.arrays = append(p.arrays, json.RawMessage(trimmed))
			return nil
		}
		p.streams = true
		for _, a := range p.arrays {
			if err := p.write(a); err != nil {
				return err
			}
		}
		p.arrays = nil
	}
	if err := p.write(resp.Body); err != nil {
		return err
	}
	if resp.Truncated {
		// What was printed is not the whole answer: a script must not take
		// it for one.
		msg := fmt.Sprintf("the answer was longer than %s and was cut there; ask for fewer records at once (a limit in the path, and --paginate)", byteSize(apiMaxBody))
		fmt.Fprintf(p.c.env.Stderr, "storelink: %s\n", msg)
		return failedError{msg: msg, silent: true}
	}
	return nil
}

// byteSize words a size: "64 MiB", "512 KiB", "100 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// finish prints the merged array of --paginate's JSON pages.
func (p *printer) finish() error {
	if len(p.arrays) == 0 {
		return nil
	}
	merged := []json.RawMessage{}
	for _, a := range p.arrays {
		var items []json.RawMessage
		if err := json.Unmarshal(a, &items); err != nil {
			return err
		}
		merged = append(merged, items...)
	}
	data, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	return p.write(data)
}

// write prints a body: indented on a terminal, as received otherwise, and
// always ending in a newline on a terminal.
func (p *printer) write(body []byte) error {
	if p.pretty {
		body, _ = pretty.Body("", body)
		if len(body) > 0 && body[len(body)-1] != '\n' {
			body = append(body, '\n')
		}
	}
	_, err := p.out.Write(body)
	return err
}

// httpError says on standard error what an error answer means.
func (p *printer) httpError(info connectors.Info, req connectors.APIRequest) {
	w := p.c.env.Stderr
	fmt.Fprintf(w, "storelink: the store answered %s.\n", connectors.Printable(p.last.StatusText))
	if info.API.Diagnose == nil {
		return
	}
	r, ok := info.API.Diagnose(req, p.last)
	if !ok {
		return
	}
	headline, reason := r.Headline, r.Reason
	if headline == "" {
		headline = r.Message
	}
	fmt.Fprintf(w, "storelink: %s (%s)\n", redactIn(p.c, headline), r.Code)
	if reason != "" {
		fmt.Fprintf(w, "storelink: %s\n", redactIn(p.c, reason))
	}
	if r.Hint != "" {
		fmt.Fprintf(w, "storelink: What to do: %s\n", redactIn(p.c, r.Hint))
	}
}

// fieldsBody turns -f pairs into a body in the platform's format.
func fieldsBody(format, path string, pairs [][2]string) ([]byte, error) {
	switch format {
	case "form":
		v := url.Values{}
		for _, kv := range pairs {
			v.Add(kv[0], kv[1])
		}
		return []byte(v.Encode()), nil
	case "xml":
		return xmlBody(path, pairs)
	}
	return jsonBody(pairs)
}

var keyPart = regexp.MustCompile(`^([^\[\]]+)((?:\[[^\[\]]*\])*)$`)

// jsonBody nests key[sub]=value into objects, as `gh api -f` does; values
// stay strings.
func jsonBody(pairs [][2]string) ([]byte, error) {
	root := map[string]any{}
	for _, kv := range pairs {
		m := keyPart.FindStringSubmatch(kv[0])
		if m == nil {
			return nil, usagef("api: -f %s: a key is a name with optional [sub] parts, like product[sku]", kv[0])
		}
		keys := []string{m[1]}
		for _, part := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(m[2], "["), "]"), "][") {
			if m[2] != "" {
				keys = append(keys, part)
			}
		}
		node := root
		for i, k := range keys {
			if i == len(keys)-1 {
				node[k] = kv[1]
				break
			}
			next, ok := node[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[k] = next
			}
			node = next
		}
	}
	return json.Marshal(root)
}

var (
	xmlName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	langID  = regexp.MustCompile(`^[0-9]+$`)
)

// xmlBody is PrestaShop's <prestashop><product>...</product></prestashop>
// for /products: the element is the path's first segment made singular;
// name[1]=value is a language field (<name><language id="1">).
func xmlBody(path string, pairs [][2]string) ([]byte, error) {
	seg := strings.Trim(strings.SplitN(strings.TrimPrefix(path, "/"), "?", 2)[0], "/")
	seg, _, _ = strings.Cut(seg, "/")
	node := singular(seg)
	if !xmlName.MatchString(node) {
		return nil, usagef("api: -f needs a path that names a resource, like /products; give the whole document with --input instead")
	}
	type field struct {
		name  string
		value string
		langs [][2]string
	}
	var fields []*field
	byName := map[string]*field{}
	for _, kv := range pairs {
		k, lang := kv[0], ""
		if base, rest, ok := strings.Cut(k, "["); ok && strings.HasSuffix(rest, "]") {
			k, lang = base, strings.TrimSuffix(rest, "]")
		}
		if !xmlName.MatchString(k) || lang != "" && !langID.MatchString(lang) {
			return nil, usagef("api: -f %s: a PrestaShop field is a name like reference, or name[1] for language 1", kv[0])
		}
		f := byName[k]
		if f == nil {
			f = &field{name: k}
			byName[k] = f
			fields = append(fields, f)
		}
		if lang != "" {
			f.langs = append(f.langs, [2]string{lang, kv[1]})
		} else {
			f.value = kv[1]
		}
	}
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<" + node + ">\n")
	for _, f := range fields {
		if len(f.langs) == 0 {
			b.WriteString("<" + f.name + ">" + cdata(f.value) + "</" + f.name + ">\n")
			continue
		}
		b.WriteString("<" + f.name + ">\n")
		for _, l := range f.langs {
			b.WriteString(`<language id="` + l[0] + `">` + cdata(l[1]) + "</language>\n")
		}
		b.WriteString("</" + f.name + ">\n")
	}
	b.WriteString("</" + node + ">\n</prestashop>\n")
	return []byte(b.String()), nil
}

// cdata wraps s, splitting any "]]>" across two sections.
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

// singular is a PrestaShop resource's element name: products -> product,
// categories -> category, addresses -> address, taxes -> tax.
func singular(resource string) string {
	switch {
	case strings.HasSuffix(resource, "ies"):
		return strings.TrimSuffix(resource, "ies") + "y"
	case strings.HasSuffix(resource, "sses"), strings.HasSuffix(resource, "xes"):
		return strings.TrimSuffix(resource, "es")
	}
	return strings.TrimSuffix(resource, "s")
}
