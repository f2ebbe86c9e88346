package app

// transfer_test.go: File > Export and File > Import through the window's
// own dialogs, over real vaults: settings and secrets exported encrypted
// and imported on a fresh home and keychain, a wrong passphrase, a name
// already saved (Skip, new names, Replace, Cancel); Diagnostics' words and
// its log-folder button; About's lines.

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
)

const exportPass = "correct horse battery"

// saveShop saves a testshop connection without a network test.
func (e *env) saveShop(name, url, key string) {
	e.t.Helper()
	_, err := e.eng.Save(context.Background(), engine.Draft{App: "testshop", Values: connectors.Values{
		"name": name, "store_url": url, "api_key": key}}, engine.SaveOptions{NoVerify: true})
	if err != nil {
		e.t.Fatal(err)
	}
}

// export runs File > Export... to path through its dialog.
func (e *env) export(path, passphrase string) string {
	e.t.Helper()
	e.ui.transfer.workFactor = 10 // age's default takes a second and 256 MiB
	e.ui.ExportFile()
	d := e.ui.transfer.export
	if passphrase != "" {
		selectLabel(d.form.Input(exportContents).Widget, "Settings and secrets (encrypted)")
		if got := d.form.Input(exportFile).Value(); !strings.HasSuffix(got, ".age") {
			e.t.Errorf("the suggested name follows the choice: %q", got)
		}
		test.Type(d.form.Input(exportPassphrase).Focusable(), passphrase)
		test.Type(d.form.Input(exportPassphraseTwin).Focusable(), passphrase)
	}
	d.form.Input(exportFile).SetValue(path) // what Choose folder... and typing fill in
	e.ui.transfer.summary = nil
	test.Tap(d.exportButton)
	e.loop.until(e.t, "the export", func() bool {
		return e.ui.transfer.summary != nil || d.message.Importance == widget.DangerImportance && d.run == nil
	})
	if e.ui.transfer.summary == nil {
		e.t.Fatalf("the export failed: %s", d.message.Text)
	}
	return e.ui.transfer.summary.Text
}

// importFile runs File > Import... on path; the file dialog is skipped.
func (e *env) importFile(path string) {
	e.t.Helper()
	e.ui.transfer.pickImport = func(done func(string)) { done(path) }
	e.ui.transfer.summary, e.ui.transfer.passphrase, e.ui.transfer.conflicts = nil, nil, nil
	e.ui.ImportFile()
	e.loop.until(e.t, "the file to be read", func() bool {
		return e.ui.transfer.passphrase != nil || e.ui.transfer.conflicts != nil || e.ui.transfer.summary != nil
	})
}

func (e *env) typePassphrase(p string) {
	e.t.Helper()
	d := e.ui.transfer.passphrase
	test.Type(d.form.Input(exportPassphrase).Focusable(), p)
	test.Tap(d.openButton)
	e.loop.until(e.t, "the decryption", func() bool { return d.run == nil })
}

func (e *env) secretsOf(name string) connectors.Values {
	e.t.Helper()
	c, err := e.store.Get(name)
	if err != nil {
		e.t.Fatal(err)
	}
	s, err := e.store.Secrets(c)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func TestExportWithSecretsThenImportOnAFreshComputer(t *testing.T) {
	conn := &script{}
	old := newEnv(t, testRegistry(conn), conn)
	old.saveShop("Shop EU", "https://eu.shop.example", "EU-SECRET-KEY-1")
	old.saveShop("Shop CZ", "https://cz.shop.example", "CZ-SECRET-KEY-2")
	path := filepath.Join(t.TempDir(), "move.age")
	said := old.export(path, exportPass)
	if !strings.HasPrefix(said, "Exported 2 connections and 0 agents to "+path+".") || !strings.Contains(said, "encrypted with your passphrase") {
		t.Errorf("the export says %q", said)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "-----BEGIN AGE ENCRYPTED FILE-----") || strings.Contains(string(data), "SECRET-KEY") || strings.Contains(string(data), "eu.shop") {
		t.Fatalf("the file is not encrypted:\n%.200s", data)
	}

	// A fresh home and keychain: another computer.
	fresh := newEnv(t, testRegistry(conn), conn)
	fresh.importFile(path)
	if fresh.ui.transfer.passphrase == nil || !dialogShown(fresh.ui.Window.Canvas()) {
		t.Fatal("an encrypted file asks for its passphrase")
	}
	fresh.typePassphrase(exportPass)
	fresh.loop.until(t, "the import", func() bool { return fresh.ui.transfer.summary != nil })
	said = fresh.ui.transfer.summary.Text
	if !strings.HasPrefix(said, "Imported 2 of 2 from "+path+".") || !strings.Contains(said, `Connection "Shop EU" added.`) || !strings.Contains(said, "not tested yet") {
		t.Errorf("the import says %q", said)
	}
	for name, want := range map[string][2]string{"Shop EU": {"https://eu.shop.example", "EU-SECRET-KEY-1"}, "Shop CZ": {"https://cz.shop.example", "CZ-SECRET-KEY-2"}} {
		c, err := fresh.store.Get(name)
		if err != nil {
			t.Fatalf("%s was not imported: %v", name, err)
		}
		if c.Values["store_url"] != want[0] || fresh.secretsOf(name)["api_key"] != want[1] {
			t.Errorf("%s came back as %v", name, c.Values)
		}
		if c.Last == nil || !c.Last.Unverified {
			t.Errorf("%s is marked unverified until tested: %+v", name, c.Last)
		}
	}
	fresh.loop.until(t, "the table to show them", func() bool { return len(fresh.ui.Connections.Shown()) == 2 })
}

func TestImportWithAWrongPassphraseSaysSoAndChangesNothing(t *testing.T) {
	conn := &script{}
	old := newEnv(t, testRegistry(conn), conn)
	old.saveShop("Shop EU", "https://eu.shop.example", "EU-SECRET-KEY-1")
	path := filepath.Join(t.TempDir(), "move.age")
	old.export(path, exportPass)

	fresh := newEnv(t, testRegistry(conn), conn)
	fresh.importFile(path)
	d := fresh.ui.transfer.passphrase
	fresh.typePassphrase("not the passphrase")
	if !strings.Contains(d.message.Text, "does not open the file") || d.message.Importance != widget.DangerImportance || !d.message.Visible() {
		t.Errorf("a wrong passphrase: %q", d.message.Text)
	}
	if !dialogShown(fresh.ui.Window.Canvas()) || !strings.Contains(shownText(fresh.ui.Window.Canvas().Overlays().Top()), "holds secrets, encrypted with a passphrase") || d.form.Input(exportPassphrase).Value() != "" {
		t.Error("the dialog stays, emptied, to try again")
	}
	if len(fresh.saved()) != 0 || fresh.ui.transfer.summary != nil {
		t.Fatal("a wrong passphrase imports nothing")
	}
	fresh.typePassphrase(exportPass) // trying again works
	fresh.loop.until(t, "the import", func() bool { return fresh.ui.transfer.summary != nil })
	if len(fresh.saved()) != 1 || fresh.secretsOf("Shop EU")["api_key"] != "EU-SECRET-KEY-1" {
		t.Errorf("after the right passphrase: %v", fresh.saved())
	}
}

func TestExportRefusesShortOrDifferentPassphrasesAndAsksBeforeReplacing(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	e.saveShop("Shop EU", "https://eu.shop.example", "EU-SECRET-KEY-1")
	e.ui.ExportFile()
	d := e.ui.transfer.export
	path := filepath.Join(t.TempDir(), "move.age")
	selectLabel(d.form.Input(exportContents).Widget, "Settings and secrets (encrypted)")
	d.form.Input(exportFile).SetValue(path)
	test.Type(d.form.Input(exportPassphrase).Focusable(), "short")
	test.Type(d.form.Input(exportPassphraseTwin).Focusable(), "short")
	test.Tap(d.exportButton)
	if msg := d.form.Row(exportPassphrase).Message.Text; !strings.Contains(msg, "at least 8 characters") {
		t.Errorf("a short passphrase: %q", msg)
	}
	d.form.Input(exportPassphrase).SetValue(exportPass)
	d.form.Input(exportPassphraseTwin).SetValue(exportPass + "x")
	test.Tap(d.exportButton)
	if msg := d.form.Row(exportPassphraseTwin).Message.Text; !strings.Contains(msg, "not match the passphrase above") {
		t.Errorf("two passphrases: %q", msg)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) || d.run != nil {
		t.Fatal("nothing is written before the form is right")
	}

	if err := os.WriteFile(path, []byte("an older export"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.form.Input(exportPassphraseTwin).SetValue(exportPass)
	test.Tap(d.exportButton)
	if d.replace == nil || !strings.Contains(shownText(e.ui.Window.Canvas().Overlays().Top()), "already exists. Replace it?") {
		t.Fatal("an existing file is asked about")
	}
	test.Tap(d.replace.safe) // Keep it
	if b, _ := os.ReadFile(path); string(b) != "an older export" || d.run != nil {
		t.Fatal("Keep it keeps the file")
	}
	e.ui.transfer.workFactor = 10
	test.Tap(d.exportButton)
	test.Tap(d.replace.do) // Replace it
	e.loop.until(t, "the export", func() bool { return e.ui.transfer.summary != nil })
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "-----BEGIN AGE ENCRYPTED FILE-----") {
		t.Errorf("Replace it replaces the file: %.60s", b)
	}
}

func TestImportOfTakenNamesAsksAndEachChoiceDoesWhatItSays(t *testing.T) {
	conn := &script{}
	old := newEnv(t, testRegistry(conn), conn)
	old.saveShop("Shop", "https://new.shop.example", "NEW-SECRET-KEY")
	old.saveShop("Outlet", "https://outlet.example", "OUTLET-KEY-123")
	path := filepath.Join(t.TempDir(), "move.age")
	old.export(path, exportPass)

	for _, tc := range []struct {
		button  string
		shown   []string
		url     string // of the saved "Shop" afterwards
		key     string
		renamed bool
	}{
		{"Cancel", nil, "https://old.shop.example", "OLD-SECRET-KEY", false},
		{"Skip them", []string{"Outlet", "Shop"}, "https://old.shop.example", "OLD-SECRET-KEY", false},
		{"Import under new names", []string{"Outlet", "Shop", "Shop (imported)"}, "https://old.shop.example", "OLD-SECRET-KEY", true},
		{"Replace the saved ones", []string{"Outlet", "Shop"}, "https://new.shop.example", "NEW-SECRET-KEY", false},
	} {
		t.Run(tc.button, func(t *testing.T) {
			e := newEnv(t, testRegistry(conn), conn)
			e.saveShop("Shop", "https://old.shop.example", "OLD-SECRET-KEY")
			e.importFile(path)
			e.typePassphrase(exportPass)
			d := e.ui.transfer.conflicts
			if d == nil {
				t.Fatal("a name already saved is asked about")
			}
			if text := shownText(e.ui.Window.Canvas().Overlays().Top()); !strings.Contains(text, `Connection "Shop"`) || strings.Contains(text, "Outlet") {
				t.Errorf("the question lists the taken names only:\n%s", text)
			}
			if f, ok := e.ui.Window.Canvas().Focused().(*dialogButton); !ok || f.Text != "Cancel" {
				t.Error("Cancel, the safe answer, has the focus")
			}
			buttons := map[string]*widget.Button{"Cancel": d.cancelButton, "Skip them": d.skipButton,
				"Import under new names": d.renameButton, "Replace the saved ones": d.replaceButton}
			test.Tap(buttons[tc.button])
			if tc.shown == nil {
				if len(e.saved()) != 1 || dialogShown(e.ui.Window.Canvas()) {
					t.Fatal("Cancel imports nothing")
				}
			} else {
				e.loop.until(t, "the import", func() bool { return e.ui.transfer.summary != nil })
				e.loop.until(t, "the table", func() bool { return len(e.ui.Connections.Shown()) == len(tc.shown) })
				var names []string
				for _, c := range e.saved() {
					names = append(names, c.Name)
				}
				if strings.Join(names, ",") != strings.Join(tc.shown, ",") {
					t.Errorf("saved %v, want %v", names, tc.shown)
				}
			}
			c, err := e.store.Get("Shop")
			if err != nil {
				t.Fatal(err)
			}
			if c.Values["store_url"] != tc.url || e.secretsOf("Shop")["api_key"] != tc.key {
				t.Errorf("the saved Shop is %s with %q", c.Values["store_url"], e.secretsOf("Shop")["api_key"])
			}
			if tc.renamed {
				if got := e.secretsOf("Shop (imported)")["api_key"]; got != "NEW-SECRET-KEY" {
					t.Errorf("the file's Shop under its new name holds %q", got)
				}
				if !strings.Contains(e.ui.transfer.summary.Text, `Connection "Shop" imported as "Shop (imported)".`) {
					t.Errorf("the summary: %s", e.ui.transfer.summary.Text)
				}
			}
		})
	}
}

func TestDiagnosticsWordsAndTheLogFolderButton(t *testing.T) {
	conn := &script{}
	e := newEnvWith(t, testRegistry(conn), conn, envExtras{keychain: true})
	e.saveShop("Shop", "https://shop.example", "SECRET-KEY-123")
	var opened []*url.URL
	e.ui.openURL = func(u *url.URL) error {
		opened = append(opened, u)
		return nil
	}
	e.secrets.Fail = func(op, _ string) error {
		if op == "set" {
			return errors.New("the keyring is locked")
		}
		return nil
	}
	e.ui.ShowDiagnostics()
	d := e.ui.Diagnostics
	e.loop.until(t, "the checks", func() bool { return len(d.Rows) > 0 })
	if got := richString(d.Rows[1].message); got != e.store.Path()+" holds 1 connection and 0 agents." {
		t.Errorf("settings: %q", got)
	}
	key := d.Rows[0]
	if got := richString(key.hint); got != "What to do: Unlock the keychain (log in to the desktop session) and run storelink doctor again." {
		t.Errorf("the keychain's hint: %q", got)
	}
	code := false
	for _, s := range key.hint.Segments {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Text == "storelink doctor" {
			code = ts.Style == widget.RichTextStyleCodeInline
		}
	}
	if !code {
		t.Error("the command is set in a fixed-width font")
	}
	for _, r := range d.Rows {
		if strings.Contains(richString(r.message)+richString(r.hint), "`") {
			t.Errorf("%s shows backticks: %s %s", r.Check, richString(r.message), richString(r.hint))
		}
	}

	test.Tap(d.logsButton)
	want := "file://" + filepath.ToSlash(filepath.Dir(e.eng.Paths().Logs))
	if len(opened) != 1 || opened[0].String() != want {
		t.Errorf("Open the log folder opened %v, want %s", opened, want)
	}
}

func TestAboutKeepsTheServiceIDWholeAndSaysHowToMoveTheFiles(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	e.ui.ShowAbout()
	top := e.ui.Window.Canvas().Overlays().Top()
	text := shownText(top)
	if !strings.Contains(text, "To keep Storelink's files elsewhere, start it with the STORELINK_HOME environment variable set to a folder.") || strings.Contains(text, "(set STORELINK_HOME") {
		t.Errorf("About:\n%s", text)
	}
	var keychain *widget.Label
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			if w.Text == e.eng.Paths().Keychain {
				keychain = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	if keychain == nil || keychain.Wrapping != fyne.TextWrapWord {
		t.Errorf("the keychain line breaks between words only, never inside the service ID: %+v", keychain)
	}
}
