package upgatestest

// resources.go: the product and order lists and product creation that
// `storelink api` tests read. The shapes are the blueprint's (see the
// package comment): "Seznam produktů - kompletní" and "Seznam objednávek"
// (current_page, current_page_items, number_of_pages, number_of_items and
// the items, 100 a page, "page ... Pokud není definováno, vrací vždy
// stranu 1"), "Vytvoření produktů" (products: product_id, code,
// product_url, inserted_yn, messages, variants), the access's privileges
// of "Stav API" ("readonly - pouze HTTP GET"; "403 ... uživatel nemá
// práva na endpoint nebo metodu endpointu") and "400 ... nevalidní JSON".
// The docs are silent on a page past the last: it is answered empty.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"storelink/connectors/upgates"
)

type description struct {
	Language string `json:"language"`
	Title    string `json:"title"`
}

// productOut is a product of the complete list (a few of its attributes).
type productOut struct {
	Code           string        `json:"code"`
	ProductID      int           `json:"product_id"`
	ActiveYN       bool          `json:"active_yn"`
	ArchivedYN     bool          `json:"archived_yn"`
	CanAddYN       bool          `json:"can_add_to_basket_yn"`
	Stock          *float64      `json:"stock"`
	Descriptions   []description `json:"descriptions"`
	CreationTime   string        `json:"creation_time"`
	LastUpdateTime string        `json:"last_update_time"`
}

type orderOut struct {
	OrderNumber    string `json:"order_number"`
	OrderID        int    `json:"order_id"`
	LanguageID     string `json:"language_id"`
	CurrencyID     string `json:"currency_id"`
	StatusID       int    `json:"status_id"`
	Status         string `json:"status"`
	LastUpdateTime string `json:"last_update_time"`
	CreationTime   string `json:"creation_time"`
}

const itemTime = "2026-11-02T09:30:00+01:00"

// ProductCode is the code of the i-th listed product (0-based).
func ProductCode(i int) string { return fmt.Sprintf("UG-%03d", i+1) }

// resource answers the routes of this file; false: not one of them.
func (s *Server) resource(w http.ResponseWriter, r *http.Request, o Options) bool {
	rest := strings.TrimPrefix(r.URL.Path, upgates.APIPath)
	name := strings.Trim(rest, "/")
	if name != "products" && name != "orders" {
		return false
	}
	if !s.allowed(o, name, r.Method) {
		writeError(w, http.StatusForbidden, MessageNoPrivilege)
		return true
	}
	switch {
	case name == "products" && r.Method == http.MethodGet:
		all := make([]productOut, 0, o.Products+len(s.created))
		for i := range o.Products {
			stock := float64(i)
			all = append(all, productOut{Code: ProductCode(i), ProductID: i + 1, ActiveYN: true, CanAddYN: true, Stock: &stock,
				Descriptions: []description{{Language: "cs", Title: fmt.Sprintf("Testovací produkt %d", i+1)}}, CreationTime: itemTime, LastUpdateTime: itemTime})
		}
		all = append(all, s.created...)
		writePage(w, r, o.PageSize, "products", all)
	case name == "products" && r.Method == http.MethodPost:
		s.createProducts(w, r, o)
	case name == "orders" && r.Method == http.MethodGet:
		all := make([]orderOut, o.Orders)
		for i := range all {
			all[i] = orderOut{OrderNumber: fmt.Sprintf("2026%06d", i+1), OrderID: i + 1, LanguageID: "cs", CurrencyID: "CZK",
				StatusID: 1, Status: "Přijatá", LastUpdateTime: itemTime, CreationTime: itemTime}
		}
		writePage(w, r, o.PageSize, "orders", all)
	default:
		writeError(w, http.StatusMethodNotAllowed, MessageMethod)
	}
	return true
}

// allowed reads the access's privilege for the service at name.
func (s *Server) allowed(o Options, name, method string) bool {
	for _, sv := range s.services(o) {
		if strings.TrimRight(sv.URL, "/") == s.APIURL+"/"+name {
			return sv.Privilege == upgates.PrivilegeAll || (sv.Privilege == upgates.PrivilegeReadonly && method == http.MethodGet)
		}
	}
	return true
}

// writePage answers the page the request asks for, in the list's order.
func writePage[T any](w http.ResponseWriter, r *http.Request, size int, key string, all []T) {
	page := 1
	if v, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && v > 0 {
		page = v
	}
	pages := max((len(all)+size-1)/size, 1)
	from, to := min((page-1)*size, len(all)), min(page*size, len(all))
	items := all[from:to]
	// Field order as in the blueprint's Attributes.
	body := fmt.Sprintf(`{"current_page":%d,"current_page_items":%d,"number_of_pages":%d,"number_of_items":%d,%q:`, page, len(items), pages, len(all), key)
	data, _ := json.Marshal(items)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body+string(data)+"}")
}

// createProducts is "Vytvoření produktů": up to 100, each paired by code.
func (s *Server) createProducts(w http.ResponseWriter, r *http.Request, o Options) {
	var in struct {
		Products []struct {
			Code         string        `json:"code"`
			Descriptions []description `json:"descriptions"`
		} `json:"products"`
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(data, &in); err != nil {
		writeError(w, http.StatusBadRequest, MessageBadJSON)
		return
	}
	if len(in.Products) > 100 {
		writeError(w, http.StatusRequestEntityTooLarge, "Překročena velikost požadavku.")
		return
	}
	type variant struct{}
	type result struct {
		ProductID  int            `json:"product_id"`
		Code       string         `json:"code"`
		ProductURL string         `json:"product_url"`
		InsertedYN bool           `json:"inserted_yn"`
		Messages   []errorMessage `json:"messages"`
		Variants   []variant      `json:"variants"`
	}
	out := struct {
		Products []result `json:"products"`
	}{Products: []result{}}
	for _, p := range in.Products {
		id := o.Products + len(s.created) + 1
		s.created = append(s.created, productOut{Code: p.Code, ProductID: id, ActiveYN: true, CanAddYN: true,
			Descriptions: p.Descriptions, CreationTime: itemTime, LastUpdateTime: itemTime})
		out.Products = append(out.Products, result{ProductID: id, Code: p.Code, ProductURL: strings.TrimSuffix(s.URL, "/") + "/p/" + strings.ToLower(p.Code),
			InsertedYN: true, Messages: []errorMessage{}, Variants: []variant{}})
	}
	writeJSON(w, http.StatusOK, out)
}
