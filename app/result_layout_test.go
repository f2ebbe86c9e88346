package app

// result_layout_test.go: issue 19's results an owner reads in ten seconds,
// against the platforms' test servers: a headline, the reason, numbered
// steps with Copy for the line to paste, Technical details closed, the
// footer only the headline; a one-click fix that makes the next test pass;
// a result through an agent names the agent.

import (
	"context"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/connectors/magento2"
	"storelink/connectors/magento2/magentotest"
	"storelink/connectors/prestashop"
	"storelink/connectors/prestashop/pstest"
	"storelink/engine"
)

// loopbackEnv is the window with the real platforms, dialing only this computer.
func loopbackEnv(t *testing.T) *env {
	return newEnvDialing(t, connectors.Default, &script{}, (&net.Dialer{}).DialContext)
}

// untickHTTPS turns "Use HTTPS" off: a test server on this computer has no certificate.
func untickHTTPS(t *testing.T, p *Pane, key string) {
	t.Helper()
	p.Form.Fill(connectors.Values{key: "false"})
}

func TestAnUnknownPrestaShopKeyReadsAsHeadlineReasonSteps(t *testing.T) {
	srv := pstest.New(pstest.Options{ShopName: "Steps Shop"})
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	p := e.open(prestashop.ID)
	typeInto(p, "name", "Steps shop")
	typeInto(p, prestashop.FieldStoreURL, srv.StoreURL())
	wrongKey := strings.Repeat("W", 32)
	typeInto(p, prestashop.FieldAPIKey, wrongKey)
	untickHTTPS(t, p, prestashop.FieldUseHTTPS)
	test.Tap(p.testButton)
	e.idle(p)

	rp := p.Result
	if r := rp.Result; r == nil || r.OK || r.Code != connectors.CodeAuthInvalid {
		t.Fatalf("result %+v (footer %q)", rp.Result, p.status.Text)
	}
	if rp.headlineLabel.Text != "The API key is not known to the shop" || rp.headlineLabel.Importance != widget.DangerImportance {
		t.Errorf("headline %q in importance %v", rp.headlineLabel.Text, rp.headlineLabel.Importance)
	}
	// The reason is a sentence or two, not the old wall with the code in it.
	if n := len(strings.Split(strings.TrimSpace(rp.body.Text), ". ")); rp.body.Text == "" || n > 2 || strings.Contains(rp.body.Text, "auth_invalid") || strings.Contains(rp.body.Text, "What to do") {
		t.Errorf("reason: %q", rp.body.Text)
	}
	// Numbered steps with the back-office path.
	steps := shownText(rp.steps)
	for _, want := range []string{"What to do", "1.", "2.", "3.", "open Advanced Parameters > Webservice.", "Copy the key again and test again."} {
		if !strings.Contains(steps, want) {
			t.Errorf("steps lack %q:\n%s", want, steps)
		}
	}
	// Headline, reason and steps come before the details; the code,
	// headers and timings wait in Technical details, closed.
	box := rp.box.Objects
	at := func(o fyne.CanvasObject) int { return slices.Index(box, o) }
	if !(at(rp.body) < at(rp.steps) && at(rp.steps) < at(rp.facts) && at(rp.facts) < at(rp.details)) {
		t.Errorf("order: reason %d, steps %d, facts %d, details %d", at(rp.body), at(rp.steps), at(rp.facts), at(rp.details))
	}
	if rp.technical == nil || rp.technical.Open || !slices.Contains(rp.details.Items, rp.technical) {
		t.Fatal("Technical details is there, closed")
	}
	if markup := test.RenderObjectToMarkup(rp.box); strings.Contains(markup, "auth_invalid") || strings.Contains(markup, "Requests made") {
		t.Error("the code and headers show before Technical details is opened")
	}
	tech := shownText(rp.technical.Detail)
	for _, want := range []string{"Code\nauth_invalid", "Took\n", "Requests made\n"} {
		if !strings.Contains(tech, want) {
			t.Errorf("technical details lack %q:\n%s", want, tech)
		}
	}
	if strings.Contains(shownText(rp.box)+p.status.Text, wrongKey) {
		t.Error("the key shows in the result or the footer")
	}
	// The footer is the headline only.
	if p.status.Text != "The test failed. The API key is not known to the shop." || p.status.Importance != widget.DangerImportance {
		t.Errorf("footer %q", p.status.Text)
	}
}

func TestAPassWithAWarningCopiesTheHtaccessLine(t *testing.T) {
	srv := pstest.New(pstest.Options{StripAuthHeader: true})
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	p := e.open(prestashop.ID)
	typeInto(p, "name", "CGI shop")
	typeInto(p, prestashop.FieldStoreURL, srv.StoreURL())
	typeInto(p, prestashop.FieldAPIKey, pstest.DefaultKey)
	untickHTTPS(t, p, prestashop.FieldUseHTTPS)
	test.Tap(p.testButton)
	e.idle(p)

	rp := p.Result
	if r := rp.Result; r == nil || !r.OK || !r.HasWarning(connectors.CodeAuthHeaderStripped) {
		t.Fatalf("result %+v (footer %q)", rp.Result, p.status.Text)
	}
	if rp.headlineLabel.Text != "Passed with 1 warning" || rp.headlineLabel.Importance != widget.WarningImportance {
		t.Errorf("headline %q in importance %v", rp.headlineLabel.Text, rp.headlineLabel.Importance)
	}
	if w := shownText(rp.warnings); !strings.Contains(w, "drops the Authorization header") {
		t.Errorf("the warning's words: %q", w)
	}
	if !strings.HasPrefix(p.status.Text, "Passed with 1 warning") || strings.Contains(p.status.Text, "Authorization") {
		t.Errorf("footer %q: the headline, not the warning again", p.status.Text)
	}
	const line = "RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]"
	if steps := shownText(rp.steps); !strings.Contains(steps, line) || !strings.Contains(steps, "Enable CGI mode for PHP") {
		t.Errorf("steps:\n%s", steps)
	}
	if len(rp.copyButtons) != 1 {
		t.Fatalf("%d Copy buttons, want one for the .htaccess line", len(rp.copyButtons))
	}
	test.Tap(rp.copyButtons[0])
	if got := e.ui.App.Clipboard().Content(); got != line {
		t.Errorf("Copy put %q on the clipboard, want exactly %q", got, line)
	}
	if rp.copyButtons[0].Text != "Copied" {
		t.Errorf("the button says %q after copying", rp.copyButtons[0].Text)
	}
	if at := func(o fyne.CanvasObject) int { return slices.Index(rp.box.Objects, o) }; !(at(rp.warnings) < at(rp.body) && at(rp.body) < at(rp.steps) && at(rp.steps) < at(rp.details)) {
		t.Error("warnings, message, steps, details: in that order")
	}
}

func TestUseHMACSHA256SetsTheFieldAndTheNextTestPasses(t *testing.T) {
	srv := magentotest.New(magentotest.Options{Version: "2.4.7"})
	t.Cleanup(srv.Close)
	e := loopbackEnv(t)
	p := e.open(magento2.ID)
	typeInto(p, "name", "Magento fix")
	p.Form.Fill(connectors.Values{magento2.FieldBaseURI: srv.BaseURI(), magento2.FieldAuthType: magento2.AuthOAuth1})
	p.Form.Fill(connectors.Values{magento2.FieldSignatureMethod: "HMAC-SHA1"})
	typeInto(p, magento2.FieldConsumerKey, magentotest.DefaultConsumerKey)
	typeInto(p, magento2.FieldConsumerSecret, magentotest.DefaultConsumerSecret)
	typeInto(p, magento2.FieldAccessToken, magentotest.DefaultAccessToken)
	typeInto(p, magento2.FieldTokenSecret, magentotest.DefaultTokenSecret)
	test.Tap(p.testButton)
	e.idle(p)

	rp := p.Result
	if r := rp.Result; r == nil || r.Code != connectors.CodeSignatureMethodUnsupported {
		t.Fatalf("result %+v (footer %q)", rp.Result, p.status.Text)
	}
	if !strings.HasPrefix(rp.headlineLabel.Text, "Magento does not accept the signature method") || !strings.HasPrefix(p.status.Text, "The test failed. Magento does not accept") {
		t.Errorf("headline %q, footer %q", rp.headlineLabel.Text, p.status.Text)
	}
	if len(rp.fixButtons) != 1 || rp.fixButtons[0].Text != "Use HMAC-SHA256" {
		t.Fatalf("fix buttons %v", buttonTexts(rp.fixButtons))
	}
	test.Tap(rp.fixButtons[0])
	if got := p.Form.Input(magento2.FieldSignatureMethod).Value(); got != "HMAC-SHA256" {
		t.Errorf("Signature method reads %q after the fix", got)
	}
	if !strings.Contains(p.status.Text, "now reads HMAC-SHA256") || !strings.Contains(p.status.Text, "Test again") {
		t.Errorf("the fix is not said: %q", p.status.Text)
	}
	test.Tap(p.testButton)
	e.idle(p)
	if r := p.Result.Result; r == nil || !r.OK {
		t.Fatalf("after the fix: %+v (footer %q)", r, p.status.Text)
	}
	if len(p.Result.fixButtons) != 0 {
		t.Errorf("a pass offers fixes: %v", buttonTexts(p.Result.fixButtons))
	}
}

func TestAResultThroughAnAgentNamesIt(t *testing.T) {
	e, srv := newAgentsEnv(t)
	ctx := context.Background()
	if _, err := e.eng.SaveAgent(ctx, engine.Draft{Values: connectors.Values{"name": "Office", "host": srv.Host(),
		"port": strconv.Itoa(srv.Port()), "user": "shop", "auth": "password", "password": sshPassword}},
		engine.AgentSaveOptions{AcceptHostKey: srv.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	p := e.open("fetchshop")
	typeInto(p, "name", "Behind")
	typeInto(p, "store_url", "http://shop.internal/")
	selectLabel(p.Form.Input(connectors.FieldMode).Widget, "On-premise")
	selectLabel(p.Form.Input(connectors.FieldAgent).Widget, "Office")
	test.Tap(p.testButton)
	e.idle(p)
	if r := p.Result.Result; r == nil || !r.OK {
		t.Fatalf("through the agent: %+v (%s)", r, p.status.Text)
	}
	if facts := shownText(p.Result.facts); !strings.Contains(facts, "Through agent\nOffice") {
		t.Errorf("the result does not name the agent:\n%s", facts)
	}
	if strings.Contains(shownText(p.Result.box), sshPassword) {
		t.Error("the agent's password shows in the result")
	}
}

func buttonTexts(bs []*widget.Button) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Text)
	}
	return out
}
