package pstest

// resources.go: the records behind /api/products and the other listings,
// rendered as PrestaShop 8 renders them:
//
//   - classes/webservice/WebserviceRequest.php: executeEntityGetAndHead()
//     (the display and limit parameters, limit=N or limit=offset,count),
//     executeEntityPost() (201 Created with the record as a GET by id
//     renders it);
//   - classes/webservice/WebserviceOutputBuilder.php: renderEntityMinimum()
//     (without display: one empty element per record with its id and
//     xlink:href), renderEntity() and renderField() (display=full or
//     display=[a,b]: the fields in the ObjectModel definition's order);
//   - classes/webservice/WebserviceOutputXML.php: renderNodeHeader(),
//     renderField() (values in CDATA, language fields as
//     <language id="1" xlink:href=".../api/languages/1">).
//
// The error answer to a body that is no XML (400, error 127) follows
// WebserviceRequest::saveEntityFromXml in spirit; its words are ours.

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Product is one record of /api/products.
type Product struct {
	ID        int
	Reference string
	Price     string // as the database holds it: "23.900000"
	Active    bool
	Name      string // in language 1
}

// productFields are Product's fields in the ObjectModel definition's order.
var productFields = []string{"id", "reference", "price", "active", "name"}

func (p Product) field(name string) (string, bool) {
	switch name {
	case "id":
		return strconv.Itoa(p.ID), true
	case "reference":
		return p.Reference, true
	case "price":
		return p.Price, true
	case "active":
		if p.Active {
			return "1", true
		}
		return "0", true
	case "name":
		return p.Name, true
	}
	return "", false
}

// seedProducts are n demo products, like a fresh shop's catalogue.
func seedProducts(n int) []Product {
	out := make([]Product, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, Product{ID: i, Reference: fmt.Sprintf("demo_%d", i), Price: fmt.Sprintf("%d.900000", 10+i), Active: true, Name: fmt.Sprintf("Demo product %d", i)})
	}
	return out
}

// Products returns a copy of the server's products, created ones included.
func (s *Server) Products() []Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Product(nil), s.products...)
}

// resource answers /api/RESOURCE[/ID] for an authenticated key; errors go
// to out.
func (s *Server) resource(r *http.Request, out *output, name, id string) string {
	wsURL := s.wsURL(r)
	singular := strings.TrimSuffix(name, "s")
	if name == "addresses" {
		singular = "address"
	} else if name == "categories" {
		singular = "category"
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost:
		if name != "products" || id != "" {
			out.fail(http.StatusMethodNotAllowed, 24, fmt.Sprintf("Method %s is not allowed for this resource", r.Method))
			return ""
		}
		return s.create(r, out, wsURL)
	default:
		out.fail(http.StatusMethodNotAllowed, 24, fmt.Sprintf("Method %s is not allowed for this resource", r.Method))
		return ""
	}
	var records []Product
	if name == "products" {
		records = s.Products()
	}
	if id != "" {
		for _, p := range records {
			if strconv.Itoa(p.ID) == id {
				return overrideContent(renderEntity(p, singular, productFields, wsURL))
			}
		}
		out.fail(http.StatusNotFound, 87, fmt.Sprintf("Invalid ID %s", id))
		return ""
	}
	q := r.URL.Query()
	if l := q.Get("limit"); l != "" {
		offset, count := 0, 0
		var err error
		if a, b, two := strings.Cut(l, ","); two {
			offset, err = strconv.Atoi(a)
			if err == nil {
				count, err = strconv.Atoi(b)
			}
		} else {
			count, err = strconv.Atoi(l)
		}
		if err != nil || offset < 0 || count < 0 {
			out.fail(http.StatusBadRequest, 30, "The limit parameter is invalid: use limit=offset,count or limit=count")
			return ""
		}
		records = records[min(offset, len(records)):min(offset+count, len(records))]
	}
	fields := displayFields(q.Get("display"))
	var b strings.Builder
	fmt.Fprintf(&b, "<%s>\n", name)
	for _, p := range records {
		if fields == nil {
			fmt.Fprintf(&b, "<%s id=\"%d\" xlink:href=\"%s%s/%d\"/>\n", singular, p.ID, wsURL, name, p.ID)
			continue
		}
		b.WriteString(renderEntity(p, singular, fields, wsURL))
	}
	fmt.Fprintf(&b, "</%s>\n", name)
	return overrideContent(b.String())
}

// displayFields reads display=full or display=[a,b]; nil is the minimum.
func displayFields(d string) []string {
	switch {
	case d == "":
		return nil
	case d == "full":
		return productFields
	}
	var out []string
	for _, f := range strings.Split(strings.Trim(d, "[]"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// renderEntity is renderEntity() through WebserviceOutputXML.
func renderEntity(p Product, node string, fields []string, wsURL string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<%s>\n", node)
	for _, f := range fields {
		v, ok := p.field(f)
		if !ok {
			continue
		}
		if f == "name" {
			fmt.Fprintf(&b, "<name>\n<language id=\"1\" xlink:href=\"%slanguages/1\"><![CDATA[%s]]></language>\n</name>\n", wsURL, v)
			continue
		}
		fmt.Fprintf(&b, "<%s><![CDATA[%s]]></%s>\n", f, v, f)
	}
	fmt.Fprintf(&b, "</%s>\n", node)
	return b.String()
}

// create is executeEntityPost() for a product.
func (s *Server) create(r *http.Request, out *output, wsURL string) string {
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var doc struct {
		XMLName xml.Name `xml:"prestashop"`
		Product *struct {
			Reference string `xml:"reference"`
			Price     string `xml:"price"`
			Active    string `xml:"active"`
			Name      struct {
				Languages []struct {
					ID    string `xml:"id,attr"`
					Value string `xml:",chardata"`
				} `xml:"language"`
			} `xml:"name"`
		} `xml:"product"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil || doc.Product == nil {
		out.fail(http.StatusBadRequest, 127, "XML error : the body is no <prestashop><product> document")
		return ""
	}
	p := Product{Reference: doc.Product.Reference, Price: doc.Product.Price, Active: doc.Product.Active == "1"}
	for _, l := range doc.Product.Name.Languages {
		if l.ID == "1" {
			p.Name = l.Value
		}
	}
	s.mu.Lock()
	p.ID = len(s.products) + 1
	s.products = append(s.products, p)
	s.mu.Unlock()
	out.status = http.StatusCreated
	return overrideContent(renderEntity(p, "product", productFields, wsURL))
}

func (s *Server) wsURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + s.opts.BasePath + "/api/"
}
