package app

// details.go: the details of a saved resource's last test, of any kind:
// what happened, what to do, the code, when (the exact local time), facts
// of the kind's own, and the warnings and checks when the test ran in this
// session; Test again and Edit from there.

import (
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// DetailsDialog shows what a resource's last test found.
type DetailsDialog struct {
	dialog   *dialog.CustomDialog
	headline *widget.Label
	// Facts by their label: What happened, What to do, Code, When, and the kind's own.
	facts map[string]*widget.Label
	// Warnings and Checks of the last result; nil when it has none or the
	// test ran before Storelink started (only its verdict is kept).
	warnings, checks                    *widget.Label
	closeButton, testButton, editButton *widget.Button
	// adminButton opens the store's back office (nil when its address is not
	// known); reportButton copies report, a redacted text for support.
	adminButton, reportButton *widget.Button
	report                    string
	// tryButton opens Try a request (nil: the platform has no API to try).
	tryButton *widget.Button
	// History is the strip, the last tests and the uptime (nil: the kind
	// keeps no history); filled when read in the background.
	History *HistoryView
}

// lastTest is what the details show of one resource's last test.
type lastTest struct {
	name     string
	v        *vault.Verification
	headline string
	icon     fyne.Resource
	// res is the whole result when whole (the test ran in this session).
	res   connectors.Result
	whole bool
	// own are the kind's facts after When: {"Application", "PrestaShop, Cloud"}.
	own          [][2]string
	test, edit   func()
	cannotRetest bool // a test of it is under way
	// admin is the store's back office ("": not known), opened with open;
	// report is the redacted text Copy a report puts on the clipboard ("":
	// no button).
	admin, report string
	open          func(address string)
	// try opens Try a request (nil: no button).
	try func()
	// history reads the resource's tests (nil: none shown), off the UI
	// goroutine; post runs the result's showing on it.
	history func() ([]vault.HistoryEntry, error)
	post    func(func())
}

// showLastTest opens the details of t over w.
func showLastTest(w fyne.Window, t lastTest) *DetailsDialog {
	v := t.v
	st := engine.Status(v)
	d := &DetailsDialog{facts: map[string]*widget.Label{}, report: t.report}
	d.headline = widget.NewLabelWithStyle(t.headline, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{container.NewHBox(widget.NewIcon(t.icon), d.headline)}

	warnings := st.Warnings // saved with the verdict: they outlive a restart
	if t.whole && len(t.res.Warnings) > 0 {
		warnings = t.res.Warnings
	}
	if len(warnings) > 0 { // warnings first: a pass with one is not all good
		lines := make([]string, len(warnings))
		for i, w := range warnings {
			lines[i] = "⚠ " + w.Message
		}
		d.warnings = detailText(strings.Join(lines, "\n"))
		d.warnings.Importance = widget.WarningImportance
		objs = append(objs, sectionTitle("Warnings"), d.warnings)
	}

	var facts []fyne.CanvasObject
	fact := func(label, value string) {
		if value == "" {
			return
		}
		l := detailText(value)
		d.facts[label] = l
		facts = append(facts, widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), l)
	}
	if st.State == engine.StateUnverified {
		fact("Why unverified", capitalize(st.Reason))
	}
	fact("What happened", v.Message)
	fact("What to do", v.Hint)
	if !v.OK && v.Code != "" { // a failure, or the failed test it was saved despite
		fact("Code", string(v.Code)+": "+codeMeaning(v.Code))
	}
	fact("When", exactTime(v.At)+" ("+ago(v.At, time.Now())+")")
	for _, f := range t.own {
		fact(f[0], f[1])
	}
	objs = append(objs, container.New(layout.NewFormLayout(), facts...))

	if t.whole && len(t.res.Checks) > 0 {
		lines := make([]string, len(t.res.Checks))
		for i, c := range t.res.Checks {
			mark := "✓ "
			if !c.OK {
				mark = "✗ "
			}
			lines[i] = mark + c.Name
			if c.Detail != "" {
				lines[i] += ": " + c.Detail
			}
		}
		d.checks = detailText(strings.Join(lines, "\n"))
		objs = append(objs, sectionTitle("Checks"), d.checks)
	}

	if t.history != nil {
		d.History = newHistoryView()
		objs = append(objs, d.History.box)
		go func() {
			es, err := t.history()
			t.post(func() { d.History.show(es, err, time.Now()) })
		}()
	}

	dlg := dialog.NewCustomWithoutButtons("Last test of "+t.name, container.NewVScroll(container.NewVBox(objs...)), w)
	closeIt := func() { dlg.Hide() } // also Esc
	closeButton := newDialogButton("Close", closeIt, closeIt)
	test := newDialogButton("Test again", func() {
		dlg.Hide()
		t.test()
	}, closeIt)
	edit := newDialogButton("Edit", func() {
		dlg.Hide()
		t.edit()
	}, closeIt)
	edit.Importance = widget.HighImportance
	if t.cannotRetest {
		test.Disable()
	}
	d.dialog, d.closeButton, d.testButton, d.editButton = dlg, &closeButton.Button, &test.Button, &edit.Button
	buttons := []fyne.CanvasObject{closeButton}
	if t.admin != "" {
		admin := newDialogButton("Open the store's admin", func() { t.open(t.admin) }, closeIt)
		d.adminButton = &admin.Button
		buttons = append(buttons, admin)
	}
	if t.report != "" {
		report := newDialogButton("Copy a report", func() {
			fyne.CurrentApp().Clipboard().SetContent(t.report)
			d.reportButton.SetText("Report copied")
		}, closeIt)
		d.reportButton = &report.Button
		buttons = append(buttons, report)
	}
	if t.try != nil {
		try := newDialogButton("Try a request", func() {
			dlg.Hide()
			t.try()
		}, closeIt)
		d.tryButton = &try.Button
		buttons = append(buttons, try)
	}
	dlg.SetButtons(append(buttons, test, edit))
	dlg.Resize(fyne.NewSize(600, 440))
	showDialog(w, dlg, closeIt)
	w.Canvas().Focus(closeButton)
	return d
}

// recordedResult is the whole result of c's recorded test when it ran in
// this session (last: the engine's LastResult); a save from a pane records
// a verdict the engine may not keep.
func recordedResult(c vault.Connection, last func(vault.Connection) (connectors.Result, bool)) (connectors.Result, bool) {
	v := c.Last
	if v == nil || v.Unverified {
		return connectors.Result{}, false
	}
	res, ok := last(c)
	if !ok || res.OK != v.OK || res.Code != v.Code {
		return connectors.Result{}, false
	}
	return res, true
}

// openAddress opens address in the browser.
func openAddress(address string) {
	u, err := url.Parse(address)
	if err == nil {
		err = fyne.CurrentApp().OpenURL(u)
	}
	if err != nil {
		fyne.LogError("cannot open the store's admin", err)
	}
}

func detailText(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func sectionTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// codeMeaning is the documented meaning of a failure code.
func codeMeaning(c connectors.Code) string {
	for _, ci := range connectors.AllCodes {
		if ci.Code == c {
			return ci.Meaning
		}
	}
	return "an unknown code"
}
