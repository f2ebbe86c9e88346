package magentotest

// catalog.go: the product and order lists (with paging) and product
// creation that `storelink api` tests read, shaped as Magento renders them:
//
//   - app/code/Magento/Catalog/Model/ProductRepository.php getList and
//     save, app/code/Magento/Sales/Model/OrderRepository.php getList: a
//     SearchResults object {"items", "search_criteria", "total_count"},
//     where search_criteria echoes only what the request set
//     (SearchCriteria's data array: filter_groups, page_size, current_page);
//   - lib/internal/Magento/Framework/Data/Collection.php getCurPage: a page
//     past the last gives the last page again (so a client must stop by
//     total_count, not by an empty page);
//   - app/code/Magento/Webapi/Controller/Rest/InputParamsResolver and
//     lib/internal/Magento/Framework/Webapi/Rest/Request/DeserializerFactory:
//     the body is read after the ACL check, by its Content-Type; a form
//     body is refused with "Server cannot understand Content-Type HTTP
//     header media type %1" (400), a missing argument with "\"%fieldName\"
//     is required. Enter and try again." (400).

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// listArgs are the paging parameters of a list request.
func listArgs(r *http.Request) (size, page int, sizeSet, pageSet bool) {
	q := r.URL.Query()
	if v := q.Get("searchCriteria[pageSize]"); v != "" {
		size, _ = strconv.Atoi(v)
		sizeSet = true
	}
	if v := q.Get("searchCriteria[currentPage]"); v != "" {
		page, _ = strconv.Atoi(v)
		pageSet = true
	}
	return size, page, sizeSet, pageSet
}

// searchResults renders total items, of which item(i) is the i-th
// (0-based), as the page the request asks for.
func (s *Server) searchResults(w http.ResponseWriter, r *http.Request, total int, item func(i int) any) {
	size, page, sizeSet, pageSet := listArgs(r)
	criteria := fields("filter_groups", []any{})
	if sizeSet {
		criteria = append(criteria, [2]any{"page_size", size})
	}
	if pageSet {
		criteria = append(criteria, [2]any{"current_page", page})
	}
	from, to := 0, total
	if sizeSet && size > 0 {
		last := max((total+size-1)/size, 1)
		cur := min(max(page, 1), last) // Collection::getCurPage clamps
		from, to = (cur-1)*size, min(cur*size, total)
	}
	items := []any{}
	for i := from; i < to; i++ {
		items = append(items, item(i))
	}
	s.writeJSON(w, fields("items", items, "search_criteria", criteria, "total_count", total))
}

// createdAt is a fixed creation time, as a store's database holds one.
var createdAt = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC).Format("2006-01-02 15:04:05")

func product(id int, sku, name string, price float64) orderedFields {
	return fields("id", id, "sku", sku, "name", name, "attribute_set_id", 4, "price", price,
		"status", 1, "visibility", 4, "type_id", "simple", "created_at", createdAt, "updated_at", createdAt,
		"weight", 1, "extension_attributes", fields("website_ids", []any{1}),
		"product_links", []any{}, "options", []any{}, "media_gallery_entries", []any{}, "tier_prices", []any{},
		"custom_attributes", []any{fields("attribute_code", "tax_class_id", "value", "2")})
}

// Product is the i-th product of the emulated catalogue (0-based).
func Product(i int) (sku, name string) {
	return fmt.Sprintf("MT-%03d", i+1), fmt.Sprintf("Test product %d", i+1)
}

func (s *Server) products(w http.ResponseWriter, r *http.Request, _ string) {
	s.mu.Lock()
	created := append([]orderedFields(nil), s.created...)
	s.mu.Unlock()
	s.searchResults(w, r, s.opts.Products+len(created), func(i int) any {
		if i >= s.opts.Products {
			return created[i-s.opts.Products]
		}
		sku, name := Product(i)
		return product(i+1, sku, name, float64(10+i))
	})
}

func (s *Server) orders(w http.ResponseWriter, r *http.Request, _ string) {
	s.searchResults(w, r, s.opts.Orders, func(i int) any {
		return fields("entity_id", i+1, "increment_id", fmt.Sprintf("%09d", i+1), "state", "new", "status", "pending",
			"base_currency_code", s.opts.Currency, "order_currency_code", s.opts.Currency, "grand_total", float64(20+i),
			"customer_email", fmt.Sprintf("customer%d@example.com", i+1), "customer_is_guest", 1,
			"created_at", createdAt, "updated_at", createdAt, "store_id", 1, "items", []any{})
	})
}

// createProduct is POST /V1/products: ProductRepository::save with the
// body's "product".
func (s *Server) createProduct(w http.ResponseWriter, r *http.Request, _ string) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		s.writeError(w, inputErr("Server cannot understand Content-Type HTTP header media type %1", list(ct)))
		return
	}
	var in struct {
		Product *struct {
			SKU   string  `json:"sku"`
			Name  string  `json:"name"`
			Price float64 `json:"price"`
		} `json:"product"`
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(data, &in); err != nil {
		s.writeError(w, inputErr("Decoding error: %1", list(err.Error())))
		return
	}
	if in.Product == nil {
		s.writeError(w, inputErr(`"%fieldName" is required. Enter and try again.`, fields("fieldName", "product")))
		return
	}
	s.mu.Lock()
	p := product(s.opts.Products+len(s.created)+1, in.Product.SKU, in.Product.Name, in.Product.Price)
	s.created = append(s.created, p)
	s.mu.Unlock()
	s.writeJSON(w, p)
}
