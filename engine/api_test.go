package engine_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
	"storelink/engine"
)

// A call of a saved PrestaShop connection reaches its webservice with the
// key from the keychain, and neither the request shown nor the answer
// carries the key.
func TestCallSendsTheSavedKeyAndMasksIt(t *testing.T) {
	h := newHome(t)
	ps := pstest.New(pstest.Options{ShopName: "Demo shop"})
	t.Cleanup(ps.Close)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": ps.URL, "api_key": pstest.DefaultKey, "use_https": "false"})
	var sent []connectors.Request
	var bodies []string
	called, err := h.eng.Call(context.Background(), "Shop", connectors.APIRequest{Path: "/"}, engine.CallOptions{
		Sent: func(r connectors.Request) { sent = append(sent, r) },
	}, func(_ connectors.APIRequest, resp *connectors.Response) error {
		if resp.Status != 200 {
			t.Errorf("status %d, want 200", resp.Status)
		}
		bodies = append(bodies, string(resp.Body))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if called.Info.ID != "prestashop" || len(sent) != 1 || len(bodies) != 1 {
		t.Fatalf("called %q, %d requests, %d answers", called.Info.ID, len(sent), len(bodies))
	}
	if !strings.Contains(bodies[0], `shopName="Demo shop"`) {
		t.Errorf("the answer is not the root listing: %.200s", bodies[0])
	}
	auth := sent[0].Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Basic ") {
		t.Errorf("the request shown has Authorization %q, want Basic and a mask", auth)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte(pstest.DefaultKey + ":"))
	for _, s := range append(bodies, sent[0].URL, auth) {
		if strings.Contains(s, pstest.DefaultKey[:8]) || strings.Contains(s, encoded[:12]) {
			t.Errorf("the key shows in %q", s)
		}
	}
}

// A path that leaves the API root never carries the key elsewhere.
func TestCallRefusesAPathOutsideTheRoot(t *testing.T) {
	h := newHome(t)
	ps := pstest.New(pstest.Options{})
	t.Cleanup(ps.Close)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": ps.URL, "api_key": pstest.DefaultKey, "use_https": "false"})
	for _, path := range []string{"//evil.example/x", "/../admin", "/a/%2e%2e/%2e%2e/x", "http://evil.example/", ps.URL + "/apix", ps.URL + "/admin"} {
		_, err := h.eng.Call(context.Background(), "Shop", connectors.APIRequest{Path: path}, engine.CallOptions{},
			func(connectors.APIRequest, *connectors.Response) error {
				t.Errorf("%s: a request was sent", path)
				return nil
			})
		var re *connectors.ResultError
		if !errors.As(err, &re) || re.Result.Code != connectors.CodeInvalidInput {
			t.Errorf("%s: err %v, want an invalid_input refusal", path, err)
		}
	}
}
