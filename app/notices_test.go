package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// noticeEnv is a window with the named connections saved and tested once
// (passing), whose notifications and burst timer the test holds.
type noticeEnv struct {
	*env
	sent   []*fyne.Notification
	bursts []func()
	fail   map[string]bool
	reason connectors.Code // of a failure; "" is auth_invalid
}

func newNoticeEnv(t *testing.T, names ...string) *noticeEnv {
	conn := &script{}
	n := &noticeEnv{env: newEnv(t, testRegistry(conn), conn), fail: map[string]bool{}}
	conn.set(func(_ context.Context, cfg connectors.Config) connectors.Result {
		n.loop.mu.Lock() // fail is set by the test goroutine between tests
		defer n.loop.mu.Unlock()
		if n.fail[cfg.Name] && n.reason == connectors.CodeAPIDisabled {
			return connectors.Fail(connectors.CodeAPIDisabled, "The shop's webservice is switched off.", "Switch it on in the back office.")
		}
		if n.fail[cfg.Name] {
			return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "Copy the key again.")
		}
		return connectors.Success("Connected.")
	})
	for _, name := range names {
		c := vault.Connection{Name: name, App: "testshop", Values: connectors.Values{"store_url": strings.ToLower(name) + ".example", "method": "hmac"}}
		if _, err := n.store.Save(c, connectors.Values{"api_key": "k-" + name}, vault.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	no := n.ui.notices
	n.loop.until(t, "the notices to read the saved connections", func() bool { return no.ready })
	no.send = func(x *fyne.Notification) { n.sent = append(n.sent, x) }
	no.after = func(d time.Duration, f func()) {
		if d != burstWindow {
			t.Errorf("the burst lasts %v", d)
		}
		n.bursts = append(n.bursts, f)
	}
	n.testAll(names...) // the first outcomes: the baseline, nothing to announce
	n.endBurst()
	if len(n.sent) != 0 {
		t.Fatalf("first tests announced %v", n.sent)
	}
	return n
}

func (n *noticeEnv) setFailing(names ...string) {
	n.loop.mu.Lock()
	defer n.loop.mu.Unlock()
	n.fail = map[string]bool{}
	for _, name := range names {
		n.fail[name] = true
	}
}

// testAll tests the names as Test all does and lets the window hear of it.
func (n *noticeEnv) testAll(names ...string) {
	n.eng.Of(engine.KindConnection).TestMany(context.Background(), names, engine.TestOptions{}, nil)
	n.loop.runPending()
}

// endBurst fires the burst timer as time.AfterFunc would.
func (n *noticeEnv) endBurst() {
	for _, f := range n.bursts {
		f()
	}
	n.bursts = nil
	n.loop.runPending()
}

func noticeTexts(ns []*fyne.Notification) []string {
	var out []string
	for _, x := range ns {
		out = append(out, x.Title+": "+x.Content)
	}
	return out
}

func TestANoticeForEachChangeOfStateAndNoneWithout(t *testing.T) {
	n := newNoticeEnv(t, "Alpha", "Beta")
	if got := n.ui.Window.Title(); got != "Storelink" {
		t.Errorf("nothing failing: the title is %q", got)
	}
	n.setFailing("Alpha")
	n.testAll("Alpha", "Beta")
	if len(n.sent) != 0 {
		t.Error("the notice waits for the end of the burst")
	}
	if got := n.ui.Window.Title(); got != "Storelink — 1 failing" {
		t.Errorf("the title counts at once: %q", got)
	}
	n.endBurst()
	if got := noticeTexts(n.sent); len(got) != 1 || !strings.HasPrefix(got[0], "Alpha failed: The connection Alpha failed its last test") {
		t.Fatalf("one notice for Alpha, none for Beta: %q", got)
	}
	// The same outcome again is no change: nothing to say.
	n.sent = nil
	n.testAll("Alpha", "Beta")
	n.endBurst()
	if len(n.sent) != 0 {
		t.Errorf("a test that changed nothing announced %q", noticeTexts(n.sent))
	}
	// Alpha works again.
	n.setFailing()
	n.testAll("Alpha")
	n.endBurst()
	if got := noticeTexts(n.sent); len(got) != 1 || !strings.HasPrefix(got[0], "Alpha works again") {
		t.Errorf("the recovery: %q", got)
	}
	if got := n.ui.Window.Title(); got != "Storelink" {
		t.Errorf("nothing failing again: %q", got)
	}
}

func TestNoNoticeWhenTheSettingIsOff(t *testing.T) {
	n := newNoticeEnv(t, "Alpha")
	n.ui.ShowPreferences()
	n.ui.prefs.notices.SetChecked(false)
	n.setFailing("Alpha")
	n.testAll("Alpha")
	n.endBurst()
	if len(n.sent) != 0 {
		t.Errorf("notifications off, yet %q", noticeTexts(n.sent))
	}
	if got := n.ui.Window.Title(); got != "Storelink — 1 failing" {
		t.Errorf("the title still counts: %q", got)
	}
}

func TestOneSummaryForABurstOfChanges(t *testing.T) {
	names := []string{"A1", "A2", "A3", "A4", "A5"}
	n := newNoticeEnv(t, names...)
	n.setFailing(names...)
	n.testAll(names...)
	if len(n.bursts) != 1 {
		t.Fatalf("one burst timer for the run, got %d", len(n.bursts))
	}
	n.endBurst()
	got := noticeTexts(n.sent)
	if len(got) != 1 || !strings.HasPrefix(got[0], "5 connections changed") || !strings.Contains(got[0], "5 now failing (A1, A2, A3, A4, A5)") {
		t.Fatalf("one summary: %q", got)
	}
	if got := n.ui.Window.Title(); got != "Storelink — 5 failing" {
		t.Errorf("title %q", got)
	}
}

func TestTheScheduleFollowsThePreference(t *testing.T) {
	n := newNoticeEnv(t)
	var started []time.Duration
	stopped := 0
	stops := make(chan struct{}, 10)
	n.ui.prefs.start = func(every time.Duration) func() {
		started = append(started, every)
		return func() { stops <- struct{}{} }
	}
	count := func() int { // the stops so far; the window's end stops from its own goroutine
		for {
			select {
			case <-stops:
				stopped++
			default:
				return stopped
			}
		}
	}
	if n.ui.scheduleHours() != 0 {
		t.Error("a new user's schedule is off")
	}
	// Offered once in the empty state.
	offer := n.ui.prefs.offer
	if offer == nil || !offer.Visible() {
		t.Fatal("the empty state offers a schedule")
	}
	test.Tap(n.ui.prefs.offerButton)
	if fmt.Sprint(started) != "[6h0m0s]" || offer.Visible() {
		t.Fatalf("the offer starts a 6-hour schedule and goes: %v, visible %v", started, offer.Visible())
	}
	n.ui.ShowPreferences()
	n.ui.prefs.interval.SetSelected("Every 12 hours")
	if fmt.Sprint(started) != "[6h0m0s 12h0m0s]" || count() != 1 {
		t.Errorf("a new interval stops the old schedule: started %v, stopped %d", started, stopped)
	}
	n.ui.prefs.interval.SetSelected("Off")
	if len(started) != 2 || count() != 2 {
		t.Errorf("off stops it: started %v, stopped %d", started, stopped)
	}
	n.ui.prefs.interval.SetSelected("Every hour")
	n.ui.Window.Close()
	select {
	case <-stops:
		stopped++
	case <-time.After(20 * time.Second): // guards a hang only
	}
	if count() != 3 {
		t.Errorf("closing the window stops the schedule: %d", stopped)
	}
	// A window opened later starts the saved schedule, and offers none.
	u := newUI(n.ui.App, n.eng, n.loop.do)
	defer u.Window.Close()
	u.prefs.mu.Lock()
	running := u.prefs.stopNow != nil
	u.prefs.mu.Unlock()
	if !running {
		t.Error("a window opened later starts the saved schedule")
	}
	if u.prefs.offer != nil || u.scheduleHours() != 1 {
		t.Errorf("chosen once: no offer; hours %d", u.scheduleHours())
	}
}

// A failure whose reason changes (the key is known again, but the
// webservice is now off) is announced: the owner has something new to do.
func TestANoticeWhenAFailureChangesItsReason(t *testing.T) {
	n := newNoticeEnv(t, "Alpha")
	n.setFailing("Alpha")
	n.testAll("Alpha")
	n.endBurst()
	n.sent = nil
	n.loop.mu.Lock()
	n.reason = connectors.CodeAPIDisabled
	n.loop.mu.Unlock()
	n.testAll("Alpha")
	n.endBurst()
	got := noticeTexts(n.sent)
	if len(got) != 1 || !strings.HasPrefix(got[0], "Alpha fails for another reason: The connection Alpha still fails, now for another reason") ||
		!strings.Contains(got[0], connectors.CodeAPIDisabled.Short()) {
		t.Fatalf("one notice of the new reason: %q", got)
	}
	n.sent = nil
	n.testAll("Alpha") // the same reason again: nothing new
	n.endBurst()
	if len(n.sent) != 0 {
		t.Errorf("the same failure again announced %q", noticeTexts(n.sent))
	}
}

// A run of many tests longer than the burst (a slow shop among them) is
// announced once, when it is over: one summary, not one per burst.
func TestOneSummaryForARunLongerThanTheBurst(t *testing.T) {
	names := []string{"Alpha", "Beta", "Gamma", "Delta", "Slow"}
	n := newNoticeEnv(t, names...)
	release := make(chan struct{})
	n.conn.set(func(ctx context.Context, cfg connectors.Config) connectors.Result {
		if cfg.Name == "Slow" {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return connectors.Fail(connectors.CodeAuthInvalid, "The shop does not know this key.", "Copy the key again.")
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.eng.Of(engine.KindConnection).TestMany(context.Background(), names, engine.TestOptions{}, nil)
	}()
	n.loop.until(t, "four outcomes heard", func() bool { return len(n.ui.notices.pending) == 4 })
	n.endBurst() // the burst ends while Slow is still being tested
	if len(n.sent) != 0 {
		t.Fatalf("announced before the run was over: %q", noticeTexts(n.sent))
	}
	close(release)
	<-done
	n.loop.until(t, "Slow's outcome heard", func() bool { return len(n.ui.notices.pending) == 5 })
	n.endBurst()
	if got := noticeTexts(n.sent); len(got) != 1 || !strings.HasPrefix(got[0], "5 connections changed") {
		t.Fatalf("one summary of the whole run: %q", got)
	}
}
