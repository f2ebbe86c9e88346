package app

// concurrency_check.go: Check concurrency, under a saved connection's
// Concurrency level field: as many tests at once as the level says, and
// whether the store keeps up.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
)

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
// the typical and slowest-1-in-20 times, throttled answers, and the warning
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
	s := fmt.Sprintf("Level %d: %d of %d tests at once passed (typical answer %d ms, slowest 1 in 20 took %d ms or more", o.Level, o.Succeeded, o.Level, o.P50MS, o.P95MS)
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
