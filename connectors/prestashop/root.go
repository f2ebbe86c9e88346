package prestashop

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"storelink/redact"
)

// Root is the webservice's root listing (GET /api/), as built by
// WebserviceOutputBuilder::getResourcesList: the shop's name and one element
// per resource the key may use, with a true/false attribute per method.
type Root struct {
	ShopName  string
	Resources []Resource
	// PatchListed: the listing carries patch attributes, which PrestaShop 8
	// and later add; older versions have no PATCH at all.
	PatchListed bool
}

// Resource is one entry of the root listing.
type Resource struct {
	Name                                string
	Description                         string
	Get, Put, Post, Patch, Delete, Head bool
}

// Methods lists the allowed methods in the order Storelink shows them.
func (r Resource) Methods() []string {
	allowed := map[string]bool{"GET": r.Get, "HEAD": r.Head, "POST": r.Post, "PUT": r.Put, "PATCH": r.Patch, "DELETE": r.Delete}
	var out []string
	for _, m := range methodOrder {
		if allowed[m] {
			out = append(out, m)
		}
	}
	return out
}

// ErrNotRoot means the body is not a PrestaShop root listing.
var ErrNotRoot = errors.New("prestashop: not a webservice root listing")

// ParseRoot reads a root listing: <prestashop><api shopName="..."> (shop_name
// up to 1.6.0) with one child element per resource.
func ParseRoot(body []byte) (Root, error) {
	d := newDecoder(body)
	var root Root
	depth := 0
	inAPI, sawAPI, sawPrestashop := false, false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Root{}, errors.Join(ErrNotRoot, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				if t.Name.Local != "prestashop" {
					return Root{}, ErrNotRoot
				}
				sawPrestashop = true
			case depth == 2 && t.Name.Local == "api" && !sawAPI:
				inAPI, sawAPI = true, true
				for _, a := range t.Attr {
					if a.Name.Local == "shopName" || a.Name.Local == "shop_name" {
						root.ShopName = strings.TrimSpace(a.Value)
					}
				}
			case depth == 3 && inAPI:
				res, patch, err := readResource(d, t)
				if err != nil {
					return Root{}, errors.Join(ErrNotRoot, err)
				}
				root.Resources = append(root.Resources, res)
				root.PatchListed = root.PatchListed || patch
				depth--
			}
		case xml.EndElement:
			if depth == 2 {
				inAPI = false
			}
			depth--
		}
	}
	if !sawPrestashop || !sawAPI {
		return Root{}, ErrNotRoot
	}
	return root, nil
}

// readResource reads one resource element up to its end tag.
func readResource(d *xml.Decoder, start xml.StartElement) (Resource, bool, error) {
	res := Resource{Name: start.Name.Local}
	patch := false
	for _, a := range start.Attr {
		if a.Name.Space != "" {
			continue // xlink:href
		}
		v := strings.EqualFold(strings.TrimSpace(a.Value), "true")
		switch a.Name.Local {
		case "get":
			res.Get = v
		case "put":
			res.Put = v
		case "post":
			res.Post = v
		case "patch":
			res.Patch, patch = v, true
		case "delete":
			res.Delete = v
		case "head":
			res.Head = v
		}
	}
	depth := 1
	inDesc := false
	var desc strings.Builder
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return Resource{}, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			inDesc = depth == 2 && t.Name.Local == "description"
		case xml.EndElement:
			depth--
			inDesc = false
		case xml.CharData:
			if inDesc && desc.Len() < 1000 {
				desc.Write(t)
			}
		}
	}
	res.Description = strings.Join(strings.Fields(desc.String()), " ")
	return res, patch, nil
}

// apiError is one <error> of a webservice error document.
type apiError struct {
	Code    int // 0 when the version gives none (1.4)
	Message string
}

// parseErrors reads <prestashop><errors><error><code/><message/> as
// WebserviceOutputXML::renderErrors writes it; nil when body is no such document.
func parseErrors(body []byte) []apiError {
	var doc struct {
		XMLName xml.Name `xml:"prestashop"`
		Errors  []struct {
			Code    string `xml:"code"`
			Message string `xml:"message"`
		} `xml:"errors>error"`
	}
	if err := newDecoder(body).Decode(&doc); err != nil {
		return nil
	}
	var out []apiError
	for _, e := range doc.Errors {
		code, _ := strconv.Atoi(strings.TrimSpace(e.Code))
		out = append(out, apiError{Code: code, Message: strings.TrimSpace(e.Message)})
	}
	return out
}

func newDecoder(body []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return d
}

var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// pageTitle is the <title> of an HTML page, tidied, masked and shortened,
// or "". Masked before the cut: a secret cut short is no longer whole.
func pageTitle(body []byte, red *redact.Redactor) string {
	m := titleRE().FindSubmatch(body)
	if m == nil {
		return ""
	}
	t := red.String(strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " "))
	if r := []rune(t); len(r) > 80 {
		t = string(r[:80]) + "..."
	}
	return strings.ToValidUTF8(t, "")
}

func looksLikeHTML(body []byte, contentType string) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) || bytes.Contains(head, []byte("<head"))
}
