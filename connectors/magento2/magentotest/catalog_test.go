package magentotest

import (
	"strings"
	"testing"
)

// TestListPages pins a SearchResults page: search_criteria echoes only what
// was asked, and a page past the last is the last again (Collection::getCurPage).
func TestListPages(t *testing.T) {
	s := New(Options{Orders: 3, AllowBearerIntegrationToken: true})
	defer s.Close()
	auth := "Bearer " + DefaultAccessToken
	status, _, body := get(t, s.URL+"/rest/V1/orders?searchCriteria[pageSize]=2&searchCriteria[currentPage]=9", auth)
	if status != 200 || !strings.HasPrefix(body, `{"items":[{"entity_id":3,"increment_id":"000000003",`) ||
		!strings.HasSuffix(body, `"search_criteria":{"filter_groups":[],"page_size":2,"current_page":9},"total_count":3}`) {
		t.Errorf("page past the last: %d %s", status, body)
	}
	_, _, body = get(t, s.URL+"/rest/V1/orders", auth)
	if strings.Count(body, `"entity_id"`) != 3 || !strings.HasSuffix(body, `"search_criteria":{"filter_groups":[]},"total_count":3}`) {
		t.Errorf("no page size: %s", body)
	}
}
