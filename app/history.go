package app

// history.go: what the window shows of a connection's test history. The
// table says how long the current state has lasted ("Failed for 3 h,
// verified before"), from a cache per connection filled in the background
// when the list loads and when a test is recorded, never in UpdateCell;
// the details show a strip of marks, the last tests and the uptime.

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/engine"
	"storelink/vault"
)

// lasted is how long a connection's current state has lasted, from its
// history: since when, and the state before it ("" when none).
type lasted struct {
	since  time.Time
	before engine.State
}

// historyReader is what the window reads how long states have lasted with.
type historyReader interface {
	Get(name string) (vault.Connection, error)
	Lasted(cs []vault.Connection) map[string]engine.Lasted
}

// readLasted reads the lasted of every connection of cs (by ID), off the
// UI goroutine: the histories under one lock, connections.json not again.
func readLasted(r historyReader, cs []vault.Connection) map[string]lasted {
	got := r.Lasted(cs)
	out := make(map[string]lasted, len(got))
	for id, l := range got {
		out[id] = lasted{since: l.Since, before: l.Before}
	}
	return out
}

// loadLasted reads the histories of cs in the background and shows how
// long each state has lasted when they arrive; a newer load wins.
func (s *ConnectionsScreen) loadLasted(cs []vault.Connection) {
	s.lastedLoads++
	gen, r := s.lastedLoads, s.eng.Of(engine.KindConnection)
	go func() {
		m := readLasted(r, cs)
		s.ui.post(func() {
			if gen != s.lastedLoads {
				return
			}
			s.lasted = m
			s.statusesChanged()
			s.table.Refresh()
		})
	}()
}

// lastedText is the Status cell with how long the state has lasted:
// "Failed for 3 h, verified before"; ok is false when the history says
// nothing of it.
func (s *ConnectionsScreen) lastedText(r *row, now time.Time) (string, bool) {
	l, ok := s.lasted[r.c.ID]
	if !ok {
		return "", false
	}
	st := engine.Status(r.c.Last)
	state := stateWords(st.State)
	if state == "" {
		return "", false
	}
	text := strings.NewReplacer("{state}", state, "{duration}", duration(now.Sub(l.since))).Replace(stateForText)
	if l.before != "" && l.before != st.State {
		text = strings.NewReplacer("{state}", text, "{before}", beforeWords(l.before)).Replace(stateBeforeText)
	}
	return text, true
}

// The Status cell's sentences, with named parameters.
const (
	// stateForText: "Failed for 3 h".
	stateForText = "{state} for {duration}"
	// stateBeforeText: "Failed for 3 h, verified before".
	stateBeforeText = "{state}, {before} before"
)

func stateWords(s engine.State) string {
	switch s {
	case engine.StateVerified:
		return "Verified"
	case engine.StateWarning:
		return "Verified with warnings"
	case engine.StateFailed:
		return "Failed"
	}
	return ""
}

// beforeWords is an earlier state, as the end of "…, verified before".
func beforeWords(s engine.State) string {
	switch s {
	case engine.StateVerified:
		return "verified"
	case engine.StateWarning:
		return "verified with warnings"
	}
	return "failed"
}

// duration is a span in words: "a moment", "5 min", "3 h", "2 days".
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "a moment"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return plural(int(d.Hours()/24), "day")
}

// outcomeWords is how a test ended, in words.
func outcomeWords(outcome string) string {
	switch outcome {
	case vault.OutcomePassed:
		return "Passed"
	case vault.OutcomeWarned:
		return "Passed with warnings"
	case vault.OutcomeFailed:
		return "Failed"
	case vault.OutcomeCancelled:
		return "Cancelled"
	}
	return outcome
}

// triggerWords is what started a test, in words.
func triggerWords(trigger string) string {
	switch trigger {
	case engine.TriggerWindow:
		return "from the window"
	case engine.TriggerTestAll:
		return "Test all"
	case "cli":
		return "command line"
	case engine.TriggerSchedule:
		return "schedule"
	}
	return trigger
}

// outcomeColor is a mark's colour: passed green, warned amber, failed
// red, cancelled grey.
func outcomeColor(outcome string) color.Color {
	switch outcome {
	case vault.OutcomePassed:
		return theme.Color(theme.ColorNameSuccess)
	case vault.OutcomeWarned:
		return theme.Color(theme.ColorNameWarning)
	case vault.OutcomeFailed:
		return theme.Color(theme.ColorNameError)
	}
	return theme.Color(theme.ColorNameDisabled)
}

// The history's sentences, with named parameters.
const (
	// markText: one test, under the strip while the pointer is on its mark.
	markText = "{time}: {outcome}, code {code}"
	// testLineText: one test in the list.
	testLineText = "{time} · {outcome} · code {code} · {duration} · {trigger}"
	// uptimeText: "Last 7 days: 75% (3 of 4 tests passed)".
	uptimeText = "Last {days} days: {percent}% ({good} of {finished} tests passed)"
	// uptimeTooFewText: fewer than uptimeMinTests finished tests in the window.
	uptimeTooFewText = "Last {days} days: not enough tests yet"
	noHistoryText    = "No test of this connection is in its history yet."
	readingHistory   = "Reading the history…"
)

// Limits of what the details show.
const (
	stripMarks     = 60 // the newest tests in the strip
	listedTests    = 10 // the newest tests in the list
	uptimeMinTests = 3  // finished tests a window needs for an uptime
)

func markLine(e vault.HistoryEntry) string {
	return strings.NewReplacer("{time}", e.Time.Local().Format("2 Jan 15:04"), "{outcome}", outcomeWords(e.Outcome),
		"{code}", string(e.Code)).Replace(markText)
}

func testLine(e vault.HistoryEntry) string {
	return strings.NewReplacer("{time}", e.Time.Local().Format("2 Jan 2006 15:04"), "{outcome}", outcomeWords(e.Outcome),
		"{code}", string(e.Code), "{duration}", (time.Duration(e.DurationMS) * time.Millisecond).String(),
		"{trigger}", triggerWords(e.Trigger)).Replace(testLineText)
}

// uptime is the share of passed tests (with warnings or not) among the
// finished ones of es in the days before now, in words.
func uptime(es []vault.HistoryEntry, days int, now time.Time) string {
	from := now.Add(-time.Duration(days) * 24 * time.Hour)
	good, finished := 0, 0
	for _, e := range es {
		if e.Time.Before(from) || e.Outcome == vault.OutcomeCancelled {
			continue
		}
		finished++
		if e.Outcome == vault.OutcomePassed || e.Outcome == vault.OutcomeWarned {
			good++
		}
	}
	if finished < uptimeMinTests {
		return strings.ReplaceAll(uptimeTooFewText, "{days}", fmt.Sprint(days))
	}
	return strings.NewReplacer("{days}", fmt.Sprint(days), "{percent}", fmt.Sprintf("%.0f", 100*float64(good)/float64(finished)),
		"{good}", fmt.Sprint(good), "{finished}", fmt.Sprint(finished)).Replace(uptimeText)
}

// HistoryView is the history part of a connection's details.
type HistoryView struct {
	box *fyne.Container
	// Marks are the strip's marks, oldest first; Line is the hovered one's words.
	Marks  []*mark
	Line   *widget.Label
	Tests  *widget.Label // the last tests, newest first, one a line
	Uptime *widget.Label // the last 7 and 30 days
}

func newHistoryView() *HistoryView {
	h := &HistoryView{Line: widget.NewLabel(readingHistory), Tests: widget.NewLabel(""), Uptime: widget.NewLabel("")}
	h.box = container.NewVBox(sectionTitle("History"), h.Line)
	return h
}

// show fills the view with es (oldest first), read at now.
func (h *HistoryView) show(es []vault.HistoryEntry, err error, now time.Time) {
	if err != nil {
		h.Line.SetText("The history cannot be read: " + err.Error())
		return
	}
	if len(es) == 0 {
		h.Line.SetText(noHistoryText)
		return
	}
	strip := container.NewHBox()
	for _, e := range es[max(0, len(es)-stripMarks):] {
		m := newMark(e, h.Line)
		h.Marks = append(h.Marks, m)
		strip.Add(m)
	}
	newest := es[len(es)-1]
	h.Line.SetText(markLine(newest))
	var lines []string
	for i := len(es) - 1; i >= max(0, len(es)-listedTests); i-- {
		lines = append(lines, testLine(es[i]))
	}
	h.Tests.SetText(strings.Join(lines, "\n"))
	h.Uptime.SetText(uptime(es, 7, now) + "\n" + uptime(es, 30, now))
	h.box.Objects = []fyne.CanvasObject{sectionTitle("History"), strip, h.Line, h.Uptime, sectionTitle("Last tests"), h.Tests}
	h.box.Refresh()
}

// mark is one test in the strip: a small rectangle in its outcome's
// colour; the pointer on it puts its time, outcome and code on the line.
type mark struct {
	widget.BaseWidget
	Entry vault.HistoryEntry
	Rect  *canvas.Rectangle
	line  *widget.Label
}

var _ desktop.Hoverable = (*mark)(nil)

func newMark(e vault.HistoryEntry, line *widget.Label) *mark {
	m := &mark{Entry: e, Rect: canvas.NewRectangle(outcomeColor(e.Outcome)), line: line}
	m.Rect.SetMinSize(fyne.NewSize(8, 20))
	m.Rect.CornerRadius = 2
	m.ExtendBaseWidget(m)
	return m
}

func (m *mark) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(m.Rect) }

// MouseIn puts the test's words on the line under the strip.
func (m *mark) MouseIn(*desktop.MouseEvent) { m.line.SetText(markLine(m.Entry)) }

// MouseMoved does nothing: the words stay while the pointer is on the mark.
func (m *mark) MouseMoved(*desktop.MouseEvent) {}

// MouseOut leaves the words: the line shows the last mark pointed at.
func (m *mark) MouseOut() {}

// refreshLasted reads again, in the background, how long the state of
// the connection name has lasted (after a test of it was recorded).
func (s *ConnectionsScreen) refreshLasted(name string) {
	gen, r := s.lastedLoads, s.eng.Of(engine.KindConnection)
	go func() {
		c, err := r.Get(name)
		if err != nil {
			return
		}
		m := readLasted(r, []vault.Connection{c})
		s.ui.post(func() {
			if gen != s.lastedLoads {
				return // a whole read started since: it has this one too
			}
			if s.lasted == nil {
				s.lasted = map[string]lasted{}
			}
			if l, ok := m[c.ID]; ok {
				s.lasted[c.ID] = l
			} else {
				delete(s.lasted, c.ID)
			}
			s.statusesChanged()
			s.table.Refresh()
		})
	}()
}
