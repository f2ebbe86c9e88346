// Tests of the registry: what Register refuses, sorting, lookup, and the
// common fields every application gets.
package connectors_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"storelink/connectors"
)

// stubConnector returns what fn returns; it never touches the network.
type stubConnector struct {
	fn func(ctx context.Context, cfg connectors.Config) connectors.Result
}

func (s stubConnector) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	return s.fn(ctx, cfg)
}

var _ connectors.Connector = stubConnector{}

func testInfo(id, title string, fields ...connectors.Field) connectors.Info {
	return connectors.Info{ID: id, Title: title, Fields: fields, New: func() connectors.Connector {
		return stubConnector{fn: func(context.Context, connectors.Config) connectors.Result { return connectors.Success("fine") }}
	}}
}

func keysOf(fields []connectors.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Key
	}
	return out
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		p := recover()
		if p == nil {
			t.Fatalf("no panic, want one mentioning %q", want)
		}
		if msg, _ := p.(string); !strings.Contains(msg, want) {
			t.Errorf("panic %v, want it to mention %q", p, want)
		}
	}()
	f()
}

func TestRegisterRefusesProgrammingErrors(t *testing.T) {
	store := connectors.Field{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL}
	for _, tc := range []struct {
		name string
		info connectors.Info
		want string
	}{
		{"empty ID", testInfo("", "Nameless"), "empty ID"},
		{"nil New", connectors.Info{ID: "nonew", Title: "No New"}, "nil New"},
		{"field twice", testInfo("twice", "Twice", store, store), `"store_url" twice`},
		{"field clashes with a common one", testInfo("clash", "Clash", connectors.Field{Key: connectors.FieldName, Label: "Name"}), `"name" twice`},
		{"field clashes with an advanced common one", testInfo("clash2", "Clash", connectors.Field{Key: connectors.FieldConcurrency}), `"concurrency_level" twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := connectors.NewRegistry()
			mustPanic(t, tc.want, func() { r.Register(tc.info) })
			if _, ok := r.Lookup(tc.info.ID); ok || len(r.All()) != 0 {
				t.Errorf("a refused application was registered anyway")
			}
		})
	}

	t.Run("duplicate ID", func(t *testing.T) {
		r := connectors.NewRegistry()
		r.Register(testInfo("shop", "Shop", store))
		mustPanic(t, "twice for shop", func() { r.Register(testInfo("shop", "Another Shop")) })
		if info, _ := r.Lookup("shop"); info.Title != "Shop" || len(r.All()) != 1 {
			t.Errorf("the first registration must stay: %+v", info)
		}
	})
}

func TestRegistryAllSortedAndLookup(t *testing.T) {
	r := connectors.NewRegistry()
	for _, i := range []connectors.Info{testInfo("zeta", "Zeta Shop"), testInfo("prestashop", "PrestaShop"), testInfo("magento2", "Magento 2"), testInfo("upgates", "Upgates")} {
		r.Register(i)
	}
	var titles []string
	for _, i := range r.All() {
		titles = append(titles, i.Title)
	}
	if want := []string{"Magento 2", "PrestaShop", "Upgates", "Zeta Shop"}; !slices.Equal(titles, want) {
		t.Errorf("All() titles = %q, want %q", titles, want)
	}
	info, ok := r.Lookup("prestashop")
	if !ok || info.ID != "prestashop" || info.Title != "PrestaShop" || info.New == nil {
		t.Errorf("Lookup(prestashop) = %+v, %v", info, ok)
	}
	if _, ok := r.Lookup("PrestaShop"); ok {
		t.Error("Lookup is by exact ID; the title must not match")
	}
	if _, ok := r.Lookup("woocommerce"); ok {
		t.Error("Lookup of an unknown ID reported true")
	}
	// All returns a copy the caller may reorder.
	all := r.All()
	all[0], all[3] = all[3], all[0]
	if r.All()[0].Title != "Magento 2" {
		t.Error("changing All()'s slice changed the registry")
	}
	if connectors.NewRegistry().All() == nil {
		t.Error("All() of an empty registry should be an empty slice, not nil")
	}
}

func TestRegistryConcurrentUse(t *testing.T) {
	r := connectors.NewRegistry()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			id := string(rune('a' + i))
			r.Register(testInfo(id, strings.ToUpper(id)))
			r.Lookup(id)
			r.All()
		})
	}
	wg.Wait()
	if n := len(r.All()); n != 20 {
		t.Errorf("%d applications after 20 concurrent registrations", n)
	}
}

func TestCommonFieldsAddedInOrder(t *testing.T) {
	r := connectors.NewRegistry()
	own := []connectors.Field{
		{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL, Required: true},
		{Key: "api_key", Label: "API key", Kind: connectors.KindSecret, Required: true},
		{Key: "use_https", Label: "Use HTTPS", Kind: connectors.KindBool, Advanced: true},
	}
	info := testInfo("shop", "Shop", own...)
	r.Register(info)
	got, _ := r.Lookup("shop")
	want := []string{"name", "mode", "agent", "store_url", "api_key", "use_https", "request_timeout", "concurrency_level", "borrow_concurrency_from", "tls_fingerprint", "ca_file", "client_certificate"}
	if keys := keysOf(got.Fields); !slices.Equal(keys, want) {
		t.Fatalf("fields = %q, want %q", keys, want)
	}
	if keys := keysOf(info.Fields); !slices.Equal(keys, []string{"store_url", "api_key", "use_https"}) {
		t.Errorf("Register changed the caller's Fields: %q", keys)
	}

	name, _ := got.Field(connectors.FieldName)
	if !name.Required || name.Advanced || name.Kind != connectors.KindText || name.Label != "Name" || name.Help == "" {
		t.Errorf("name = %+v, want a required text field with help", name)
	}
	mode, _ := got.Field(connectors.FieldMode)
	if mode.Kind != connectors.KindChoice || mode.Default != connectors.ModeCloud || mode.Advanced ||
		!slices.Equal(mode.ChoiceValues(), []string{"cloud", "on-premise"}) {
		t.Errorf("mode = %+v, want a choice of cloud/on-premise defaulting to cloud", mode)
	}
	agent, _ := got.Field(connectors.FieldAgent)
	if agent.Kind != connectors.KindChoice || agent.ChoicesFrom != connectors.ChoicesAgents || agent.Required {
		t.Errorf("agent = %+v, want a choice from the agents, required only by condition", agent)
	}
	timeout, _ := got.Field(connectors.FieldRequestTimeout)
	if timeout.Key != "request_timeout" || timeout.Label != "Request timeout (seconds)" || timeout.Kind != connectors.KindNumber ||
		timeout.Default != "30" || timeout.Min != 1 || timeout.Max != 300 || !timeout.Advanced || timeout.Required {
		t.Errorf("request_timeout = %+v, want an Advanced number 1..300 seconds, default 30", timeout)
	}
	conc, _ := got.Field(connectors.FieldConcurrency)
	if !conc.Advanced || conc.Kind != connectors.KindNumber || conc.Min != 1 || conc.Max != 25 || conc.Default != "1" || conc.Required {
		t.Errorf("concurrency_level = %+v, want Advanced number 1..25, default 1", conc)
	}
	borrow, _ := got.Field(connectors.FieldBorrowFrom)
	if !borrow.Advanced || borrow.Kind != connectors.KindChoice || borrow.ChoicesFrom != connectors.ChoicesConnections || borrow.Required {
		t.Errorf("borrow_concurrency_from = %+v, want an Advanced choice of saved connections", borrow)
	}
	for _, key := range []string{"name", "mode", "agent", "request_timeout", "concurrency_level", "borrow_concurrency_from"} {
		if f, _ := got.Field(key); f.Help == "" || f.Label == "" {
			t.Errorf("common field %q has no label or help", key)
		}
	}
	if _, ok := got.Field("nope"); ok {
		t.Error("Info.Field found a field that does not exist")
	}
}

func TestMaxConcurrencyCapsTheLevel(t *testing.T) {
	const reason = "the Upgates API allows 5 requests at once per key."
	for _, tc := range []struct {
		max     int
		wantMax int
		reason  bool
	}{
		{0, 25, false},
		{5, 5, true},
		{25, 25, false},
		{40, 25, false}, // a cap cannot raise the limit
	} {
		r := connectors.NewRegistry()
		info := testInfo("capped", "Capped")
		info.MaxConcurrency, info.MaxConcurrencyReason = tc.max, reason
		r.Register(info)
		got, _ := r.Lookup("capped")
		conc, _ := got.Field(connectors.FieldConcurrency)
		if conc.Max != tc.wantMax || conc.Min != 1 {
			t.Errorf("MaxConcurrency %d: range %d..%d, want 1..%d", tc.max, conc.Min, conc.Max, tc.wantMax)
		}
		if shown := strings.Contains(conc.Help, reason); shown != tc.reason {
			t.Errorf("MaxConcurrency %d: help %q, reason shown %v, want %v", tc.max, conc.Help, shown, tc.reason)
		}
		if tc.reason && !strings.Contains(conc.Help, "At most 5") {
			t.Errorf("help %q should name the cap", conc.Help)
		}
	}
}

func TestAgentOnlyOnPremise(t *testing.T) {
	r := connectors.NewRegistry()
	r.Register(testInfo("shop", "Shop"))
	info, _ := r.Lookup("shop")
	agent, _ := info.Field(connectors.FieldAgent)
	for _, tc := range []struct {
		mode          string
		visible, req  bool
		omitModeValue bool
	}{
		{mode: "cloud"},
		{mode: "on-premise", visible: true, req: true},
		{omitModeValue: true},
		{mode: "On-Premise"}, // values are exact: forms store the choice value
	} {
		values := connectors.Values{"name": "x"}
		if !tc.omitModeValue {
			values["mode"] = tc.mode
		}
		if agent.VisibleIn(values) != tc.visible || agent.RequiredIn(values) != tc.req {
			t.Errorf("mode %q: agent visible %v required %v, want %v %v", tc.mode, agent.VisibleIn(values), agent.RequiredIn(values), tc.visible, tc.req)
		}
	}
}

// The package-level functions work on Default, where platforms register in
// init(); this test's ID cannot clash with a real one.
func TestDefaultRegistry(t *testing.T) {
	if _, done := connectors.Lookup("zz_registry_test"); !done { // -count=N runs this again
		connectors.Register(testInfo("zz_registry_test", "Zz Registry Test"))
	}
	info, ok := connectors.Lookup("zz_registry_test")
	if !ok || info.Title != "Zz Registry Test" || len(info.Fields) != 9 {
		t.Fatalf("Lookup on Default = %+v, %v; want it with the 9 common fields", info, ok)
	}
	found := false
	for _, i := range connectors.All() {
		found = found || i.ID == "zz_registry_test"
	}
	if !found {
		t.Error("All() on Default does not list the registered application")
	}
	mustPanic(t, "twice", func() { connectors.Register(testInfo("zz_registry_test", "Again")) })
}
