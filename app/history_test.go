package app

// history_test.go: the table says how long a state has lasted and the
// details show the history (strip, last tests, uptime), over a real vault
// with a history and an engine whose clock the test sets.

import (
	"context"
	"image/color"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// clock is a settable Deps.Now: the real time moved back by ago.
type clock struct {
	mu  sync.Mutex
	ago time.Duration
}

func (c *clock) set(ago time.Duration) {
	c.mu.Lock()
	c.ago = ago
	c.mu.Unlock()
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(-c.ago)
}

// historyEngine is an engine over e's home and keychain that keeps a
// history, with the clock now.
func historyEngine(t *testing.T, e *env, now func() time.Time) (*engine.Engine, vault.History) {
	t.Helper()
	dir := filepath.Dir(e.store.Path())
	store, err := vault.Open(dir, e.secrets)
	if err != nil {
		t.Fatal(err)
	}
	h := vault.History{Dir: filepath.Join(dir, "state", "history")}
	return engine.New(engine.Deps{
		Store: store, Registry: e.eng.Registry(), Redactor: e.red, Now: now, History: h,
		Paths: engine.Paths{Home: dir, Connections: store.Path(), Logs: filepath.Join(dir, "logs", "storelink.log"), Keychain: "an in-memory keychain"},
		Client: connectors.ClientOptions{Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}},
		State: vault.StateDir{Dir: filepath.Join(dir, "state")},
	}), h
}

func TestTheTableSaysHowLongAStateLastedAndDetailsShowTheHistory(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	shop := saveDirect(t, e, "Shop", "KEY")
	saveDirect(t, e, "Other", "KEY")
	clk := &clock{}
	eng, hist := historyEngine(t, e, clk.now)

	// Earlier tests, written through the vault's history with chosen times.
	now := time.Now()
	entry := func(ago time.Duration, outcome string, code connectors.Code, trigger string) vault.HistoryItem {
		return vault.HistoryItem{Kind: engine.KindConnection, ID: shop.ID, Entry: vault.HistoryEntry{
			Time: now.Add(-ago).UTC(), Outcome: outcome, Code: code, DurationMS: 120, Trigger: trigger}}
	}
	day := 24 * time.Hour
	if err := hist.Append(
		entry(20*day, vault.OutcomePassed, connectors.CodeOK, engine.TriggerSchedule),
		entry(10*day, vault.OutcomePassed, connectors.CodeOK, engine.TriggerSchedule),
		entry(6*time.Hour, vault.OutcomeWarned, connectors.CodeOK, engine.TriggerWindow),
		entry(5*time.Hour, vault.OutcomePassed, connectors.CodeOK, engine.TriggerWindow),
		entry(4*time.Hour+30*time.Minute, vault.OutcomeCancelled, connectors.CodeCanceled, engine.TriggerTestAll),
	); err != nil {
		t.Fatal(err)
	}
	// What the last of them left on Shop, as a Storelink that kept no
	// start of a state wrote it.
	if err := e.store.Record("Shop", vault.Verification{At: now.Add(-5 * time.Hour).UTC(), OK: true, Code: connectors.CodeOK}); err != nil {
		t.Fatal(err)
	}
	// Then two failed tests run by the engine at 3 h and 1 h ago.
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		return connectors.Fail(connectors.CodeNotAPI, "The address answered with a login page, not the API.", "Check the shop address.")
	})
	clk.set(3*time.Hour + time.Minute) // "3 h" however long the test takes to run
	eng.TestMany(context.Background(), []string{"Shop"}, engine.TestOptions{Trigger: "cli"}, nil)
	clk.set(time.Hour)
	eng.TestMany(context.Background(), []string{"Shop"}, engine.TestOptions{}, nil) // Test all
	// Other: two tests only, too few for an uptime.
	conn.set(nil)
	clk.set(2 * time.Hour)
	eng.TestMany(context.Background(), []string{"Other"}, engine.TestOptions{Trigger: engine.TriggerWindow}, nil)
	clk.set(time.Hour)
	eng.TestMany(context.Background(), []string{"Other"}, engine.TestOptions{Trigger: engine.TriggerWindow}, nil)

	u := newUI(e.ui.App, eng, e.loop.do)
	t.Cleanup(func() {
		u.stop()
		u.Window.Close()
	})
	s := u.Connections
	s.Reload()
	e.loop.until(t, "the histories to be read", func() bool { return len(s.lasted) == 2 })
	if got := s.StatusText("Shop"); got != "Failed for 3 h, verified before" {
		t.Errorf("Shop's status %q, want Failed for 3 h, verified before", got)
	}
	if got := s.StatusText("Other"); got != "Verified for 2 h" {
		t.Errorf("Other's status %q, want Verified for 2 h", got)
	}
	if got := s.LastTestText("Shop"); got != "1 h ago" {
		t.Errorf("Shop's last test %q: the column must stay as it was", got)
	}
	// The cell says how long; the filter still finds the failure by its
	// reason, which the cell no longer shows.
	for _, words := range []string{strings.ToLower(connectors.CodeNotAPI.Short()), "login page"} {
		s.filter.SetText(words)
		if shown := s.Shown(); len(shown) != 1 || shown[0].Name != "Shop" {
			t.Errorf("filtering by %q shows %v, want Shop", words, shown)
		}
	}
	s.filter.SetText("")

	s.ShowDetails("Shop")
	h := s.Details.History
	if h == nil {
		t.Fatal("the details show no history")
	}
	e.loop.until(t, "the history to be read", func() bool { return len(h.Marks) > 0 })
	wantMarks := []string{vault.OutcomePassed, vault.OutcomePassed, vault.OutcomeWarned, vault.OutcomePassed, vault.OutcomeCancelled, vault.OutcomeFailed, vault.OutcomeFailed}
	colours := map[string]color.Color{
		vault.OutcomePassed: theme.Color(theme.ColorNameSuccess), vault.OutcomeWarned: theme.Color(theme.ColorNameWarning),
		vault.OutcomeFailed: theme.Color(theme.ColorNameError), vault.OutcomeCancelled: theme.Color(theme.ColorNameDisabled),
	}
	if len(h.Marks) != len(wantMarks) {
		t.Fatalf("%d marks, want %d (one per test)", len(h.Marks), len(wantMarks))
	}
	for i, m := range h.Marks {
		if m.Entry.Outcome != wantMarks[i] || m.Rect.FillColor != colours[wantMarks[i]] {
			t.Errorf("mark %d: %s in %v, want %s in %v (oldest left)", i, m.Entry.Outcome, m.Rect.FillColor, wantMarks[i], colours[wantMarks[i]])
		}
	}
	h.Marks[4].MouseIn(&desktop.MouseEvent{})
	if got := h.Line.Text; !strings.Contains(got, "Cancelled, code "+string(connectors.CodeCanceled)) ||
		!strings.Contains(got, now.Add(-4*time.Hour-30*time.Minute).Local().Format("15:04")) {
		t.Errorf("pointing at the cancelled mark: %q", got)
	}
	lines := strings.Split(h.Tests.Text, "\n")
	if len(lines) != 7 {
		t.Fatalf("the list has %d tests, want 7:\n%s", len(lines), h.Tests.Text)
	}
	for i, want := range []string{
		"Failed · code not_api · ", "· Test all",
	} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("newest test (%d) %q, want %q", i, lines[0], want)
		}
	}
	if !strings.HasSuffix(lines[1], "· command line") || !strings.Contains(lines[4], "Passed with warnings · code ok · 120ms · from the window") ||
		!strings.HasSuffix(lines[6], "· schedule") {
		t.Errorf("the list:\n%s", h.Tests.Text)
	}
	// 7 days: warned, passed, failed, failed (the cancelled one does not
	// count); 30 days: and two passes.
	if got := h.Uptime.Text; got != "Last 7 days: 50% (2 of 4 tests passed)\nLast 30 days: 67% (4 of 6 tests passed)" {
		t.Errorf("uptime %q", got)
	}
	s.Details.dialog.Hide()

	s.ShowDetails("Other")
	h = s.Details.History
	e.loop.until(t, "Other's history", func() bool { return len(h.Marks) > 0 })
	if got := h.Uptime.Text; got != "Last 7 days: not enough tests yet\nLast 30 days: not enough tests yet" {
		t.Errorf("Other's uptime %q", got)
	}
	s.Details.dialog.Hide()

	// A pass now: the table says so at once, the failure before it.
	clk.set(0)
	eng.TestMany(context.Background(), []string{"Shop"}, engine.TestOptions{}, nil)
	e.loop.until(t, "the new state", func() bool { return s.StatusText("Shop") == "Verified for a moment, failed before" })
}
