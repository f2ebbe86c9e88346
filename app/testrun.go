package app

// testrun.go: the connections screen's tests under way (a row's Test, Test
// all): each row says "Testing…" once its own test starts and its outcome
// once it ends; the bar under the table counts them ("12 of 40 tested"),
// Cancel stops the rest, and the summary says how the run went.

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// testRun is the tests under way (Test all, a row's Test), counted together.
type testRun struct {
	jobs        []*verification
	total, done int
	tally       engine.Tally // passed, with warnings, failed, cancelled
	active      int          // engine runs not finished
	cancelling  bool
}

// buildBar builds the bar under the table: the progress, then the summary.
func (s *ConnectionsScreen) buildBar() {
	s.progressText = widget.NewLabel("")
	s.progressBar = widget.NewProgressBar()
	s.cancelButton = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.cancelTests)
	s.progressRow = container.NewBorder(nil, nil, s.progressText, s.cancelButton, s.progressBar)
	s.summaryIcon = widget.NewIcon(nil)
	s.summary = widget.NewLabel("")
	s.failuresButton = widget.NewButton("Show failures", s.ToggleFailures)
	s.closeSummaryButton = widget.NewButtonWithIcon("Close", theme.WindowCloseIcon(), s.closeSummary)
	s.summaryRow = container.NewBorder(nil, nil, container.NewHBox(s.summaryIcon, s.summary), container.NewHBox(s.failuresButton, s.closeSummaryButton))
	s.bar = container.NewVBox(widget.NewSeparator(), s.progressRow, s.summaryRow)
	s.bar.Hide()

}

// Test tests one saved connection with its secrets from the keychain; the
// engine records the outcome.
func (s *ConnectionsScreen) Test(name string) {
	s.TestMany([]string{name})
}

// TestAll tests every saved connection, a few at a time.
func (s *ConnectionsScreen) TestAll() {
	names := make([]string, len(s.rows))
	for i, r := range s.rows {
		names[i] = r.c.Name
	}
	s.TestMany(names)
}

// TestMany tests the named connections in the background, those not being
// tested already. Each row says "Testing…" once its own test starts and its
// outcome once it ends; the bar under the table counts them ("12 of 40
// tested") and Cancel stops the rest.
func (s *ConnectionsScreen) TestMany(names []string) {
	var todo []string
	for _, n := range names {
		if n != "" && !s.queued[n] {
			s.queued[n] = true
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return
	}
	run := s.run
	if run == nil {
		run = &testRun{}
		s.run = run
		if s.failuresOnly {
			s.setFailuresOnly(false)
			s.refilter(false)
		}
	}
	run.total += len(todo)
	run.active++
	s.showProgress(run)
	s.updateState()
	eng, u := s.eng, s.ui
	v := start(u, job[[]engine.Tested]{
		work: func(ctx context.Context, _ func(string)) []engine.Tested {
			return eng.TestMany(ctx, todo, engine.TestOptions{}, func(ev engine.Event) {
				name := todo[ev.Index]
				if ev.Started {
					u.post(func() { s.started(name) })
					return
				}
				// What the engine recorded, read here rather than on the UI goroutine.
				c, err := eng.Get(name)
				u.post(func() { s.ended(run, endedTest{name: name, result: ev.Tested.Result, saved: c, recorded: err == nil}) })
			})
		},
		finish: func([]engine.Tested, bool) { s.runEnded(run) },
	})
	run.jobs = append(run.jobs, v)
}

func (s *ConnectionsScreen) started(name string) {
	s.testing[name] = true
	s.refreshName(name)
}

// endedTest is one test of a run that ended: its result and, when the
// engine recorded it, the connection as saved now.
type endedTest struct {
	name     string
	result   connectors.Result
	saved    vault.Connection
	recorded bool
}

// ended shows one outcome: the row's new status and the count.
func (s *ConnectionsScreen) ended(run *testRun, t endedTest) {
	name, res := t.name, t.result
	delete(s.testing, name)
	delete(s.queued, name)
	run.done++
	run.tally.Add(res)
	if r := s.byName[name]; r != nil && t.recorded {
		r.c = t.saved
	}
	s.refreshName(name)
	s.statusesChanged()
	s.showProgress(run)
	if name == s.selected {
		s.updateActions()
	}
}

func (s *ConnectionsScreen) runEnded(run *testRun) {
	if run.active--; run.active > 0 {
		return
	}
	s.run = nil
	clear(s.queued)
	clear(s.testing)
	if run.total == 1 && run.tally.Canceled == 0 {
		s.bar.Hide() // the row says how its test went
	} else {
		s.showSummary(run)
	}
	s.updateState()
}

func (s *ConnectionsScreen) showProgress(run *testRun) {
	text := fmt.Sprintf("%d of %d tested", run.done, run.total)
	if run.cancelling {
		text = "Cancelling… " + text
	}
	s.progressText.SetText(text)
	s.progressBar.Max = float64(run.total)
	s.progressBar.SetValue(float64(run.done))
	enable(s.cancelButton, !run.cancelling)
	s.summaryRow.Hide()
	s.progressRow.Show()
	s.bar.Show()
}

// cancelTests stops the tests not finished; those already done stay recorded.
func (s *ConnectionsScreen) cancelTests() {
	run := s.run
	if run == nil || run.cancelling {
		return
	}
	run.cancelling = true
	for _, v := range run.jobs {
		v.abandon()
	}
	s.showProgress(run)
}

// showSummary says how the run went, and offers to show only the failures.
func (s *ConnectionsScreen) showSummary(run *testRun) {
	t := run.tally
	canceled := t.Canceled
	t.Canceled = 0    // said as "not tested" below
	text := t.Words() // "5 passed, 2 with warnings, 2 failed"
	icon := s.icons[statusVerified]
	switch {
	case canceled > 0:
		text = fmt.Sprintf("Cancelled: %s, %d not tested", text, canceled)
		icon = s.icons[statusUnverified]
	case t.Failed > 0:
		icon = s.icons[statusFailed]
	case t.Warned > 0:
		icon = s.icons[statusWarned]
	}
	s.summary.SetText(text)
	s.summaryIcon.SetResource(icon)
	s.setFailuresOnly(false)
	if run.tally.Failed > 0 {
		s.failuresButton.Show()
	} else {
		s.failuresButton.Hide()
	}
	s.progressRow.Hide()
	s.summaryRow.Show()
	s.bar.Show()
}

func (s *ConnectionsScreen) closeSummary() {
	s.bar.Hide()
	if s.failuresOnly {
		s.ToggleFailures()
	}
}
