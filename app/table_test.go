package app

// table_test.go: the connections table: statuses in words, their changes
// during and after Test and Test all, progress, Cancel and the summary,
// sorting, the filter, the details of a failed status, the keys and clicks
// on rows, and cells made for the visible rows only.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"storelink/connectors"
	"storelink/vault"
)

// visibleCells are the table cells on screen, by row and column.
func visibleCells(s *ConnectionsScreen) map[[2]int]*cell {
	out := map[[2]int]*cell{}
	walk(s.table, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*cell); ok {
			if c.row >= 0 {
				out[[2]int{c.row, int(c.col)}] = c
			}
			return false
		}
		return true
	})
	return out
}

// headers are the table's column titles on screen.
func headers(s *ConnectionsScreen) map[Column]*header {
	out := map[Column]*header{}
	walk(s.table, func(o fyne.CanvasObject) bool {
		if h, ok := o.(*header); ok {
			out[h.col] = h
			return false
		}
		return true
	})
	return out
}

// walk visits the visible objects under o, widgets through their renderers;
// visit says whether to go inside.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if !o.Visible() || !visit(o) {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, visit)
		}
	}
}

// cellOf is the visible cell of the connection name in col.
func cellOf(t *testing.T, s *ConnectionsScreen, name string, col Column) *cell {
	t.Helper()
	i, ok := s.index[name]
	if !ok {
		t.Fatalf("%s is not shown", name)
	}
	c := visibleCells(s)[[2]int{i, int(col)}]
	if c == nil {
		t.Fatalf("no visible %s cell for %s", col, name)
	}
	return c
}

// record stores a verdict on a saved connection, as an earlier session's test did.
func record(t *testing.T, e *env, name string, v vault.Verification) {
	t.Helper()
	if err := e.store.Record(name, v); err != nil {
		t.Fatal(err)
	}
}

// gate holds each named connection's test until released.
type gate struct {
	mu      sync.Mutex
	waiting map[string]chan connectors.Result
}

func newGate(conn *script, held ...string) *gate {
	g := &gate{waiting: map[string]chan connectors.Result{}}
	for _, n := range held {
		g.waiting[n] = make(chan connectors.Result, 1)
	}
	conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		g.mu.Lock()
		ch := g.waiting[cfg.Name]
		g.mu.Unlock()
		if ch == nil {
			return connectors.Success("fine")
		}
		select {
		case r := <-ch:
			return r
		case <-ctx.Done():
			r, _ := connectors.FromContext(ctx)
			return r
		}
	})
	return g
}

func (g *gate) release(name string, r connectors.Result) { g.waiting[name] <- r }

func TestStatusesInWordsWithIconsAndTimes(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	for _, n := range []string{"Failing", "Fresh", "Good", "Saved anyway"} {
		saveDirect(t, e, n, "KEY")
	}
	now := time.Now()
	record(t, e, "Good", vault.Verification{At: now.Add(-3 * time.Minute), OK: true, Code: connectors.CodeOK})
	record(t, e, "Failing", vault.Verification{At: now.Add(-2 * time.Hour), Code: connectors.CodeAuthInvalid, Message: "The shop does not know this key."})
	record(t, e, "Saved anyway", vault.Verification{At: now.Add(-72 * time.Hour), Unverified: true, Message: "saved without verifying"})
	s := e.ui.Connections
	s.Reload()
	for _, want := range []struct{ name, status, last string }{
		{"Good", "Verified", "3 min ago"},
		{"Failing", "Failed: key refused", "2 h ago"},
		{"Saved anyway", "Unverified", "3 days ago"},
		{"Fresh", "Not tested yet", "Never"},
	} {
		if got := s.StatusText(want.name); got != want.status {
			t.Errorf("%s: status %q, want %q", want.name, got, want.status)
		}
		c := cellOf(t, s, want.name, ColumnStatus)
		if c.label.Text != want.status || !c.iconBox.Visible() || c.icon.Resource == nil {
			t.Errorf("%s: the Status cell shows %q (icon %v), want %q and an icon", want.name, c.label.Text, c.icon.Resource, want.status)
		}
		if got := cellOf(t, s, want.name, ColumnLastTest).label.Text; got != want.last {
			t.Errorf("%s: Last test %q, want %q", want.name, got, want.last)
		}
		if app := cellOf(t, s, want.name, ColumnApp); app.label.Text != "Test Shop" || !app.iconBox.Visible() {
			t.Errorf("%s: the Application cell shows %q", want.name, app.label.Text)
		}
		if mode := cellOf(t, s, want.name, ColumnMode); mode.label.Text != "Cloud" {
			t.Errorf("%s: the Mode cell shows %q", want.name, mode.label.Text)
		}
	}
	if s.icons[statusFailed] == s.icons[statusVerified] || s.icons[statusUnverified] == s.icons[statusVerified] {
		t.Error("each state has its own icon, not only a colour")
	}
	// A pass with a warning says so.
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		r := connectors.Success("fine")
		r.Warn(connectors.CodeInsecureHTTP, "The key travels over plain HTTP.")
		return r
	})
	s.Test("Good")
	e.loop.until(t, "the test", func() bool { return s.run == nil })
	if got := cellOf(t, s, "Good", ColumnStatus).label.Text; got != "Verified, 1 warning" {
		t.Errorf("a pass with a warning: %q", got)
	}
}

// At 640, 900 and 1280 px, no status, application, mode or time is cut
// to "…": each cell is wide enough for its words, every failure's included.
func TestStatusWordsFitAtEveryWidth(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	var failures []connectors.Code
	for _, ci := range connectors.AllCodes {
		if !ci.Warning && ci.Code != connectors.CodeOK {
			failures = append(failures, ci.Code)
		}
	}
	for i, code := range failures {
		name := fmt.Sprintf("Shop %02d", i)
		saveDirect(t, e, name, "KEY")
		record(t, e, name, vault.Verification{At: time.Now().Add(-59 * time.Minute), Code: code})
	}
	saveDirect(t, e, "Unverified shop", "KEY")
	record(t, e, "Unverified shop", vault.Verification{At: time.Now(), Unverified: true})
	saveDirect(t, e, "Untested shop", "KEY")
	s := e.ui.Connections
	s.Reload()
	s.testing["Untested shop"] = true // "Testing…" as well
	if w := e.ui.Window.Content().MinSize().Width + 2*theme.Padding(); w > 640 {
		t.Errorf("the window cannot be narrower than %v px", w)
	}
	for _, width := range []float32{640, 900, 1280} {
		e.ui.Window.Resize(fyne.NewSize(width, 1600))
		s.table.Refresh()
		cells := visibleCells(s)
		if len(cells) < len(s.shown)*int(numColumns) {
			t.Fatalf("at %v px only %d cells are visible", width, len(cells))
		}
		for _, c := range cells {
			if c.col == ColumnName {
				continue // names may be long; they take the spare width
			}
			need := fyne.MeasureText(c.label.Text, theme.TextSize(), c.label.TextStyle).Width + 2*theme.InnerPadding()
			if have := c.label.Size().Width; have < need {
				t.Errorf("at %v px the %s cell %q is cut: %v px for %v", width, c.col, c.label.Text, have, need)
			}
		}
		if c := cellOf(t, s, "Untested shop", ColumnStatus); c.label.Text != "Testing…" {
			t.Errorf("the status of a test under way: %q", c.label.Text)
		}
		if w := s.table.Size().Width; w > width {
			t.Errorf("at %v px the table is %v px wide", width, w)
		}
	}
}

func TestRowTestShowsTestingThenTheOutcome(t *testing.T) {
	conn := &script{}
	g := newGate(conn, "Alpha")
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "KEY")
	s := e.ui.Connections
	s.Reload()
	if !s.testButton.Disabled() {
		t.Error("Test waits for a row to be selected")
	}
	s.Select("Alpha")
	test.Tap(s.testButton)
	e.loop.until(t, "the test to start", func() bool { return s.StatusText("Alpha") == testingText })
	if c := cellOf(t, s, "Alpha", ColumnStatus); c.label.Text != testingText {
		t.Errorf("the cell says %q while the test runs", c.label.Text)
	}
	if !s.testButton.Disabled() || !s.bar.Visible() || s.progressText.Text != "0 of 1 tested" {
		t.Errorf("during the test: Test disabled %v, progress %q", s.testButton.Disabled(), s.progressText.Text)
	}
	g.release("Alpha", connectors.Fail(connectors.CodeForbidden, "The key may not read orders.", "Allow GET on orders."))
	e.loop.until(t, "the test to end", func() bool { return s.run == nil })
	if got := cellOf(t, s, "Alpha", ColumnStatus).label.Text; got != "Failed: no permission" {
		t.Errorf("after the test the cell says %q", got)
	}
	if s.testButton.Disabled() || s.bar.Visible() {
		t.Error("after one row's test: Test again is possible and the bar goes (the row says it all)")
	}
}

func TestTestAllShowsEachRowProgressAndSummary(t *testing.T) {
	e, s, g := startTestAllWithGate(t)
	e.loop.until(t, "Alpha to pass while the others run", func() bool {
		return s.StatusText("Alpha") == "Verified" && s.StatusText("Beta") == testingText && s.StatusText("Gamma") == testingText
	})
	if s.progressText.Text != "1 of 3 tested" || s.progressBar.Value != 1 || s.progressBar.Max != 3 || !s.cancelButton.Visible() || !s.progressRow.Visible() {
		t.Errorf("progress %q %v/%v", s.progressText.Text, s.progressBar.Value, s.progressBar.Max)
	}
	if !s.testAllButton.Disabled() {
		t.Error("Test all waits while every connection is being tested")
	}
	g.release("Beta", connectors.Fail(connectors.CodeUnreachable, "Nothing answers at beta.example.", "Check the address."))
	e.loop.until(t, "Beta to fail", func() bool { return s.StatusText("Beta") == "Failed: not reachable" })
	if s.StatusText("Gamma") != testingText || s.progressText.Text != "2 of 3 tested" {
		t.Errorf("one at a time: Gamma %q, progress %q", s.StatusText("Gamma"), s.progressText.Text)
	}
	g.release("Gamma", connectors.Success("fine"))
	e.loop.until(t, "the run to end", func() bool { return s.run == nil })
	if !s.summaryRow.Visible() || s.progressRow.Visible() || s.summary.Text != "2 passed, 1 failed" || !s.failuresButton.Visible() {
		t.Fatalf("summary %q", s.summary.Text)
	}
	test.Tap(s.failuresButton)
	if got := names(s.Shown()); got != "Beta" || s.failuresButton.Text != "Show all" {
		t.Errorf("the failures: %s (%q)", got, s.failuresButton.Text)
	}
	test.Tap(s.failuresButton)
	if got := names(s.Shown()); got != "Alpha,Beta,Gamma" {
		t.Errorf("all again: %s", got)
	}
	test.Tap(s.failuresButton)
	test.Tap(s.closeSummaryButton)
	if s.bar.Visible() || len(s.Shown()) != 3 {
		t.Error("closing the summary shows every connection again")
	}
}

func TestTestAllCancelStopsTheRest(t *testing.T) {
	e, s, g := startTestAllWithGate(t)
	e.loop.until(t, "Alpha to pass", func() bool { return s.StatusText("Alpha") == "Verified" && s.StatusText("Beta") == testingText })
	test.Tap(s.cancelButton)
	if !strings.HasPrefix(s.progressText.Text, "Cancelling") || !s.cancelButton.Disabled() {
		t.Errorf("Cancel says so at once: %q", s.progressText.Text)
	}
	e.loop.until(t, "the run to stop", func() bool { return s.run == nil })
	if s.summary.Text != "Cancelled: 1 passed, 0 failed, 2 not tested" || s.failuresButton.Visible() {
		t.Errorf("summary %q", s.summary.Text)
	}
	for _, n := range []string{"Beta", "Gamma"} {
		if got := s.StatusText(n); got != untestedText {
			t.Errorf("%s after Cancel: %q", n, got)
		}
		if c, _ := e.store.Get(n); c.Last != nil {
			t.Errorf("a cancelled test of %s was recorded", n)
		}
	}
	_ = g
}

func TestSortByAnyColumn(t *testing.T) {
	conn := &script{}
	reg := testRegistry(conn)
	reg.Register(connectors.Info{ID: "anothershop", Title: "Another Shop", Icon: "magento2.svg",
		New:    func() connectors.Connector { return conn },
		Fields: []connectors.Field{{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL, Required: true}}})
	e := newEnv(t, reg, conn)
	saveDirect(t, e, "beta", "KEY")
	saveDirect(t, e, "Alpha", "KEY")
	if _, err := e.store.Save(vault.Connection{Name: "Gamma", App: "anothershop", Values: connectors.Values{"store_url": "g.example", "mode": "on-premise"}}, nil, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	record(t, e, "Alpha", vault.Verification{At: now.Add(-time.Hour), OK: true, Code: connectors.CodeOK})
	record(t, e, "beta", vault.Verification{At: now.Add(-time.Minute), Code: connectors.CodeTimeout})
	s := e.ui.Connections
	s.Reload()
	if got := names(s.Shown()); got != "Alpha,beta,Gamma" {
		t.Errorf("by name, ignoring case: %s", got)
	}
	hs := headers(s)
	if len(hs) != int(numColumns) || hs[ColumnName].Icon != theme.MenuDropUpIcon() || hs[ColumnStatus].Icon != nil {
		t.Fatalf("the headers show the sort: %v", hs)
	}
	for _, step := range []struct {
		col        Column
		want       string
		descending bool
	}{
		{ColumnName, "Gamma,beta,Alpha", true},
		{ColumnApp, "Gamma,Alpha,beta", false},
		{ColumnApp, "beta,Alpha,Gamma", true},
		{ColumnMode, "Alpha,beta,Gamma", false},
		{ColumnStatus, "beta,Gamma,Alpha", false}, // failed, not tested, verified
		{ColumnLastTest, "Gamma,Alpha,beta", false},
		{ColumnLastTest, "beta,Alpha,Gamma", true},
	} {
		test.Tap(headers(s)[step.col])
		if got := names(s.Shown()); got != step.want {
			t.Errorf("by %s: %s, want %s", step.col, got, step.want)
		}
		col, desc := s.Sorting()
		arrow := theme.MenuDropUpIcon()
		if desc {
			arrow = theme.MenuDropDownIcon()
		}
		if col != step.col || desc != step.descending || headers(s)[step.col].Icon != arrow {
			t.Errorf("by %s: sorting %v %v, header arrow %v", step.col, col, desc, headers(s)[step.col].Icon)
		}
		if got := cellOf(t, s, strings.Split(step.want, ",")[0], ColumnName); got.row != 0 {
			t.Errorf("the first row shows %s", step.want)
		}
	}
}

func TestFilterByNameApplicationModeAndStatus(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "KEY")
	saveDirect(t, e, "Beta", "KEY")
	if _, err := e.store.Save(vault.Connection{Name: "Back office", App: "testshop", Values: connectors.Values{"store_url": "b.example", "method": "hmac", "mode": "on-premise"}}, nil, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	record(t, e, "Beta", vault.Verification{At: time.Now(), Code: connectors.CodeAuthInvalid})
	s := e.ui.Connections
	s.Reload()
	for _, c := range []struct{ filter, want string }{
		{"ALPHA", "Alpha"},
		{"test shop", "Alpha,Back office,Beta"},
		{"on-premise", "Back office"},
		{"failed", "Beta"},
		{"key refused", "Beta"},
		{"not tested", "Alpha,Back office"},
		{"b cloud", "Beta"},
		{"", "Alpha,Back office,Beta"},
	} {
		s.filter.SetText(c.filter)
		if got := names(s.Shown()); got != c.want {
			t.Errorf("filter %q: %s, want %s", c.filter, got, c.want)
		}
	}
	s.Select("Beta")
	test.Type(s.filter, "alp")
	if s.Selected() != "" || !s.editButton.Disabled() {
		t.Error("a row the filter hides is no longer selected")
	}
	s.filter.SetText("nothing like it")
	if !s.noMatch.Visible() || !strings.Contains(s.noMatch.Text, "see all 3") {
		t.Errorf("no match: %q", s.noMatch.Text)
	}
}

func TestClickingAFailedStatusOpensItsDetails(t *testing.T) {
	conn := &script{}
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		r := connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "Copy the key again from Advanced Parameters > Webservice.")
		r.Warn(connectors.CodeInsecureHTTP, "The key travels over plain HTTP.")
		r.AddCheck("The shop answers", true, "HTTP 200")
		r.AddCheck("The key is accepted", false, "HTTP 401")
		return r
	})
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "KEY")
	saveDirect(t, e, "Old failure", "KEY")
	at := time.Date(2026, 3, 14, 15, 9, 26, 0, time.Local)
	record(t, e, "Old failure", vault.Verification{At: at, Code: connectors.CodeTimeout, Message: "The store did not answer in 30 s.", Hint: "Raise the request timeout."})
	s := e.ui.Connections
	s.Reload()
	s.Test("Alpha")
	e.loop.until(t, "the test", func() bool { return s.run == nil })

	status := cellOf(t, s, "Alpha", ColumnStatus)
	if !status.clickable || status.Cursor() == nil {
		t.Error("a failed status is a link")
	}
	test.Tap(status)
	d := s.Details
	if d == nil || e.ui.Window.Canvas().Overlays().Top() == nil {
		t.Fatal("a click on the failed status opens its details")
	}
	if s.Selected() != "Alpha" {
		t.Error("the click selects the row too")
	}
	for label, want := range map[string]string{
		"What happened": "The shop does not know this key.",
		"What to do":    "Copy the key again from Advanced Parameters > Webservice.",
		"Code":          "auth_invalid: The key, token or login is unknown",
		"When":          "(just now)",
	} {
		if l := d.facts[label]; l == nil || !strings.Contains(l.Text, want) {
			t.Errorf("%s: %v, want %q", label, l, want)
		}
	}
	if d.headline.Text != "Failed: key refused" {
		t.Errorf("headline %q", d.headline.Text)
	}
	if d.warnings == nil || !strings.Contains(d.warnings.Text, "plain HTTP") {
		t.Error("the warnings of this session's result are shown")
	}
	if d.checks == nil || !strings.Contains(d.checks.Text, "✓ The shop answers: HTTP 200") || !strings.Contains(d.checks.Text, "✗ The key is accepted: HTTP 401") {
		t.Errorf("the checks: %v", d.checks)
	}
	test.Tap(d.closeButton)
	if e.ui.Window.Canvas().Overlays().Top() != nil {
		t.Error("Close closes the details")
	}

	// A failure recorded before Storelink started: its verdict, the exact time, no checks.
	test.Tap(cellOf(t, s, "Old failure", ColumnStatus))
	d = s.Details
	if d.checks != nil || d.warnings != nil || !strings.Contains(d.facts["When"].Text, at.Format("2 January 2006, 15:04:05")) ||
		d.facts["What to do"].Text != "Raise the request timeout." {
		t.Errorf("an older failure: %q %v", d.facts["When"].Text, d.checks)
	}
	e.ui.Window.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if e.ui.Window.Canvas().Overlays().Top() != nil {
		t.Error("Esc closes the details")
	}
	test.Tap(d.editButton) // a closed dialog's button still works as a handle
	if len(e.ui.Panes) != 1 || e.ui.Panes[0].Editing != "Old failure" {
		t.Error("Edit in the details opens the connection")
	}

	// A verified status is no link; its details are one button away.
	record(t, e, "Alpha", vault.Verification{At: time.Now(), OK: true, Code: connectors.CodeOK})
	s.Reload()
	s.Details = nil
	test.Tap(cellOf(t, s, "Alpha", ColumnStatus))
	if s.Details != nil {
		t.Error("a click on a verified status only selects the row")
	}
	test.Tap(s.detailsButton)
	if s.Details == nil || s.Details.headline.Text != "Verified" {
		t.Error("Details shows the last test of the selected row")
	}
}

func TestRowKeysAndClicks(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	for _, n := range []string{"Alpha", "Beta", "Gamma"} {
		saveDirect(t, e, n, "KEY")
	}
	s := e.ui.Connections
	s.Reload()
	c := e.ui.Window.Canvas()

	// Type in the filter, Enter: the first match is selected, the table has the keys.
	test.Type(s.filter, "a")
	s.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.Selected() != "Alpha" || c.Focused() != s.table {
		t.Fatalf("Enter in the filter: selected %q, focus %v", s.Selected(), c.Focused())
	}
	s.filter.SetText("")
	c.Focus(s.table)
	key := func(k fyne.KeyName) { c.Focused().TypedKey(&fyne.KeyEvent{Name: k}) }
	key(fyne.KeyDown)
	key(fyne.KeyDown)
	if s.Selected() != "Gamma" {
		t.Errorf("Down twice: %q", s.Selected())
	}
	key(fyne.KeyDown)
	key(fyne.KeyHome)
	if s.Selected() != "Alpha" {
		t.Errorf("Home: %q", s.Selected())
	}
	key(fyne.KeyEnd)
	key(fyne.KeyUp)
	if s.Selected() != "Beta" {
		t.Errorf("End, Up: %q", s.Selected())
	}
	if bg := cellOf(t, s, "Beta", ColumnMode).bg.FillColor; bg != theme.Color(theme.ColorNameSelection) {
		t.Error("the selected row is marked across its cells")
	}
	key(fyne.KeyReturn)
	if len(e.ui.Panes) != 1 || e.ui.Panes[0].Editing != "Beta" {
		t.Fatal("Enter opens the selected connection in the pane")
	}
	e.ui.Panes[0].close()
	c.Focus(s.table)
	key(fyne.KeyDelete)
	if s.deleteQuestion == nil || !strings.Contains(s.deleteQuestion.do.Text, "Beta") {
		t.Fatal("Delete asks to delete the selected connection")
	}
	test.Tap(s.deleteQuestion.safe)

	test.DoubleTap(cellOf(t, s, "Gamma", ColumnApp))
	if s.Selected() != "Gamma" || len(e.ui.Panes) != 1 || e.ui.Panes[0].Editing != "Gamma" {
		t.Fatal("a double click opens the connection")
	}
	e.ui.Panes[0].close()

	// Tab from the table reaches the column titles; Space sorts.
	c.Focus(s.table)
	c.FocusNext()
	h, ok := c.Focused().(*header)
	if !ok || h.col != ColumnName {
		t.Fatalf("Tab from the table: %T", c.Focused())
	}
	key(fyne.KeySpace)
	if col, desc := s.Sorting(); col != ColumnName || !desc || names(s.Shown()) != "Gamma,Beta,Alpha" {
		t.Error("Space on a column title sorts by it")
	}

	test.TapSecondary(cellOf(t, s, "Alpha", ColumnName))
	menu := test.RenderObjectToMarkup(c.Overlays().Top())
	if s.Selected() != "Alpha" || !strings.Contains(menu, "Edit") || !strings.Contains(menu, "Clone") || !strings.Contains(menu, "Delete") {
		t.Errorf("a right click offers the row's actions: %s", menu)
	}
}

// writeConnections saves n connections straight into the vault's file, as
// vault.Save would have written them (saving them one by one takes minutes).
func writeConnections(t testing.TB, store *vault.Vault, n int) {
	t.Helper()
	at := time.Now().UTC()
	cs := make([]vault.Connection, n)
	for i := range cs {
		name := fmt.Sprintf("Shop %04d", i)
		cs[i] = vault.Connection{ID: fmt.Sprintf("id-%04d", i), Name: name, App: "testshop", Generation: 1, Created: at, Updated: at,
			Values: connectors.Values{"name": name, "store_url": fmt.Sprintf("shop%d.example", i), "method": "hmac", "mode": "cloud"}}
		switch i % 4 {
		case 1:
			cs[i].Last = &vault.Verification{At: at.Add(-time.Duration(i) * time.Minute), OK: true, Code: connectors.CodeOK}
		case 2:
			cs[i].Last = &vault.Verification{At: at.Add(-time.Duration(i) * time.Minute), Code: connectors.CodeAuthInvalid, Message: "unknown key"}
		case 3:
			cs[i].Last = &vault.Verification{At: at, Unverified: true}
		}
	}
	data, err := json.Marshal(struct {
		Schema      int                `json:"schema"`
		Connections []vault.Connection `json:"connections"`
	}{vault.SchemaVersion, cs})
	if err == nil {
		err = os.WriteFile(store.Path(), data, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// With 1,000 connections the table makes cells for the rows on screen only,
// through scrolling and filtering too.
func TestTableMakesCellsForVisibleRowsOnly(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	writeConnections(t, e.store, 1000)
	s := e.ui.Connections
	s.cellsCreated = 0
	s.Reload()
	if n := len(s.Shown()); n != 1000 {
		t.Fatalf("%d shown", n)
	}
	if s.StatusText("Shop 0002") != "Failed: key refused" || s.StatusText("Shop 0003") != "Unverified" {
		t.Error("the written connections read back")
	}
	visible := len(visibleCells(s))
	if visible > 30*int(numColumns) || s.cellsCreated > visible+5 {
		t.Fatalf("%d cells made for 1,000 connections, %d of them visible: the table builds cells per connection", s.cellsCreated, visible)
	}
	s.table.ScrollToBottom()
	if got := cellOf(t, s, "Shop 0999", ColumnName); got.label.Text != "Shop 0999" {
		t.Error("the last row is reachable by scrolling")
	}
	test.Scroll(e.ui.Window.Canvas(), s.table.Position().Add(fyne.NewPos(50, 200)), 0, 300)
	s.filter.SetText("shop 01")
	s.filter.SetText("")
	s.SortBy(ColumnStatus)
	if raceBuild {
		return
	}
	// A second screen of cells for a jump (the table pools the old cells
	// only after making the new), and a template per refresh; then reuse.
	if limit := 2*visible + 20; s.cellsCreated > limit {
		t.Errorf("%d cells made for 1,000 connections (%d visible)", s.cellsCreated, visible)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a collection empties the pool too
	before := s.cellsCreated
	for range 5 {
		s.table.ScrollToTop()
		s.table.ScrollToBottom()
	}
	if more := s.cellsCreated - before; more > 10 {
		t.Errorf("jumping back and forth made %d more cells: they are not reused", more)
	}
}

func TestEveryCodeHasAShortPhrase(t *testing.T) {
	for _, ci := range connectors.AllCodes {
		if ci.Short == "" || len(ci.Short) > 24 || ci.Code.Short() != ci.Short {
			t.Errorf("%s: short phrase %q", ci.Code, ci.Short)
		}
	}
	if got := connectors.Code("brand_new").Short(); got != "brand_new" {
		t.Errorf("an unknown code: %q", got)
	}
}

// The window shows before the list is read; the list fills the table when it
// arrives, and a Reload meanwhile wins over the older read.
func TestTheListLoadsInTheBackground(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "GOOD")
	s := e.ui.Connections
	s.LoadInBackground()
	if !s.Loading() || s.empty.Visible() || !strings.Contains(s.noMatch.Text, "Reading") {
		t.Fatal("while the list is read the window says so, not that nothing is saved")
	}
	e.loop.until(t, "the list", func() bool { return !s.Loading() })
	if len(s.Shown()) != 1 || s.noMatch.Visible() {
		t.Errorf("the list arrived: %d shown", len(s.Shown()))
	}
	s.LoadInBackground()
	saveDirect(t, e, "Beta", "GOOD")
	s.Reload() // newer than the read under way
	e.loop.runPending()
	time.Sleep(50 * time.Millisecond)
	e.loop.runPending()
	if len(s.Shown()) != 2 || s.Loading() {
		t.Errorf("the older background read did not overwrite the Reload: %d shown", len(s.Shown()))
	}
}

// The columns' widths measure only each column's longest texts: the widest
// text is always among them, in the theme's font.
func TestNaturalWidthsMeasureTheWidest(t *testing.T) {
	test.NewTempApp(t)
	size := theme.TextSize()
	width := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	for name, texts := range map[string][]string{"status": statusTexts(), "last test": lastTestTexts(time.Now())} {
		var all, measured float32
		for _, s := range texts {
			all = max(all, width(s))
		}
		for _, s := range longest(texts, measuredCandidates) {
			measured = max(measured, width(s))
		}
		if measured != all || len(texts) < 2 {
			t.Errorf("%s: the %d longest are %v px wide at most, the widest of all %d is %v px", name, measuredCandidates, measured, len(texts), all)
		}
	}
	if got := longest([]string{"ab", "abcd", "abc", "a"}, 2); strings.Join(got, ",") != "abcd,abc" {
		t.Errorf("longest = %v", got)
	}
}

// startTestAllWithGate saves Alpha, Beta and Gamma and taps Test all; Beta's
// and Gamma's tests wait at the gate.
func startTestAllWithGate(t *testing.T) (*env, *ConnectionsScreen, *gate) {
	conn := &script{}
	g := newGate(conn, "Beta", "Gamma")
	e := newEnv(t, testRegistry(conn), conn)
	for _, n := range []string{"Alpha", "Beta", "Gamma"} {
		saveDirect(t, e, n, "KEY")
	}
	s := e.ui.Connections
	s.Reload()
	test.Tap(s.testAllButton)
	return e, s, g
}
