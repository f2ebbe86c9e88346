package app

// tryrequest_test.go: Try a request against PrestaShop's emulator: the
// root listing read back, a write that waits for its confirmation, Cancel
// of a request the store never answers, an echoing store that shows no
// secret, error answers and transport errors with their codes.

import (
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/connectors/prestashop"
	"storelink/connectors/prestashop/pstest"
	"storelink/engine"
)

// saveShop saves a PrestaShop connection "Shop" to address with key, untested.
func saveShop(t *testing.T, e *env, address, key string) {
	t.Helper()
	out, err := e.eng.Create(context.Background(), engine.Draft{App: prestashop.ID, Values: connectors.Values{
		"name": "Shop", prestashop.FieldStoreURL: address, prestashop.FieldAPIKey: key, prestashop.FieldUseHTTPS: "false",
	}}, engine.SaveOptions{NoVerify: true})
	if err != nil || !out.Saved {
		t.Fatalf("save: %v", err)
	}
}

// openTry opens Try a request of Shop from its details.
func openTry(t *testing.T, e *env) *TryRequest {
	t.Helper()
	s := e.ui.Connections
	s.Reload()
	e.loop.until(t, "Shop listed", func() bool { return s.byName["Shop"] != nil })
	s.ShowDetails("Shop")
	if s.Details == nil || s.Details.tryButton == nil {
		t.Fatal("the details offer no Try a request")
	}
	test.Tap(s.Details.tryButton)
	if s.Try == nil {
		t.Fatal("Try a request did not open")
	}
	return s.Try
}

func answered(t *testing.T, e *env, tr *TryRequest) {
	t.Helper()
	e.loop.until(t, "the answer", func() bool { return tr.run == nil })
}

func TestTryARequestReadsTheRootListing(t *testing.T) {
	srv := pstest.New(pstest.Options{ShopName: "Lipová Shop"})
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	saveShop(t, e, srv.StoreURL(), pstest.DefaultKey)
	tr := openTry(t, e)
	if tr.method.Selected != http.MethodGet || tr.path.Text != "/" || !strings.HasSuffix(tr.root.Text, "/api") {
		t.Fatalf("default: %s %s under %q", tr.method.Selected, tr.path.Text, tr.root.Text)
	}
	if tr.bodyBox.Visible() {
		t.Error("GET offers a body")
	}
	tr.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter sends
	answered(t, e, tr)
	if !strings.HasPrefix(tr.status.Text, "200 OK in ") || !strings.HasSuffix(tr.status.Text, " ms") {
		t.Errorf("status %q", tr.status.Text)
	}
	body := tr.response.Text()
	if !strings.Contains(body, `shopName="Lipová Shop"`) || !strings.Contains(body, "\n  <api ") {
		t.Errorf("the body is not the root listing, indented:\n%.400s", body)
	}
	if tr.headersItem.Open || !strings.Contains(tr.headers.Text, "Psws-Version: 8.1.4") {
		t.Errorf("headers open %v:\n%s", tr.headersItem.Open, tr.headers.Text)
	}
	if tr.problem.Visible() || tr.more.Visible() {
		t.Errorf("a 200 shows a problem %q or a cut", tr.problem.Text)
	}
	// Another example fills method and path; Esc closes.
	tr.examples.SetSelected("Products")
	if !strings.HasPrefix(tr.path.Text, "/products?") {
		t.Errorf("the Products example gave %q", tr.path.Text)
	}
	tr.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := e.ui.Window.Canvas().Overlays().Top(); top != nil {
		t.Error("Esc left Try a request open")
	}
}

func TestTryAWriteSendsNothingUntilConfirmed(t *testing.T) {
	srv := pstest.New(pstest.Options{})
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	saveShop(t, e, srv.StoreURL(), pstest.DefaultKey)
	tr := openTry(t, e)
	tr.method.SetSelected(http.MethodPost)
	if !tr.bodyBox.Visible() {
		t.Fatal("POST offers no body")
	}
	tr.path.SetText("/products")
	tr.body.SetText("<prestashop><product/></prestashop>")
	before := srv.Requests()
	ctrlEnter := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	tr.body.TypedShortcut(ctrlEnter)
	host := strings.TrimPrefix(srv.URL, "http://")
	want := "Send POST /products to Shop (" + host + ")? This changes the shop's data."
	if tr.confirm == nil || !strings.Contains(shownText(e.ui.Window.Canvas().Overlays().Top()), want) { // wrapped label
		t.Fatalf("no confirmation %q", want)
	}
	test.Tap(tr.confirm.safe)
	e.loop.runPending()
	if n := srv.Requests(); n != before || tr.run != nil {
		t.Fatalf("Cancel sent %d requests", n-before)
	}
	test.Tap(tr.sendButton)
	test.Tap(tr.confirm.do)
	answered(t, e, tr)
	hits := srv.Hits()
	if len(hits) != before+1 || hits[len(hits)-1].Method != http.MethodPost || hits[len(hits)-1].Path != "/api/products" {
		t.Fatalf("after confirming: %+v", hits[before:])
	}
	if !strings.HasPrefix(tr.status.Text, "201 Created in ") { // pstest creates the product
		t.Errorf("status %q", tr.status.Text)
	}
}

func TestCancelARequestTheStoreNeverAnswers(t *testing.T) {
	srv := pstest.New(pstest.Options{Delay: time.Hour})
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	saveShop(t, e, srv.StoreURL(), pstest.DefaultKey)
	tr := openTry(t, e)
	test.Tap(tr.sendButton)
	if tr.run == nil || !tr.cancelButton.Visible() || !tr.sendButton.Disabled() {
		t.Fatal("no request under way")
	}
	e.loop.until(t, "the store to get the request", func() bool { return srv.Requests() == 1 })
	run := tr.run
	test.Tap(tr.cancelButton)
	if tr.sendButton.Disabled() || tr.cancelButton.Visible() || !strings.HasPrefix(tr.status.Text, "Stopped.") {
		t.Errorf("after Cancel: send disabled %v, status %q", tr.sendButton.Disabled(), tr.status.Text)
	}
	e.loop.until(t, "the call to end", func() bool {
		select {
		case <-run.done:
			return true
		default:
			return false
		}
	})
	if strings.HasPrefix(tr.status.Text, "Sending") || tr.response.Text() != "" {
		t.Errorf("the cancelled call still showed %q / %q", tr.status.Text, tr.response.Text())
	}
	test.Tap(tr.closeButton)
	e.ui.Connections.ShowDetails("Shop") // the window answers
	if e.ui.Connections.Details == nil || e.ui.Window.Canvas().Overlays().Top() == nil {
		t.Error("the window does not open the details after a cancelled request")
	}
}

func TestAnEchoingStoreShowsNoSecret(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"authorization":"` + r.Header.Get("Authorization") + `","url":"` + r.URL.String() + `"}`))
	}))
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	saveShop(t, e, srv.URL, pstest.DefaultKey)
	tr := openTry(t, e)
	test.Tap(tr.sendButton)
	answered(t, e, tr)
	if !strings.HasPrefix(tr.status.Text, "200 OK") || !strings.Contains(tr.response.Text(), `"authorization": "`) {
		t.Fatalf("status %q, body %q", tr.status.Text, tr.response.Text())
	}
	encoded := base64.StdEncoding.EncodeToString([]byte(pstest.DefaultKey + ":"))
	test.Tap(tr.copyButton)
	for where, s := range map[string]string{"body": tr.response.Text(), "headers": tr.headers.Text, "clipboard": e.ui.App.Clipboard().Content(),
		"window": test.RenderObjectToMarkup(e.ui.Window.Canvas().Overlays().Top()) + shownText(e.ui.Window.Canvas().Overlays().Top())} {
		if strings.Contains(s, pstest.DefaultKey[:8]) || strings.Contains(s, encoded[:12]) {
			t.Errorf("the key shows in the %s:\n%s", where, s)
		}
	}
}

// diagnosing is the registry with PrestaShop's API recognising a refused
// key, as a platform's Diagnose does.
func diagnosing() *connectors.Registry {
	reg := connectors.NewRegistry()
	info, _ := connectors.Default.Lookup(prestashop.ID)
	api := *info.API
	api.Diagnose = func(_ connectors.APIRequest, resp *connectors.Response) (connectors.Result, bool) {
		if resp.Status == http.StatusUnauthorized {
			return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this API key.", "Copy the key again."), true
		}
		return connectors.Result{}, false
	}
	info.API = &api
	// Register adds the common fields again: give it the platform's own.
	bare := connectors.NewRegistry()
	bare.Register(connectors.Info{ID: "bare", New: info.New})
	common := map[string]bool{}
	for _, f := range bare.All()[0].Fields {
		common[f.Key] = true
	}
	own := info.Fields[:0:0]
	for _, f := range info.Fields {
		if !common[f.Key] {
			own = append(own, f)
		}
	}
	info.Fields = own
	reg.Register(info)
	return reg
}

func TestAnErrorAnswerShowsItsCode(t *testing.T) {
	srv := pstest.New(pstest.Options{})
	t.Cleanup(srv.Close)
	e := newEnvDialing(t, diagnosing(), &script{}, (&net.Dialer{}).DialContext)
	saveShop(t, e, srv.StoreURL(), strings.Repeat("W", 32))
	tr := openTry(t, e)
	test.Tap(tr.sendButton)
	answered(t, e, tr)
	if !strings.HasPrefix(tr.status.Text, "401 Unauthorized in ") {
		t.Errorf("status %q", tr.status.Text)
	}
	if want := "The shop does not know this API key. Copy the key again. Code: auth_invalid."; !tr.problem.Visible() || tr.problem.Text != want {
		t.Errorf("problem %q, want %q", tr.problem.Text, want)
	}
	if !strings.Contains(tr.response.Text(), "Authentification key is not active") {
		t.Errorf("the error document is not shown: %q", tr.response.Text())
	}
	// A store that is gone: the transport error in words with its code.
	srv.Close()
	test.Tap(tr.sendButton)
	answered(t, e, tr)
	if !strings.Contains(tr.problem.Text, "Code: unreachable.") || tr.response.Text() != "" {
		t.Errorf("after the store went: problem %q, body %q", tr.problem.Text, tr.response.Text())
	}
}

func TestAPlatformWithoutAnAPIOffersNoTry(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Shop", "KEY")
	s := e.ui.Connections
	s.Reload()
	s.Test("Shop")
	e.loop.until(t, "the test", func() bool { return s.run == nil })
	s.ShowDetails("Shop")
	if s.Details == nil || s.Details.tryButton != nil {
		t.Error("Test Shop has no API, yet Try a request is offered")
	}
	s.selected = "Shop"
	if item := menuItem(s.rowMenu(), "Try a request…"); item == nil || !item.Disabled {
		t.Errorf("the row menu's Try a request for a platform without an API: %+v", item)
	}
}

func TestShownIndentsAndReplacesBadBytes(t *testing.T) {
	if got := shown("application/json", []byte(`{"a":1}`)); got != "{\n  \"a\": 1\n}" {
		t.Errorf("JSON shown as %q", got)
	}
	if got := shown("text/plain", []byte("caf\xe9")); got != "caf\uFFFD" {
		t.Errorf("bad UTF-8 shown as %q", got)
	}
}

func TestALongAnswerIsCutForShowing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		line := strings.Repeat("x", 1023) + "\n"
		for range 2048 { // 2 MiB
			_, _ = w.Write([]byte(line))
		}
	}))
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	saveShop(t, e, srv.URL, pstest.DefaultKey)
	tr := openTry(t, e)
	test.Tap(tr.sendButton)
	answered(t, e, tr)
	if n := len(tr.response.Text()); n > maxShown || n < maxShown/2 {
		t.Errorf("%d bytes shown of 2 MiB, want at most %d", n, maxShown)
	}
	if want := "The answer is longer than 1 MiB; the rest is not shown."; !tr.more.Visible() || tr.more.Text != want {
		t.Errorf("cut: %v %q", tr.more.Visible(), tr.more.Text)
	}
}

// The row's right-click menu offers Try a request where the platform has
// an API, and opens it.
func TestTheRowMenuOffersTryARequest(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	t.Cleanup(ps.Close)
	e := loopbackEnv(t)
	saveShop(t, e, ps.StoreURL(), pstest.DefaultKey)
	s := e.ui.Connections
	s.Reload()
	e.loop.until(t, "Shop listed", func() bool { return s.byName["Shop"] != nil })
	s.selected = "Shop"
	item := menuItem(s.rowMenu(), "Try a request…")
	if item == nil || item.Disabled {
		t.Fatalf("the row menu has no enabled Try a request: %+v", item)
	}
	item.Action()
	if s.Try == nil {
		t.Fatal("Try a request did not open from the menu")
	}
}

func menuItem(m *fyne.Menu, label string) *fyne.MenuItem {
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	return nil
}
