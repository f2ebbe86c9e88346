package app

// tryrequest_body.go: an answer's body made readable for Try a request:
// JSON and XML indented, anything else as it came, capped for display.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// pretty is body indented when it is JSON or XML, else as it came; text
// that is not UTF-8 is shown with its bad bytes replaced.
func pretty(contentType string, body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "json") || trimmed[0] == '{' || trimmed[0] == '[' {
		var b bytes.Buffer
		if json.Indent(&b, trimmed, "", "  ") == nil {
			return b.String()
		}
	}
	if strings.Contains(ct, "xml") || trimmed[0] == '<' && !strings.Contains(ct, "html") {
		if s, err := indentXML(trimmed); err == nil {
			return s
		}
	}
	return strings.ToValidUTF8(string(body), string(utf8.RuneError))
}

// indentXML re-indents an XML document token by token; prefixes are kept
// as written (RawToken), CDATA is shown as escaped text.
func indentXML(data []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	var b strings.Builder
	depth := 0
	open := false // a start tag written, nothing inside it yet
	text := ""    // character data waiting for its end tag
	indent := func() { b.WriteString("\n" + strings.Repeat("  ", depth)) }
	name := func(n xml.Name) string {
		if n.Space != "" {
			return n.Space + ":" + n.Local
		}
		return n.Local
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if open && text != "" { // mixed content: the text before the child
				xml.EscapeText(&b, []byte(text)) //nolint:errcheck
			}
			if b.Len() > 0 {
				indent()
			}
			b.WriteString("<" + name(tk.Name))
			for _, a := range tk.Attr {
				b.WriteString(" " + name(a.Name) + `="`)
				xml.EscapeText(&b, []byte(a.Value)) //nolint:errcheck // a strings.Builder does not fail
				b.WriteString(`"`)
			}
			b.WriteString(">")
			depth++
			open, text = true, ""
		case xml.EndElement:
			depth--
			switch {
			case open && text != "":
				xml.EscapeText(&b, []byte(text)) //nolint:errcheck
			case !open:
				indent()
			}
			b.WriteString("</" + name(tk.Name) + ">")
			open, text = false, ""
		case xml.CharData:
			if s := strings.TrimSpace(string(tk)); s != "" {
				if open {
					text += s
				} else {
					indent()
					xml.EscapeText(&b, []byte(s)) //nolint:errcheck
				}
			}
		case xml.ProcInst:
			b.WriteString("<?" + tk.Target + " " + string(tk.Inst) + "?>")
			open = false
		case xml.Comment:
			indent()
			b.WriteString("<!--" + string(tk) + "-->")
			open = false
		case xml.Directive:
			indent()
			b.WriteString("<!" + string(tk) + ">")
			open = false
		}
	}
	if depth != 0 {
		return "", errors.New("the XML document is not complete")
	}
	return b.String(), nil
}
