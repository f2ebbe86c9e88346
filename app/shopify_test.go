package app

// shopify_test.go: issue 20 in the window. A Shopify connection of each
// authentication type is picked, filled, saved against shopifytest and
// shown in the table as working; a frozen store says so.

import (
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/connectors/shopify"
	"storelink/connectors/shopify/shopifytest"
)

func TestShopifyConnectionsFromTheWindow(t *testing.T) {
	srv := shopifytest.New(shopifytest.Options{ShopName: "Window Test Store"})
	t.Cleanup(srv.Close)
	frozen := shopifytest.New(shopifytest.Options{Frozen: true})
	t.Cleanup(frozen.Close)
	e := newEnvDialing(t, connectors.Default, &script{}, (&net.Dialer{}).DialContext)

	e.ui.CreateConnection()
	test.Type(e.ui.Picker.Search, "shopify")
	if b := e.ui.Picker.buttons[shopify.ID]; b == nil || !e.ui.Picker.rows[shopify.ID].Visible() {
		t.Fatal("the picker finds Shopify")
	}
	e.ui.Picker.dialog.Hide()

	p := e.open(shopify.ID)
	typeInto(p, connectors.FieldName, "Shopify token")
	typeInto(p, shopify.FieldShop, srv.URL)
	typeInto(p, shopify.FieldAccessToken, shopifytest.DefaultAccessToken)
	test.Tap(p.saveButton)
	e.idle(p)
	if r := p.Result.Result; r == nil || !r.OK || !strings.Contains(p.Result.body.Text, "Window Test Store") {
		t.Fatalf("token: status %q, result %q", p.status.Text, p.Result.body.Text)
	}

	c := e.open(shopify.ID)
	typeInto(c, connectors.FieldName, "Shopify client")
	selectLabel(c.Form.Input(shopify.FieldAuthType).Widget, "Client ID and secret (Dev Dashboard)")
	if c.Form.Row(shopify.FieldAccessToken).Visible() || !c.Form.Row(shopify.FieldClientSecret).Visible() {
		t.Fatal("client credentials show the client ID and secret instead of the token")
	}
	typeInto(c, shopify.FieldShop, srv.URL)
	typeInto(c, shopify.FieldClientID, shopifytest.DefaultClientID)
	typeInto(c, shopify.FieldClientSecret, shopifytest.DefaultClientSecret)
	test.Tap(c.saveButton)
	e.idle(c)
	if r := c.Result.Result; r == nil || !r.OK || !strings.Contains(c.Result.body.Text, "expires") {
		t.Fatalf("client credentials: status %q, result %q", c.status.Text, c.Result.body.Text)
	}

	f := e.open(shopify.ID)
	typeInto(f, connectors.FieldName, "Shopify frozen")
	typeInto(f, shopify.FieldShop, frozen.URL)
	typeInto(f, shopify.FieldAccessToken, shopifytest.DefaultAccessToken)
	test.Tap(f.saveButton)
	e.idle(f)
	if r := f.Result.Result; r == nil || r.Code != connectors.CodeStoreUnavailable || !strings.Contains(f.Result.body.Text, "frozen") {
		t.Fatalf("frozen: result %+v, body %q", r, f.Result.body.Text)
	}

	saved := e.saved()
	if len(saved) != 2 {
		t.Fatalf("saved %d connections, want the two that work: %+v", len(saved), saved)
	}
	e.ui.Connections.Reload()
	e.loop.until(t, "the table to show both", func() bool { return len(e.ui.Connections.Shown()) == 2 })
	for _, name := range []string{"Shopify token", "Shopify client"} {
		if st := e.ui.Connections.StatusText(name); !strings.HasPrefix(st, "Verified") {
			t.Errorf("the table says %q for %s", st, name)
		}
	}
	secrets, err := e.store.Secrets(saved[0])
	if err != nil || len(secrets) != 1 {
		t.Errorf("one secret each in the keychain: %v %v", secrets, err)
	}
	for _, s := range saved {
		for k, v := range s.Values {
			if strings.Contains(v, shopifytest.DefaultAccessToken) || strings.Contains(v, shopifytest.DefaultClientSecret) {
				t.Errorf("%s: a secret in the settings file (%s)", s.Name, k)
			}
		}
	}
}
