package app

// trust_test.go: a self-signed store fails with tls; the result offers
// "Trust this certificate…", which shows the certificate and, confirmed,
// pins it in the Advanced section and tests again, now passing.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// fetchShop is a throw-away platform whose test is one GET of store_url
// through the shared client: TLS, trust fields and agents all apply.
type fetchShop struct{}

func (fetchShop) Test(ctx context.Context, cfg connectors.Config) connectors.Result {
	resp, err := cfg.HTTP.Do(ctx, connectors.Request{URL: cfg.Values.String("store_url")})
	if err != nil {
		return connectors.FailFromError(err)
	}
	if resp.Status != http.StatusOK {
		return connectors.Fail(connectors.CodeServerError, "The store answered "+resp.StatusText+".", "")
	}
	return connectors.Success("The store answered.")
}

func fetchRegistry() *connectors.Registry {
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{
		ID: "fetchshop", Title: "Fetch Shop", Description: "A shop that is fetched.", Icon: "prestashop.svg",
		New: func() connectors.Connector { return fetchShop{} },
		Fields: []connectors.Field{
			{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL, Required: true, Help: "The shop's address."},
		},
	})
	return reg
}

func TestTrustThisCertificatePinsItAndTestsAgain(t *testing.T) {
	store := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer store.Close()
	cert := store.Certificate()
	fingerprint := connectors.Fingerprint(cert)

	e := newEnvDialing(t, fetchRegistry(), &script{}, (&net.Dialer{}).DialContext)
	p := e.open("fetchshop")
	typeInto(p, "name", "Local shop")
	typeInto(p, "store_url", store.URL)
	test.Tap(p.testButton)
	e.idle(p)
	r := p.Result.Result
	if r == nil || r.OK || r.Code != connectors.CodeTLS || r.Certificate == nil || r.Certificate.SHA256 != fingerprint {
		t.Fatalf("a self-signed store fails with tls and its certificate: %+v", r)
	}
	if p.Result.trustCertificateButton == nil || !p.Result.trustCertificateButton.Visible() {
		t.Fatal("the result offers Trust this certificate")
	}

	// Esc: nothing is trusted.
	c := p.Window.Canvas()
	test.Tap(p.Result.trustCertificateButton)
	q := p.certificateQuestion
	if q == nil || !dialogShown(c) {
		t.Fatal("Trust this certificate asks first")
	}
	shown := shownText(c.Overlays().Top())
	for _, want := range []string{
		fingerprint, cert.Subject.String(), "self-signed",
		cert.NotBefore.Local().Format("2 Jan 2006"), cert.NotAfter.Local().Format("2 Jan 2006"),
		"Trust and test again", "Cancel",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("the question lacks %q: %s", want, shown)
		}
	}
	if b, ok := c.Focused().(*dialogButton); !ok || b.Text != "Cancel" {
		t.Errorf("the safe answer, Cancel, has the focus; not %v", c.Focused())
	}
	pressKey(c, fyne.KeyEscape)
	if dialogShown(c) || p.Form.Input(connectors.FieldTLSFingerprint).Value() != "" || p.busy() {
		t.Fatal("Esc trusts nothing and runs nothing")
	}

	// Confirmed: the fingerprint is in the Advanced section, which opens,
	// and the test runs again and passes. Nothing is saved by a Test.
	test.Tap(p.Result.trustCertificateButton)
	test.Tap(p.certificateQuestion.do)
	e.idle(p)
	if got := p.Form.Input(connectors.FieldTLSFingerprint).Value(); got != fingerprint {
		t.Errorf("tls_fingerprint = %q, want %q", got, fingerprint)
	}
	if !p.Form.Advanced.Items[0].Open {
		t.Error("the Advanced section opens to show the pinned certificate")
	}
	if r := p.Result.Result; r == nil || !r.OK || !strings.HasPrefix(p.Result.headlineLabel.Text, "The connection works") {
		t.Fatalf("the pinned store passes: %+v (%s)", r, p.status.Text)
	}
	if len(e.saved()) != 0 {
		t.Error("a test saves nothing")
	}
}

// shownText is the text of every label and button in obj, one a line, as
// typed (the markup splits a wrapped line).
func shownText(obj fyne.CanvasObject) string {
	var lines []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case nil:
			return
		case *widget.Label:
			lines = append(lines, w.Text)
			return
		case *widget.Button:
			lines = append(lines, w.Text)
			return
		case *dialogButton:
			lines = append(lines, w.Text)
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	return strings.Join(lines, "\n")
}
