package connectors_test

import (
	"testing"

	"storelink/connectors"
)

func TestSetQueryParamKeepsTheRest(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/products", "/products?page=2"},
		{"/products?", "/products?page=2"},
		{"/products?codes=a;b&page=1", "/products?codes=a;b&page=2"},
		{"/products?pa%67e=1&x=[1]", "/products?pa%67e=2&x=[1]"},
	} {
		if got := connectors.SetQueryParam(tc.path, "page", "2"); got != tc.want {
			t.Errorf("SetQueryParam(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	if got := connectors.QueryParam("/V1/orders?searchCriteria%5BpageSize%5D=5&searchCriteria[pageSize]=7", "searchCriteria[pageSize]"); got != "7" {
		t.Errorf("QueryParam = %q, want the last value 7", got)
	}
	if got := connectors.QueryParam("/V1/orders", "x"); got != "" {
		t.Errorf("QueryParam of a path without a query = %q", got)
	}
}
