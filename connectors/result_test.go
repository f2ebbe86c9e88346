// Tests of results: building them, their JSON, and Describe.
package connectors_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

func TestDescribeSuccess(t *testing.T) {
	r := connectors.Success("Connected to PrestaShop 8.1.2 (My Shop).")
	r.Warn(connectors.CodeInsecureHTTP, "The connection uses plain HTTP.")
	r.Warn(connectors.CodeRewriteMissing, "The URL rewrite rule is missing.")
	want := "Connected to PrestaShop 8.1.2 (My Shop).\nWarning: The connection uses plain HTTP.\nWarning: The URL rewrite rule is missing."
	if got := connectors.Describe(r); got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got := connectors.Describe(connectors.Success("")); got != "The connection works." {
		t.Errorf("Describe of a bare success = %q", got)
	}
	if !r.OK || r.Code != connectors.CodeOK || !r.HasWarning(connectors.CodeRewriteMissing) || r.HasWarning(connectors.CodeNormalized) {
		t.Errorf("Success/Warn/HasWarning: %+v", r)
	}
}

func TestDescribeFailure(t *testing.T) {
	r := connectors.Fail(connectors.CodeAuthInvalid, "The webservice key is not known to the shop.", "Copy the key again from Advanced Parameters > Webservice.")
	want := "The webservice key is not known to the shop.\nWhat to do: Copy the key again from Advanced Parameters > Webservice.\n(code auth_invalid)"
	if got := connectors.Describe(r); got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	noHint := connectors.Fail(connectors.CodeCanceled, "The test was cancelled.", "")
	if got := connectors.Describe(noHint); got != "The test was cancelled.\n(code canceled)" {
		t.Errorf("Describe without a hint = %q", got)
	}
	if r.OK || strings.Contains(connectors.Describe(r), "Warning") {
		t.Error("a failure is not OK and has no warnings")
	}
}

func TestResultChecksAndJSON(t *testing.T) {
	r := connectors.Success("Connected.")
	r.AddCheck("Root listing", true, "34 resources")
	r.AddCheck("Write access", false, "")
	if want := []connectors.Check{{"Root listing", true, "34 resources"}, {"Write access", false, ""}}; !slices.Equal(r.Checks, want) {
		t.Errorf("Checks = %+v", r.Checks)
	}
	r.Server = connectors.Server{Platform: "PrestaShop", Version: "8.1.2", ShopName: "My Shop"}
	r.Requests, r.Duration = 4, time.Second
	r.Exchanges = []connectors.Exchange{{Request: "GET https://shop.example/api/"}}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	// The keys `storelink test --json` promises (name, app and duration_ms are the CLI's).
	for _, key := range []string{"ok", "code", "message", "hint", "warnings", "checks", "permissions", "server", "requests"} {
		if _, ok := m[key]; !ok {
			t.Errorf("JSON %s lacks %q", data, key)
		}
	}
	for _, key := range []string{"Duration", "duration", "exchanges", "Exchanges", "LocationField"} {
		if _, ok := m[key]; ok {
			t.Errorf("JSON %s should not carry %q", data, key)
		}
	}
	if m["code"] != "ok" || m["requests"] != 4.0 || m["server"].(map[string]any)["shop_name"] != "My Shop" {
		t.Errorf("JSON %s", data)
	}
}

func TestFromContext(t *testing.T) {
	if _, done := connectors.FromContext(t.Context()); done {
		t.Error("a live context is not done")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if r, done := connectors.FromContext(ctx); !done || r.OK || r.Code != connectors.CodeCanceled {
		t.Errorf("cancelled: %+v %v", r, done)
	}
	ctx, cancel = context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	if r, done := connectors.FromContext(ctx); !done || r.OK || r.Code != connectors.CodeTimeout || r.Hint == "" {
		t.Errorf("past deadline: %+v %v", r, done)
	}
}
