package app

// live_test.go: the table's state that outlives a session (warnings, the
// reason a connection is unverified, the sort) and follows changes another
// process makes; the filter's clear button; Details' report.

import (
	"context"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// otherProcess is another process's view of e's home and keychain, as the
// command line has it: its own vault and engine over the same files.
func otherProcess(t *testing.T, e *env) *engine.Engine {
	t.Helper()
	dir := filepath.Dir(e.store.Path())
	store, err := vault.Open(dir, e.secrets)
	if err != nil {
		t.Fatal(err)
	}
	return engine.New(engine.Deps{
		Store: store, Registry: e.eng.Registry(), Redactor: e.red,
		Paths: engine.Paths{Home: dir, Connections: store.Path(), Logs: filepath.Join(dir, "logs", "storelink.log"), Keychain: "an in-memory keychain"},
		Client: connectors.ClientOptions{Dial: func(context.Context, string, string) (net.Conn, error) {
			e.dials.Add(1)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}},
		State: vault.StateDir{Dir: filepath.Join(dir, "state")},
	})
}

// restart is a new window over the same home and keychain, as after
// quitting and starting Storelink again.
func restart(t *testing.T, e *env) *UI {
	t.Helper()
	u := newUI(e.ui.App, otherProcess(t, e), e.loop.do)
	u.Connections.Reload()
	t.Cleanup(func() {
		u.stop()
		u.Window.Close()
	})
	return u
}

const strippedWarning = "The key only got through in the address, where it can end up in server logs."

func TestAWarningStaysAcrossSaveReloadAndRestart(t *testing.T) {
	conn := &script{}
	conn.set(warnedPass(strippedWarning))
	e := newEnv(t, testRegistry(conn), conn)
	p := e.open("testshop")
	fillTestShop(p, "Shop")
	test.Tap(p.saveCloseButton)
	e.idle(p)
	s := e.ui.Connections
	e.loop.until(t, "the saved connection listed", func() bool { return s.StatusText("Shop") != "" })

	check := func(when string, s *ConnectionsScreen) {
		t.Helper()
		if got := s.StatusText("Shop"); got != "Verified, 1 warning" {
			t.Errorf("%s: status %q, want Verified, 1 warning", when, got)
		}
		if _, kind := s.status(s.byName["Shop"]); kind != statusWarned || s.icons[kind] == s.icons[statusVerified] || s.icons[kind] == s.icons[statusUnverified] {
			t.Errorf("%s: a pass with warnings has its own icon (kind %d)", when, kind)
		}
		s.ShowDetails("Shop")
		if d := s.Details; d == nil || d.warnings == nil || !strings.Contains(d.warnings.Text, strippedWarning) {
			t.Errorf("%s: Details lists no warning", when)
		} else {
			d.dialog.Hide()
		}
	}
	check("after Save & close", s)
	s.Reload()
	check("after a reload", s)
	check("after a restart", restart(t, e).Connections)
}

func TestTestAllCountsPassesWithWarningsApart(t *testing.T) {
	conn := &script{}
	conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		switch cfg.Values["api_key"] {
		case "WARN":
			return warnedPass(strippedWarning)(ctx, cfg)
		case "BAD":
			return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "")
		}
		return connectors.Success("fine")
	})
	e := newEnv(t, testRegistry(conn), conn)
	for name, key := range map[string]string{"A": "GOOD", "B": "GOOD", "C": "WARN", "D": "WARN", "E": "BAD"} {
		saveDirect(t, e, name, key)
	}
	s := e.ui.Connections
	s.Reload()
	s.TestAll()
	e.loop.until(t, "Test all to end", func() bool { return s.run == nil })
	if got := s.summary.Text; got != "2 passed, 2 with warnings, 1 failed" {
		t.Errorf("summary %q", got)
	}
}

func TestDetailsSayWhyUnverifiedWithTheFailedTest(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	failed := connectors.Fail(connectors.CodeNotAPI, "The address answered with a login page, not the API.", "Check the shop address.")
	if _, err := e.eng.Save(context.Background(), engine.Draft{App: "testshop", Values: connectors.Values{
		"name": "Shop", "store_url": "shop.example", "method": "hmac", "api_key": "SECRETKEY-123"}},
		engine.SaveOptions{NoVerify: true, Reason: "saved without a passing test", Failed: &failed}); err != nil {
		t.Fatal(err)
	}
	u := restart(t, e) // nothing of this session's test is known: only what was saved
	s := u.Connections
	if got := s.StatusText("Shop"); got != "Unverified: "+connectors.CodeNotAPI.Short() {
		t.Errorf("status %q", got)
	}
	s.ShowDetails("Shop")
	d := s.Details
	if d == nil {
		t.Fatal("no details")
	}
	for label, want := range map[string]string{
		"Why unverified": "Saved without a passing test",
		"What happened":  "login page",
		"Code":           string(connectors.CodeNotAPI),
	} {
		if l := d.facts[label]; l == nil || !strings.Contains(l.Text, want) {
			t.Errorf("Details %s: %v, want %q", label, l, want)
		}
	}
}

func TestAConnectionMadeElsewhereAppearsKeepingSelectionFilterAndSort(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha store", "KEY")
	saveDirect(t, e, "Zulu store", "KEY")
	saveDirect(t, e, "Other", "KEY")
	s := e.ui.Connections
	s.Reload()
	s.SortBy(ColumnName) // already by name: now Z to A
	test.Type(s.filter, "store")
	s.Select("Alpha store")
	if got := names(s.Shown()); got != "Zulu store,Alpha store" {
		t.Fatalf("before: %s", got)
	}

	cli := otherProcess(t, e)
	if _, err := cli.Save(context.Background(), engine.Draft{App: "testshop", Values: connectors.Values{
		"name": "Mike store", "store_url": "mike.example", "method": "hmac", "api_key": "KEY"}},
		engine.SaveOptions{NoVerify: true, Reason: "saved without a passing test"}); err != nil {
		t.Fatal(err)
	}
	saved := time.Now()
	e.loop.until(t, "the window to notice", func() bool { return s.byName["Mike store"] != nil })
	if took := time.Since(saved); took > 2*time.Second {
		t.Errorf("the window noticed after %v, not within two seconds", took)
	}
	if got := names(s.Shown()); got != "Zulu store,Mike store,Alpha store" {
		t.Errorf("after: %s (the filter or the sort was lost)", got)
	}
	if s.Selected() != "Alpha store" || s.filter.Text != "store" {
		t.Errorf("selected %q, filter %q", s.Selected(), s.filter.Text)
	}
	if col, desc := s.Sorting(); col != ColumnName || !desc {
		t.Errorf("sort %v, descending %v", col, desc)
	}
}

func TestTheSortIsRememberedAcrossRestarts(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	e.ui.Connections.SortBy(ColumnLastTest)
	e.ui.Connections.SortBy(ColumnLastTest)
	if col, desc := restart(t, e).Connections.Sorting(); col != ColumnLastTest || !desc {
		t.Errorf("after a restart: sorted by %v, descending %v", col, desc)
	}
}

func TestTheFilterClearButton(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Alpha", "KEY")
	saveDirect(t, e, "Beta", "KEY")
	s := e.ui.Connections
	s.Reload()
	if s.clearFilterButton.Visible() {
		t.Error("an empty filter has nothing to clear")
	}
	test.Type(s.filter, "alp")
	if !s.clearFilterButton.Visible() || names(s.Shown()) != "Alpha" {
		t.Fatalf("filtered: %s, clear shown %v", names(s.Shown()), s.clearFilterButton.Visible())
	}
	test.Tap(s.clearFilterButton)
	if s.filter.Text != "" || names(s.Shown()) != "Alpha,Beta" || s.clearFilterButton.Visible() {
		t.Errorf("after clearing: %q, %s", s.filter.Text, names(s.Shown()))
	}
	if e.ui.Window.Canvas().Focused() != s.filter {
		t.Error("the filter keeps the keyboard")
	}
}

func TestCopyAReportHasNoSecret(t *testing.T) {
	const key = "SECRETKEY-123"
	conn := &script{}
	conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		r := connectors.Fail(connectors.CodeAuthInvalid, "The shop refused the key "+cfg.Values["api_key"]+".", "Copy the key again.")
		r.Technical = append(r.Technical, connectors.Detail{Label: "Request", Value: "GET /api?ws_key=" + cfg.Values["api_key"]})
		return r
	})
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Shop", key)
	s := e.ui.Connections
	s.Reload()
	s.Test("Shop")
	e.loop.until(t, "the test", func() bool { return s.run == nil })
	s.ShowDetails("Shop")
	d := s.Details
	if d == nil || d.reportButton == nil {
		t.Fatal("no Copy a report")
	}
	test.Tap(d.reportButton)
	got := e.ui.App.Clipboard().Content()
	for _, want := range []string{"Connection: Shop", "Platform: Test Shop, Cloud", "Status: Failed: ", "Code: auth_invalid", "Request: GET /api?ws_key="} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, key) || strings.Contains(got, key[:8]) {
		t.Errorf("the report holds the key:\n%s", got)
	}
	if d.adminButton != nil {
		t.Error("Test Shop declares no admin address, yet one is offered")
	}
}

func TestOpenTheStoresAdmin(t *testing.T) {
	conn := &script{}
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{ID: "adminshop", Title: "Admin Shop", New: func() connectors.Connector { return conn },
		Fields: []connectors.Field{
			{Key: "store_url", Label: "Shop address", Kind: connectors.KindURL, Required: true, Address: true},
			{Key: "api_key", Label: "API key", Kind: connectors.KindSecret, Required: true},
		},
		AdminURL: func(v connectors.Values) string { return "https://" + v.String("store_url") + "/admin" },
	})
	e := newEnv(t, reg, conn)
	if _, err := e.store.Save(vault.Connection{Name: "Shop", App: "adminshop", Values: connectors.Values{"store_url": "shop.example", "mode": "cloud"}},
		connectors.Values{"api_key": "KEY"}, vault.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	s := e.ui.Connections
	s.Reload()
	s.Test("Shop")
	e.loop.until(t, "the test", func() bool { return s.run == nil })
	var opened []string
	s.openAddress = func(address string) { opened = append(opened, address) }
	s.ShowDetails("Shop")
	if s.Details.adminButton == nil {
		t.Fatal("no Open the store's admin")
	}
	test.Tap(s.Details.adminButton)
	if !slices.Equal(opened, []string{"https://shop.example/admin"}) {
		t.Errorf("opened %v", opened)
	}
}

func TestACutNameShowsWholeOnHoverAndNamesGetTheSpareRoom(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	long := "Magento token for the European store, production"
	saveDirect(t, e, long, "KEY")
	saveDirect(t, e, "Short", "KEY")
	s := e.ui.Connections
	s.Reload()
	e.ui.Window.Resize(fyne.NewSize(640, 480))
	s.table.Refresh()
	if need := s.statusesWidth(); s.widths[ColumnStatus] != max(need, s.natural.statusHeader) {
		t.Errorf("Status is %v px wide for statuses that need %v: the spare room goes to Name", s.widths[ColumnStatus], need)
	}
	cut := cellOf(t, s, long, ColumnName)
	if cut.label.Truncation == fyne.TextTruncateOff {
		t.Fatalf("at 640 px %q fits in %v px: make it longer", long, s.widths[ColumnName])
	}
	cut.MouseIn(&desktop.MouseEvent{})
	if got := s.FullNameShown(); got != long {
		t.Errorf("hovering a cut name shows %q", got)
	}
	cut.MouseOut()
	if got := s.FullNameShown(); got != "" {
		t.Errorf("the name stays after the pointer left: %q", got)
	}
	cellOf(t, s, "Short", ColumnName).MouseIn(&desktop.MouseEvent{})
	if got := s.FullNameShown(); got != "" {
		t.Errorf("a whole name needs no pop-up, got %q", got)
	}
}
