package connectortest

import (
	"strings"
	"testing"

	"storelink/connectors"
)

// Diagnosed checks how info's API names an error answer: as code, with
// says in its message or hint; code "" means the platform must not claim
// to recognise it (an error about the request itself).
func Diagnosed(t testing.TB, info connectors.Info, req connectors.APIRequest, resp *connectors.Response, code connectors.Code, says string) {
	t.Helper()
	if resp == nil || resp.Status < 400 {
		t.Fatalf("not an error answer: %+v", resp)
	}
	r, known := info.API.Diagnose(req, resp)
	if code == "" {
		if known {
			t.Errorf("diagnosed %s: %s", r.Code, r.Message)
		}
		return
	}
	if !known || r.Code != code || !strings.Contains(r.Message+" "+r.Hint, says) {
		t.Errorf("got %v %s: %s / %s, want %s saying %q", known, r.Code, r.Message, r.Hint, code, says)
	}
}
