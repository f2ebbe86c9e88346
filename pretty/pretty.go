// Package pretty makes an API answer readable: JSON and XML indented two
// spaces a level, anything else as it came. The command line (`storelink
// api` on a terminal) and the window (Try a request) show answers through
// it, so both read the same.
package pretty

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Body is body indented when it is JSON or XML (by its content type or its
// first character; HTML is left alone), and whether it was; a body that
// does not parse comes back as it was.
func Body(contentType string, body []byte) ([]byte, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return body, false
	}
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "json") || trimmed[0] == '{' || trimmed[0] == '[' {
		var b bytes.Buffer
		if json.Indent(&b, trimmed, "", "  ") == nil {
			b.WriteByte('\n')
			return b.Bytes(), true
		}
	}
	if strings.Contains(ct, "html") || !strings.Contains(ct, "xml") && trimmed[0] != '<' {
		return body, false
	}
	if out, err := XML(trimmed); err == nil {
		return out, true
	}
	return body, false
}

// XML re-indents a document token by token: each element on its line, its
// text on the same line, prefixes and attributes as written (RawToken: no
// namespace rewriting), an empty element as <a/>, CDATA as escaped text.
func XML(data []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	var b bytes.Buffer
	depth := 0
	open := false     // a start tag written, nothing inside it yet
	unclosed := false // that start tag still lacks its ">"
	text := ""        // character data waiting for its end tag
	indent := func() { b.WriteString("\n" + strings.Repeat("  ", depth)) }
	closeTag := func() {
		if unclosed {
			b.WriteByte('>')
			unclosed = false
		}
	}
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
			return nil, err
		}
		if _, end := tok.(xml.EndElement); !end {
			if _, chars := tok.(xml.CharData); !chars {
				closeTag()
			}
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if open && text != "" { // mixed content: the text before the child
				_ = xml.EscapeText(&b, []byte(text))
			}
			if b.Len() > 0 {
				indent()
			}
			b.WriteString("<" + name(tk.Name))
			for _, a := range tk.Attr {
				b.WriteString(" " + name(a.Name) + `="`)
				_ = xml.EscapeText(&b, []byte(a.Value)) // a bytes.Buffer does not fail
				b.WriteString(`"`)
			}
			depth++
			open, unclosed, text = true, true, ""
		case xml.EndElement:
			if depth == 0 { // an end without its start: the decoder is not strict
				return nil, errors.New("pretty: an end tag without its start")
			}
			depth--
			switch {
			case unclosed && text == "":
				b.WriteString("/>")
				unclosed, open = false, false
				continue
			case open:
				closeTag()
				_ = xml.EscapeText(&b, []byte(text))
			default:
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
					_ = xml.EscapeText(&b, []byte(s))
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
		return nil, errors.New("pretty: the document ends inside an element")
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
