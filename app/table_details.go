package app

// table_details.go: the details of a connection's last test, opened from a
// failed status, the Details button or a row's menu: what happened, what to
// do, the code, when (the exact local time), and the warnings and checks
// when the test ran in this session.

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// DetailsDialog shows what a connection's last test found.
type DetailsDialog struct {
	dialog   *dialog.CustomDialog
	headline *widget.Label
	// Facts by their label: What happened, What to do, Code, When, Application.
	facts map[string]*widget.Label
	// Warnings and Checks of the last result; nil when it has none or the
	// test ran before Storelink started (only its verdict is kept).
	warnings, checks                    *widget.Label
	closeButton, testButton, editButton *widget.Button
}

// ShowDetails opens the details of the last test of the connection name;
// nothing when it was never tested.
func (s *ConnectionsScreen) ShowDetails(name string) {
	r := s.byName[name]
	if r == nil || r.c.Last == nil {
		return
	}
	v := r.c.Last
	text, kind := s.verdict(r)
	if v.Unverified {
		text = "Unverified: saved without a passing test"
	}
	d := &DetailsDialog{facts: map[string]*widget.Label{}}
	d.headline = widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{container.NewHBox(widget.NewIcon(s.icons[kind]), d.headline)}

	res, whole := s.lastResult(r)
	if whole && len(res.Warnings) > 0 { // warnings first: a pass with one is not all good
		lines := make([]string, len(res.Warnings))
		for i, w := range res.Warnings {
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
	fact("What happened", v.Message)
	fact("What to do", v.Hint)
	if !v.OK && !v.Unverified {
		fact("Code", string(v.Code)+": "+codeMeaning(v.Code))
	}
	fact("When", exactTime(v.At)+" ("+ago(v.At, time.Now())+")")
	fact("Application", r.title+", "+r.mode)
	objs = append(objs, container.New(layout.NewFormLayout(), facts...))

	if whole && len(res.Checks) > 0 {
		lines := make([]string, len(res.Checks))
		for i, c := range res.Checks {
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

	dlg := dialog.NewCustomWithoutButtons("Last test of "+name, container.NewVScroll(container.NewVBox(objs...)), s.ui.window())
	closeIt := func() { dlg.Hide() } // also Esc
	closeButton := newDialogButton("Close", closeIt, closeIt)
	test := newDialogButton("Test again", func() {
		dlg.Hide()
		s.Test(name)
	}, closeIt)
	edit := newDialogButton("Edit", func() {
		dlg.Hide()
		s.ui.EditConnection(name)
	}, closeIt)
	edit.Importance = widget.HighImportance
	if s.queued[name] {
		test.Disable()
	}
	d.dialog, d.closeButton, d.testButton, d.editButton = dlg, &closeButton.Button, &test.Button, &edit.Button
	dlg.SetButtons([]fyne.CanvasObject{closeButton, test, edit})
	dlg.Resize(fyne.NewSize(600, 440))
	s.Details = d
	showDialog(s.ui.window(), dlg, closeIt)
	s.ui.window().Canvas().Focus(closeButton)
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
