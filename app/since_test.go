package app

// since_test.go: the table says how long a state has lasted from what the
// engine recorded with each test, with no history to read.

import (
	"context"
	"os"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/engine"
)

func TestTheTableSaysHowLongAStateLastedWithoutReadingTheHistory(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Shop", "KEY")
	clk := &clock{}
	eng, hist := historyEngine(t, e, clk.now)
	ctx := context.Background()
	clk.set(5 * time.Hour)
	eng.TestMany(ctx, []string{"Shop"}, engine.TestOptions{}, nil)
	conn.set(func(context.Context, connectors.Config) connectors.Result {
		return connectors.Fail(connectors.CodeNotAPI, "The address answered with a login page, not the API.", "Check the shop address.")
	})
	clk.set(3*time.Hour + time.Minute) // "3 h" however long the test takes to run
	eng.TestMany(ctx, []string{"Shop"}, engine.TestOptions{}, nil)
	clk.set(time.Hour)
	eng.TestMany(ctx, []string{"Shop"}, engine.TestOptions{}, nil)
	// The history goes: what the table says now comes from the tests'
	// records alone.
	if err := os.RemoveAll(hist.Dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(hist.Dir, 0o700); err != nil {
		t.Fatal(err)
	}

	u := newUI(e.ui.App, eng, e.loop.do)
	t.Cleanup(func() {
		u.stop()
		u.Window.Close()
	})
	s := u.Connections
	s.Reload()
	e.loop.until(t, "how long states lasted", func() bool { return len(s.lasted) == 1 })
	if got := s.StatusText("Shop"); got != "Failed for 3 h, verified before" {
		t.Errorf("Shop's status %q, want Failed for 3 h, verified before", got)
	}
	if left, err := os.ReadDir(hist.Dir); err != nil || len(left) != 0 {
		t.Errorf("the history folder holds %v (%v), want it empty", left, err)
	}
}
