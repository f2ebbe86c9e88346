package app

// connection_pane.go: the connection's descriptor for the pane: its
// Application row, Check concurrency under the Concurrency level field, and
// the engine's Check, Test and Save of a connection; Edit and Clone of a
// saved one.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
)

// connectionKind is the pane's descriptor of a connection.
var connectionKind = &descriptor{
	noun: "connection", create: "Create connection", size: fyne.NewSize(720, 580),
	newTitle: func(info connectors.Info) string { return "Create connection - " + info.Title },
	decorate: func(p *Pane) fyne.CanvasObject {
		p.addApplication()
		p.buildConcurrencyCheck()
		return nil
	},
	work: func(ctx context.Context, eng *engine.Engine, r request) outcome {
		if r.save {
			return connectionOutcome(eng.Save(ctx, r.draft, r.opts))
		}
		c, err := eng.Check(r.draft, r.opts.Editing)
		if err != nil {
			return outcome{err: err}
		}
		res := eng.Test(ctx, c, r.opts.Test)
		return outcome{checked: c, result: &res}
	},
	unsaved: func(info connectors.Info, typed string) string {
		if typed == "" {
			return "a new " + info.Title + " connection"
		}
		return fmt.Sprintf("%q", typed)
	},
}

// EditConnection opens the pane for a saved connection; its secrets come
// back empty and must be entered again to save.
func (u *UI) EditConnection(name string) { u.openSaved(name, paneEdit) }

// CloneConnection opens a new pane filled from a saved connection, secrets aside.
func (u *UI) CloneConnection(name string) { u.openSaved(name, paneClone) }

func (u *UI) openSaved(name string, kind paneKind) {
	c, err := u.eng.Get(name)
	if err != nil {
		u.showError("Open "+name, err)
		return
	}
	info, err := u.eng.Lookup(c.App)
	if err != nil {
		u.showError("Open "+name, err)
		return
	}
	if p := u.findPane(connectionKind, c.Name); kind == paneEdit && p != nil {
		p.Window.RequestFocus()
		return
	}
	values := c.Values
	if kind == paneClone {
		d, err := u.eng.Clone(name)
		if err != nil {
			u.showError("Clone "+name, err)
			return
		}
		values = d.Values
	}
	u.openPane(connectionKind, opening{info: info, kind: kind, saved: c.Name, values: values})
}

// addApplication shows the platform under the name: it cannot be changed.
func (p *Pane) addApplication() {
	appHint := widget.NewLabel("The platform of the store. It cannot be changed here; create another connection for another platform.")
	appHint.Wrapping = fyne.TextWrapWord
	appHint.SizeName = theme.SizeNameCaptionText
	appName := widget.NewLabel(p.Info.Title)
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSize(24, 24), widget.NewIcon(assets.Icon(p.Info.Icon))))
	application := container.NewVBox(
		widget.NewLabelWithStyle("Application", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(icon, appName), appHint)
	p.Form.InsertAfter(connectors.FieldName, application)
}

// buildConcurrencyCheck puts "Check concurrency" under the Concurrency
// level field; it shows once the connection is saved (the probe tests the
// saved connection).
func (p *Pane) buildConcurrencyCheck() {
	row := p.Form.Row(connectors.FieldConcurrency)
	if row == nil {
		return
	}
	b := p.actionButton("Check concurrency", p.CheckConcurrency) // scrolls into view when Tab reaches it
	b.Icon = theme.MediaFastForwardIcon()
	p.checkConcurrencyButton = &b.Button
	p.concurrency = wrapped("", widget.MediumImportance)
	p.concurrency.Hide()
	what := wrapped("Tests the saved connection once, then this many times at once, and says whether the store keeps up.", widget.MediumImportance)
	what.SizeName = theme.SizeNameCaptionText
	check := container.NewVBox(container.NewBorder(nil, nil, b, nil, what), p.concurrency)
	check.Hide()
	p.concurrencyCheck = check
	row.Box.Add(check)
}

// CheckConcurrency sends as many tests at once as the Concurrency level
// field says (the saved level when it holds no number) to the saved
// connection's store, and says how many passed, how fast, and whether the
// store pushed back.
func (p *Pane) CheckConcurrency() {
	if p.busy() || p.closed || p.Editing == "" {
		return
	}
	level, err := strconv.Atoi(strings.TrimSpace(p.Form.Input(connectors.FieldConcurrency).Value()))
	if err != nil {
		level = 0
	}
	name, eng := p.Editing, p.ui.eng
	p.concurrency.Hide()
	what := "the saved level"
	if level > 0 {
		what = fmt.Sprintf("level %d", level)
	}
	p.setBusy(fmt.Sprintf("Checking concurrency at %s: one test first, then that many at once...", what), true)
	type probed struct {
		out engine.ProbeOutcome
		err error
	}
	p.run = start(p.ui, job[probed]{
		work: func(ctx context.Context, _ func(string)) probed {
			out, err := eng.Probe(ctx, name, level)
			return probed{out, err}
		},
		tick: p.showElapsed,
		finish: func(r probed, abandoned bool) {
			if abandoned {
				return // Cancel test already said so
			}
			p.setIdle()
			text, imp := probeWords(r.out, r.err)
			if r.err != nil {
				text = p.ui.eng.Redact(text)
			}
			p.concurrency.Importance = imp
			p.concurrency.SetText(text)
			p.concurrency.Show()
			p.reveal(p.concurrency)
		},
	})
}

// probeWords puts a concurrency probe into words: how many passed at once,
// the median and 95th-percentile times, throttled answers, and the warning
// when the store cannot sustain the level.
func probeWords(o engine.ProbeOutcome, err error) (string, widget.Importance) {
	switch {
	case err != nil:
		return "Could not check: " + err.Error(), widget.DangerImportance
	case o.Code == connectors.CodeCanceled:
		return "The check was cancelled.", widget.WarningImportance
	case !o.OK && o.Code != connectors.CodeRateLimited:
		return o.Message, widget.DangerImportance // the first test failed: nothing was sent at once
	case !o.OK && o.Sent == 0 && o.Succeeded == 0 && o.Throttled == 0:
		return o.Message, widget.DangerImportance // nothing reached the store: the engine's words say why
	}
	s := fmt.Sprintf("Level %d: %d of %d tests at once passed (median %d ms, 95th percentile %d ms", o.Level, o.Succeeded, o.Level, o.P50MS, o.P95MS)
	switch {
	case o.Throttled == 0 && o.OK:
		s += "); the store never answered 429 or 503 (too busy)."
	case o.Throttled == 0:
		s += "); none of the failures was a 429 or 503 answer (too busy): Test connection shows what went wrong."
	case o.Throttled == 1:
		s += "); 1 answer said 429 or 503 (too busy)."
	default:
		s += fmt.Sprintf("); %d answers said 429 or 503 (too busy).", o.Throttled)
	}
	if o.OK {
		return s + fmt.Sprintf(" The store sustains level %d.", o.Level), widget.SuccessImportance
	}
	return s + fmt.Sprintf(" The store cannot sustain level %d: choose a lower concurrency level.", o.Level), widget.WarningImportance
}
