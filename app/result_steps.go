package app

// result_steps.go: what a result tells the owner to do: numbered steps,
// each text meant to be pasted (a .htaccess line, a command) shown as it is
// with a Copy button, and the one-click fixes the answer allows (a field set
// to the value that would work).

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// stepsView lists steps as "1.", "2.", …; a step with text to paste shows
// that text in monospace beside its Copy button, kept in rp.copyButtons.
func (rp *ResultPanel) stepsView(steps []connectors.Step) *fyne.Container {
	box := container.NewVBox(widget.NewLabelWithStyle("What to do", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, s := range steps {
		number := widget.NewLabel(fmt.Sprintf("%d.", i+1))
		var content fyne.CanvasObject = wrapped(s.Text, widget.MediumImportance)
		if s.Copy != "" {
			paste := widget.NewLabelWithStyle(s.Copy, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			paste.Wrapping = fyne.TextWrapBreak
			paste.Selectable = true
			b := rp.pane.actionButton("Copy", nil)
			b.Icon = theme.ContentCopyIcon()
			text := s.Copy
			b.OnTapped = func() { rp.copyStep(&b.Button, text) }
			rp.copyButtons = append(rp.copyButtons, &b.Button)
			content = container.NewVBox(content, container.NewBorder(nil, nil, nil, b, paste))
		}
		box.Add(container.NewBorder(nil, nil, container.NewVBox(number), nil, content))
	}
	return box
}

// copyStep puts a step's text on the clipboard (never a secret: connectors
// write these lines) and says so on the button.
func (rp *ResultPanel) copyStep(b *widget.Button, text string) {
	rp.pane.ui.App.Clipboard().SetContent(text)
	for _, o := range rp.copyButtons {
		o.SetText("Copy")
		o.SetIcon(theme.ContentCopyIcon())
	}
	b.SetText("Copied")
	b.SetIcon(theme.ConfirmIcon())
}

// fixes are the result's one-click fixes as buttons; a moved address the
// connector gave no fix for is offered as one (the Upgates API's new home).
func (rp *ResultPanel) fixes(r connectors.Result) []fyne.CanvasObject {
	p := rp.pane
	fixes := r.Fixes
	moved := r.Code == connectors.CodeMoved && r.Location != "" && r.LocationField != ""
	if moved && !hasFixFor(fixes, r.LocationField) {
		if f, ok := p.Info.Field(r.LocationField); ok {
			fixes = append([]connectors.Fix{{Label: connectors.Text("Use the new address in {field}", "field", f.Label), Field: r.LocationField, Value: r.Location}}, fixes...)
		}
	}
	var out []fyne.CanvasObject
	for _, fix := range fixes {
		f, ok := p.Info.Field(fix.Field)
		if !ok || f.IsSecret() || p.Form.Input(fix.Field) == nil {
			continue // a fix never types a secret, nor a field this form lacks
		}
		b := p.actionButton(fix.Label, nil)
		fix := fix
		b.OnTapped = func() { rp.applyFix(f, fix) }
		rp.fixButtons = append(rp.fixButtons, &b.Button)
		if moved && fix.Field == r.LocationField && rp.useLocationButton == nil {
			rp.useLocationButton = &b.Button
		}
		out = append(out, b)
	}
	return out
}

func hasFixFor(fixes []connectors.Fix, field string) bool {
	for _, f := range fixes {
		if f.Field == field {
			return true
		}
	}
	return false
}

// applyFix sets the field as if typed and says what it reads now.
func (rp *ResultPanel) applyFix(f connectors.Field, fix connectors.Fix) {
	rp.pane.Form.Fill(connectors.Values{fix.Field: fix.Value})
	rp.pane.say(connectors.Text("{field} now reads {value}. Test again to check it.", "field", f.Label, "value", valueWords(f, fix.Value)), widget.MediumImportance)
}

// valueWords is a value as the form shows it: a choice by its label, a
// switch as on or off.
func valueWords(f connectors.Field, v string) string {
	for _, c := range f.Choices {
		if c.Value == v && c.Label != "" {
			return c.Label
		}
	}
	if f.Kind == connectors.KindBool {
		if on, err := strconv.ParseBool(v); err == nil {
			if on {
				return "on"
			}
			return "off"
		}
	}
	return v
}
