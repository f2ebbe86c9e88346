package app

// connectors_test.go: the pane driven for every registered connector.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	_ "storelink/connectors/all"
)

// sample returns a value the field accepts, trying a few of its kind.
func sample(t *testing.T, f connectors.Field, values connectors.Values) string {
	t.Helper()
	var cands []string
	switch f.Kind {
	case connectors.KindURL:
		cands = []string{"127.0.0.1:9", "https://127.0.0.1:9/api/v2", "https://127.0.0.1:9/rest", "https://127.0.0.1:9"}
	case connectors.KindSecret:
		cands = []string{"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456", "secret-value-123",
			"ck_0123456789abcdef0123456789abcdef01234567", "cs_0123456789abcdef0123456789abcdef01234567"} // WooCommerce
	case connectors.KindMultilineSecret:
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		cands = []string{string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))}
	case connectors.KindNumber:
		cands = []string{f.Default, strconv.Itoa(f.Min)}
	case connectors.KindChoice:
		cands = append([]string{f.Default}, f.ChoiceValues()...)
	case connectors.KindBool:
		cands = []string{"true"}
	default:
		cands = []string{"storelink-test", "products:GET", "abcdefghijklmnopqrstuvwxyz012345"}
	}
	for _, c := range cands {
		v := values.Clone()
		v[f.Key] = c
		if c != "" && f.Check(v) == "" {
			return c
		}
	}
	t.Fatalf("%s: no sample value passes its validation; add one to sample()", f.Key)
	return ""
}

func TestPaneForEveryRegisteredConnector(t *testing.T) {
	all := connectors.All()
	if len(all) < 3 {
		t.Fatalf("only %d connectors registered", len(all))
	}
	for _, info := range all {
		t.Run(info.ID, func(t *testing.T) {
			e := newEnv(t, connectors.Default, &script{})
			p := e.open(info.ID)
			if p.Info.ID != info.ID || !strings.Contains(test.RenderObjectToMarkup(p.Form.Content), info.Title) {
				t.Fatal("the pane shows its application")
			}

			// Required-field errors.
			test.Tap(p.saveButton)
			values := p.Form.AllValues()
			for _, f := range info.Fields {
				if f.RequiredIn(values) && values[f.Key] == "" {
					if m := p.Form.Row(f.Key).Message; !m.Visible() || !strings.HasPrefix(m.Text, "Required") {
						t.Errorf("%s: required message %q", f.Key, m.Text)
					}
				}
			}
			if p.busy() || e.dials.Load() != 0 {
				t.Fatal("an incomplete form is not tested")
			}

			// Conditional fields follow the field they depend on.
			for _, f := range info.Fields {
				for _, c := range f.VisibleWhen {
					dep, _ := info.Field(c.Field)
					p.Form.Fill(connectors.Values{c.Field: c.Values[0]})
					if !p.Form.Row(f.Key).Visible() && len(f.VisibleWhen) == 1 {
						t.Errorf("%s should show when %s = %s", f.Key, c.Field, c.Values[0])
					}
					for _, other := range dep.ChoiceValues() {
						if !strings.Contains(strings.Join(c.Values, "\x00"), other) {
							p.Form.Fill(connectors.Values{c.Field: other})
							if p.Form.Row(f.Key).Visible() {
								t.Errorf("%s should hide when %s = %s", f.Key, c.Field, other)
							}
							break
						}
					}
				}
			}
			p.Form.Fill(info.Defaults(connectors.Values{})) // back to the defaults

			// Fill every required field, Save: the verification runs (and
			// fails: every dial is refused), nothing is saved.
			fill := connectors.Values{connectors.FieldName: "Test " + info.Title}
			p.Form.Fill(fill)
			for i := 0; i < 3; i++ { // a filled field may make another required
				values := p.Form.AllValues()
				for _, f := range info.Fields {
					if f.RequiredIn(values) && strings.TrimSpace(values[f.Key]) == "" {
						fill[f.Key] = sample(t, f, values)
						p.Form.Fill(connectors.Values{f.Key: fill[f.Key]})
					}
				}
			}
			test.Tap(p.saveButton)
			if !p.busy() {
				t.Fatalf("Save did not start a verification: %s", p.status.Text)
			}
			e.idle(p)
			if p.Result.Result == nil || p.Result.Result.OK {
				t.Fatalf("the verification should fail with every dial refused: %+v", p.Result.Result)
			}
			if len(e.saved()) != 0 {
				t.Fatal("a failed verification saved something")
			}
			// Save without verifying writes it, secrets to the keychain.
			test.Tap(p.Result.saveAnywayButton)
			e.idle(p)
			cs := e.saved()
			if len(cs) != 1 || cs[0].Last == nil || !cs[0].Last.Unverified || cs[0].App != info.ID {
				t.Fatalf("saved %+v", cs)
			}
			secrets, err := e.store.Secrets(cs[0])
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range fill {
				if f, _ := info.Field(k); f.IsSecret() && secrets[k] != v {
					t.Errorf("secret %s not stored", k)
				}
				if f, _ := info.Field(k); f.IsSecret() && cs[0].Values[k] != "" {
					t.Errorf("secret %s in the settings file", k)
				}
			}

			// Editing keeps the saved secrets, never shown: Save tests with them.
			test.Tap(p.cancelButton)
			e.ui.EditConnection(cs[0].Name)
			ed := e.ui.Panes[len(e.ui.Panes)-1]
			test.Tap(ed.saveButton)
			values = ed.Form.AllValues()
			for _, f := range info.Fields {
				if f.IsSecret() && f.RequiredIn(values) {
					row := ed.Form.Row(f.Key)
					if row.Input.Value() != "" || row.Message.Visible() || row.Hint.Text != keptSecretHint {
						t.Errorf("%s: editing must keep the saved secret and say so (%q)", f.Key, row.Message.Text)
					}
				}
			}
			if !ed.busy() {
				t.Errorf("an edit with its saved secrets is not tested: %q", ed.status.Text)
			}
			e.idle(ed)
			if s := ed.Window.Content().MinSize(); s.Width > 800 || s.Height > 600 {
				t.Errorf("the %s pane needs %v, more than 800x600", info.Title, s)
			}
		})
	}
}
