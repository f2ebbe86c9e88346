package app

// pane_result_test.go: results in a shop owner's words: a pass with warnings
// says so in the warning colour with the warnings first, server details are
// labelled with local times, resources carry their titles, the code shows once.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// warnedPass is a pass with warnings, permissions and server details, as a
// PrestaShop whose server strips the Authorization header gives.
func warnedPass(warnings ...string) func(context.Context, connectors.Config) connectors.Result {
	return func(context.Context, connectors.Config) connectors.Result {
		r := connectors.Success("Connected to My Shop: the key works and may use 40 resources.")
		for _, w := range warnings {
			r.Warn(connectors.CodeAuthHeaderStripped, w)
		}
		r.Server = connectors.Server{Platform: "PrestaShop", Version: "8.1.0", ShopName: "My Shop",
			Extra: map[string]string{"patch": "true"}}
		for _, res := range []string{"addresses", "carriers", "carts", "categories", "combinations", "configurations", "countries", "currencies"} {
			r.Permissions = append(r.Permissions, connectors.Permission{Resource: res, Methods: []string{"GET", "HEAD"}})
		}
		r.AddCheck("Key accepted", true, "")
		return r
	}
}

// labels lists the text of every label under obj, in order.
func labels(obj fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.Accordion:
			for _, it := range w.Items {
				out = append(out, it.Title)
				walk(it.Detail)
			}
		}
	}
	walk(obj)
	return out
}

func TestAPassWithWarningsSaysSoFirst(t *testing.T) {
	conn := &script{}
	conn.set(warnedPass("The server strips the Authorization header, so the key went in the URL, where server logs keep it."))
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	p.Window.Resize(fyne.NewSize(720, 500))
	fillTestShop(p, "Shop")
	test.Tap(p.testButton)
	e.idle(p)

	if !strings.HasPrefix(p.status.Text, "Passed with 1 warning") || p.status.Importance != widget.WarningImportance {
		t.Errorf("footer %q in importance %v; want \"Passed with 1 warning\" in the warning colour", p.status.Text, p.status.Importance)
	}
	if h := p.Result.headlineLabel; h.Importance != widget.WarningImportance || !strings.Contains(h.Text, "with 1 warning") {
		t.Errorf("headline %q in importance %v", h.Text, h.Importance)
	}
	if strings.Contains(p.Result.body.Text, "Warning:") {
		t.Errorf("the warning shows once, above the message, not again in it: %q", p.Result.body.Text)
	}
	// Warnings come right under the headline: before the message, the server
	// details and the permissions.
	box := p.Result.box.Objects
	at := func(o fyne.CanvasObject) int { return slices.Index(box, o) }
	if p.Result.warnings == nil || !(at(p.Result.warnings) < at(p.Result.body) && at(p.Result.body) < at(p.Result.facts) && at(p.Result.facts) < at(p.Result.details)) {
		t.Errorf("order: warnings %d, message %d, details %d, permissions %d", at(p.Result.warnings), at(p.Result.body), at(p.Result.facts), at(p.Result.details))
	}
	text := strings.Join(labels(p.Result.warnings), " ")
	if !strings.Contains(text, "server logs keep it") {
		t.Errorf("warnings block: %q", text)
	}
	// The view scrolls to the headline and the warnings, not to the bottom.
	if p.scroll.Offset.Y == 0 || !inView(t, p, p.Result.headlineLabel) || !inView(t, p, p.Result.warnings) {
		t.Errorf("the headline and warnings are in view: offset %v, view %v", p.scroll.Offset, p.scroll.Size())
	}

	conn.set(warnedPass("First warning.", "Second warning."))
	test.Tap(p.saveButton)
	e.idle(p)
	if len(e.saved()) != 1 {
		t.Fatal("a pass with warnings is saved")
	}
	if s := p.status; !strings.HasPrefix(s.Text, `Saved "Shop" at `) || !strings.Contains(s.Text, "with 2 warnings") || s.Importance != widget.WarningImportance {
		t.Errorf("footer after saving: %q in importance %v", s.Text, s.Importance)
	}

	conn.set(warnedPass())
	test.Tap(p.testButton)
	e.idle(p)
	if p.status.Importance != widget.SuccessImportance || p.Result.headlineLabel.Importance != widget.SuccessImportance || p.Result.warnings != nil {
		t.Error("a pass without warnings is green")
	}
}

func TestServerDetailsInWords(t *testing.T) {
	zone := time.FixedZone("Shop time", 2*60*60)
	now := time.Date(2026, 3, 10, 13, 50, 0, 0, zone)
	retry := time.Date(2026, 3, 10, 12, 5, 0, 0, time.UTC) // 14:05 on the shop's clock
	got := ServerDetails(map[string]string{
		"rate_limit_hour_remaining": "118", "rate_limit_hour": "120",
		"retry_after": retry.Format(time.RFC3339), "patch": "true",
		"safe_after": time.Date(2026, 3, 11, 7, 0, 0, 0, time.UTC).Format(time.RFC3339),
		"store_code": "default", "some_new_key": "x",
	}, now)
	want := []Detail{
		{"store_code", "Store view code", "default"},
		{"patch", "Partial updates", "Yes: a change can send only the fields that change"},
		{"rate_limit_hour", "Requests allowed per hour", "120"},
		{"rate_limit_hour_remaining", "Requests left this hour", "118"},
		{"retry_after", "Try again at", "14:05 (in 15 min)"},
		{"safe_after", "Safe to try again at", "Wed 11 Mar 09:00 (in 19 h 10 min)"},
		{"some_new_key", "Some new key", "x"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ServerDetails:\n got %q\nwant %q", got, want)
	}
	// Every key a connector puts in Server.Extra has a label of its own.
	for _, k := range []string{"store_code", "base_url", "secure_base_url", "locale", "currency", "display_currency", "timezone",
		"rate_limit_hour", "rate_limit_hour_remaining", "rate_limit_day", "rate_limit_day_remaining", "rate_limit_total_remaining",
		"retry_after", "safe_after", "language", "patch"} {
		known := slices.ContainsFunc(serverDetails, func(d serverDetail) bool { return d.key == k })
		if d := ServerDetails(map[string]string{k: "1"}, now); !known || len(d) != 1 || strings.Contains(d[0].Label, "_") {
			t.Errorf("%s has no label of its own: %v", k, d)
		}
	}
}

func TestResultsSpeakTheShopOwnersWords(t *testing.T) {
	conn := &script{}
	retry := time.Now().Add(20 * time.Minute).UTC().Truncate(time.Second)
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		r := connectors.Success("Magento accepts the integration.")
		r.Server.Extra = map[string]string{"rate_limit_hour_remaining": "118", "retry_after": retry.Format(time.RFC3339), "patch": "false"}
		r.Permissions = []connectors.Permission{{Resource: "Magento_Backend::store", Title: "Stores > Settings > All Stores", Methods: []string{"GET"}}}
		return r
	})
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.testButton)
	e.idle(p)

	shown := strings.Join(labels(p.Result.facts), "\n")
	for _, want := range []string{"Requests left this hour\n118", "Try again at\n" + retry.Local().Format("15:04"), "Partial updates\nNo: "} {
		if !strings.Contains(shown, want) {
			t.Errorf("server details lack %q:\n%s", want, shown)
		}
	}
	for _, raw := range []string{"rate_limit", "retry_after", retry.Format(time.RFC3339), "patch\n", "true", "false"} {
		if strings.Contains(shown, raw) {
			t.Errorf("server details show the raw %q:\n%s", raw, shown)
		}
	}
	perms := strings.Join(labels(p.Result.details.Items[0].Detail), "\n")
	if !strings.Contains(perms, "Stores > Settings > All Stores\nView") || strings.Contains(perms, "Magento_Backend::store") {
		t.Errorf("permissions show the title, not the ID:\n%s", perms)
	}
	tech := technicalDetails(*p.Result.Result).Text
	if !strings.Contains(tech, "Magento_Backend::store: GET (Stores > Settings > All Stores)") || !strings.Contains(tech, "retry_after = "+retry.Format(time.RFC3339)) {
		t.Errorf("technical details keep the IDs and raw values:\n%s", tech)
	}
}

func TestTheFailureCodeShowsOnce(t *testing.T) {
	conn := &script{}
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "Copy the key again from the back office.")
	})
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveButton)
	e.idle(p)
	// The offer to save anyway sits by the message, in view with the headline.
	if p.Result.saveAnywayButton == nil || !inView(t, p, p.Result.headlineLabel) || !inView(t, p, p.Result.actionsBox) {
		t.Errorf("headline and Save without verifying in view: offset %v", p.scroll.Offset)
	}
	if !strings.Contains(p.status.Text, "in the result above") {
		t.Errorf("the footer points up to the result: %q", p.status.Text)
	}
	p.Result.details.Open(slices.Index(p.Result.details.Items, p.Result.technical)) // the code waits under Technical details
	markup := test.RenderObjectToMarkup(p.Result.box)
	if n := strings.Count(markup, "auth_invalid"); n != 1 {
		t.Errorf("the code auth_invalid shows %d times in the result", n)
	}
}

func TestResultButtonsWrapAndScrollIntoView(t *testing.T) {
	conn := &script{}
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		r := connectors.Fail(connectors.CodeMoved, "The API moved to https://a-rather-long-new-address.example/api/v2.", "Use the new address.")
		r.Location, r.LocationField = "https://a-rather-long-new-address.example/api/v2", "store_url"
		r.Forceable = true
		for i := range 30 {
			r.AddCheck("Step "+string(rune('A'+i)), true, "")
		}
		return r
	})
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveButton)
	e.idle(p)
	p.Window.Resize(p.Window.Content().MinSize())
	p.settle()
	row := p.Result.actionsBox
	for _, b := range []*widget.Button{p.Result.useLocationButton, p.Result.sendAnywayButton, p.Result.saveAnywayButton} {
		pos, _ := positionIn(row, b)
		if b.Size().Width < b.MinSize().Width || pos.X+b.Size().Width > row.Size().Width+1 {
			t.Errorf("%q is cut off: at %v, %v wide in a row %v wide", b.Text, pos.X, b.Size().Width, row.Size().Width)
		}
	}
	// Scrolled away, Tab to a result button brings it back.
	p.scrollTo(0)
	c := p.Window.Canvas()
	c.Focus(p.Form.Input("api_key").Focusable())
	for range 40 {
		if _, ok := c.Focused().(*revealButton); ok {
			break
		}
		c.FocusNext()
	}
	b, ok := c.Focused().(*revealButton)
	if !ok || !inView(t, p, b) {
		t.Errorf("Tab reaches a result button and shows it (focused %T, offset %v)", c.Focused(), p.scroll.Offset)
	}
}
