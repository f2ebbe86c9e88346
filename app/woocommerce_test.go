package app

// woocommerce_test.go: issue 20's window test: WooCommerce is picked in the
// picker, its fields filled, the connection tested and saved against the
// wootest emulator, and it shows in the table.

import (
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/connectors/woocommerce"
	"storelink/connectors/woocommerce/wootest"
)

func TestWooCommerceFromThePickerToTheTable(t *testing.T) {
	srv := wootest.New(wootest.Options{ShopName: "Woo Window Shop"})
	t.Cleanup(srv.Close)
	e := newEnvDialing(t, connectors.Default, &script{}, (&net.Dialer{}).DialContext)
	e.ui.CreateConnection()
	test.Type(e.ui.Picker.Search, "woo")
	if row := e.ui.Picker.rows[woocommerce.ID]; row == nil || !row.Visible() {
		t.Fatal("searching the picker for woo shows WooCommerce")
	}
	e.ui.Picker.dialog.Hide()
	p := e.open(woocommerce.ID)
	typeInto(p, "name", "Woo shop")
	typeInto(p, woocommerce.FieldStoreURL, "http://"+srv.StoreURL()+"/wp-admin/admin.php?page=wc-settings")
	typeInto(p, woocommerce.FieldConsumerKey, wootest.DefaultKey)
	typeInto(p, woocommerce.FieldConsumerSecret, wootest.DefaultSecret)
	// A test shop on this computer has no certificate: untick Use HTTPS.
	check, ok := p.Form.Input(woocommerce.FieldUseHTTPS).Widget.(fyne.Tappable)
	if !ok {
		t.Fatal("Use HTTPS is no check box")
	}
	test.Tap(check)
	test.Tap(p.saveButton)
	e.idle(p)
	saved := e.saved()
	if len(saved) != 1 || saved[0].App != woocommerce.ID || saved[0].Last == nil || !saved[0].Last.OK {
		t.Fatalf("saved: %+v (status %q, result %q)", saved, p.status.Text, p.Result.body.Text)
	}
	if got := saved[0].Values[woocommerce.FieldStoreURL]; got != srv.StoreURL() {
		t.Errorf("store_url saved as %q, want the tidied %q", got, srv.StoreURL())
	}
	if strings.Contains(strings.Join(valuesOf(saved[0].Values), " "), wootest.DefaultSecret) {
		t.Error("the consumer secret is in the settings file")
	}
	if got, err := e.store.Secrets(saved[0]); err != nil || got[woocommerce.FieldConsumerSecret] != wootest.DefaultSecret || got[woocommerce.FieldConsumerKey] != wootest.DefaultKey {
		t.Errorf("the keychain does not hold the key and secret (%v)", err)
	}
	if !strings.Contains(p.Result.body.Text, "Woo Window Shop") {
		t.Errorf("the pane does not name the shop: %q", p.Result.body.Text)
	}
	e.loop.until(t, "the table to show it", func() bool {
		shown := e.ui.Connections.Shown()
		return len(shown) == 1 && shown[0].Name == "Woo shop" && shown[0].App == woocommerce.ID
	})
}

func valuesOf(v map[string]string) []string {
	var out []string
	for _, s := range v {
		out = append(out, s)
	}
	return out
}
