package app

// diagnostics_test.go: Help > Diagnostics runs the six checks of
// `storelink doctor` in the background and lists each, OK or a problem with
// what to do; Esc closes it.

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

func TestDiagnosticsListsTheSixChecks(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	c := e.ui.Window.Canvas()
	e.ui.ShowDiagnostics()
	d := e.ui.Diagnostics
	if d == nil || !dialogShown(c) || !strings.HasPrefix(d.summary.Text, "Checking") || !d.activity.Visible() || !d.againButton.Disabled() {
		t.Fatal("the checks start in the background, with a progress indicator")
	}
	e.loop.until(t, "the checks", func() bool { return len(d.Rows) > 0 })
	var checks []string
	for _, r := range d.Rows {
		checks = append(checks, r.Check)
	}
	if got := strings.Join(checks, " "); got != "keychain settings journal logs permissions certificates" {
		t.Fatalf("checks %q", got)
	}
	shown := shownText(c.Overlays().Top())
	// This environment gives Doctor no keychain: a problem, with what to do.
	key := d.Rows[0]
	if key.OK || key.title.Text != "Keychain: Problem" || key.hint == nil || !strings.HasPrefix(richString(key.hint), "What to do: ") {
		t.Errorf("keychain row: %q %v", key.title.Text, key.hint)
	}
	if set := d.Rows[1]; !set.OK || set.title.Text != "Settings file: OK" || !strings.Contains(richString(set.message), e.store.Path()) {
		t.Errorf("settings row: %q %q", set.title.Text, richString(set.message))
	}
	for _, want := range []string{"Keychain journal: ", "Log folder: ", "File permissions: ", "Certificate store: ", "of 6 checks found a problem"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog lacks %q: %s", want, shown)
		}
	}
	if d.activity.Visible() || d.againButton.Disabled() {
		t.Error("the progress indicator goes when the checks are done")
	}

	d.Run() // Run again
	e.loop.until(t, "the checks again", func() bool { return d.run == nil })
	if len(d.Rows) != 6 {
		t.Errorf("%d rows after Run again", len(d.Rows))
	}
	pressKey(c, fyne.KeyEscape)
	if dialogShown(c) {
		t.Error("Esc closes Diagnostics")
	}
}
