package app

// notices.go: when a saved connection starts or stops failing, or gains a
// warning, Storelink says so with a desktop notification (one per
// connection per change, one summary for a burst of more than
// summaryOver), and the window's title counts those failing. Changes are
// heard from the engine's announcements, whoever ran the test (a pane,
// Test all, the schedule, another process).

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

const (
	// burstWindow gathers the changes that arrive together (Test all, a
	// scheduled round) into one notice when there are many.
	burstWindow = 2 * time.Second
	summaryOver = 3
)

// known is what the notices remember of a saved resource's last test.
type known struct {
	state    engine.State
	code     connectors.Code // why it failed, when it did
	warnings map[string]bool // the codes of its warnings
}

func knownOf(c vault.Connection) known {
	st := engine.Status(c.Last)
	k := known{state: st.State}
	if st.State == engine.StateFailed {
		k.code = st.Code
	}
	for _, w := range st.Warnings {
		if k.warnings == nil {
			k.warnings = map[string]bool{}
		}
		k.warnings[string(w.Code)] = true
	}
	return k
}

// tested says whether the state is a test's outcome (not "not tested" or
// "saved unverified"): only a move between those is a change to announce.
func (k known) tested() bool { return k.state != engine.StateUnverified && k.state != "" }

// notice is one change to announce.
type notice struct {
	kind, name string
	before     known
	now        engine.StatusInfo
}

type notices struct {
	u    *UI
	last map[string]known // by kind + "\x00" + name
	// ready is set once the saved resources were read a first time.
	ready   bool
	pending []notice
	// send shows a notification (the app's SendNotification; tests record
	// them); after calls f once d has passed (time.AfterFunc; tests fire it).
	send  func(*fyne.Notification)
	after func(d time.Duration, f func())
}

func newNotices(u *UI) *notices {
	return &notices{u: u, last: map[string]known{}, send: u.App.SendNotification,
		after: func(d time.Duration, f func()) { time.AfterFunc(d, f) }}
}

func noticeKey(kind, name string) string { return kind + "\x00" + name }

// start reads what is saved, off the UI goroutine, then hears every change.
func (n *notices) start() {
	go func() {
		seen := map[string]known{}
		for _, kind := range n.u.eng.KindIDs() {
			list, err := n.u.eng.Of(kind).List()
			if err != nil {
				n.u.log.WithError(err).Warn("the notices could not read the saved resources")
				continue
			}
			for _, c := range list {
				seen[noticeKey(kind, c.Name)] = knownOf(c)
			}
		}
		n.u.post(func() {
			for k, v := range seen {
				if _, ok := n.last[k]; !ok {
					n.last[k] = v
				}
			}
			n.ready = true
			n.u.updateTitle()
		})
	}()
	listen(n.u.runContext(), n.u.eng, n.u.post, n.changed)
}

// changed runs on the UI goroutine for every change the engine announces.
func (n *notices) changed(ch engine.Change) {
	r := n.u.eng.Of(ch.Kind)
	switch ch.Op {
	case engine.Deleted:
		delete(n.last, noticeKey(ch.Kind, ch.Name))
	case engine.Renamed:
		if v, ok := n.last[noticeKey(ch.Kind, ch.OldName)]; ok {
			delete(n.last, noticeKey(ch.Kind, ch.OldName))
			n.last[noticeKey(ch.Kind, ch.Name)] = v
		}
	case engine.Created, engine.Saved:
		// Saved by hand, in front of the user: the new state is the baseline.
		if ch.OldName != "" {
			delete(n.last, noticeKey(ch.Kind, ch.OldName))
		}
		if c, err := r.Get(ch.Name); err == nil {
			n.last[noticeKey(ch.Kind, ch.Name)] = knownOf(c)
		}
	case engine.Recorded:
		if c, err := r.Get(ch.Name); err == nil {
			n.compare(ch.Kind, c)
		}
	case engine.Reloaded:
		list, err := r.List()
		if err != nil {
			break
		}
		names := map[string]bool{}
		for _, c := range list {
			names[c.Name] = true
			n.compare(ch.Kind, c)
		}
		for k := range n.last {
			if kind, name, _ := strings.Cut(k, "\x00"); kind == ch.Kind && !names[name] {
				delete(n.last, k)
			}
		}
	}
	n.u.updateTitle()
}

// compare remembers c's state and queues a notice when it changed.
func (n *notices) compare(kind string, c vault.Connection) {
	key := noticeKey(kind, c.Name)
	before, had := n.last[key]
	now := knownOf(c)
	n.last[key] = now
	if !had || !before.tested() || !now.tested() {
		return
	}
	newWarning := false
	for code := range now.warnings {
		newWarning = newWarning || !before.warnings[code]
	}
	newReason := now.state == engine.StateFailed && before.state == engine.StateFailed && now.code != before.code
	if now.state == before.state && !(now.state == engine.StateWarning && newWarning) && !newReason {
		return
	}
	for i, p := range n.pending { // a second change of the same one in a burst: the latest says it
		if p.kind == kind && p.name == c.Name {
			n.pending[i].now = engine.Status(c.Last)
			return
		}
	}
	if len(n.pending) == 0 {
		n.after(burstWindow, func() { n.u.post(n.flush) })
	}
	n.pending = append(n.pending, notice{kind: kind, name: c.Name, before: before, now: engine.Status(c.Last)})
}

// flush sends the burst's notices: one each, or one summary for many;
// while a run of many tests (Test all, a scheduled round) goes on, the
// burst waits for its end, so one run gives at most one summary.
func (n *notices) flush() {
	if n.u.eng.RunsUnderway() && len(n.pending) > 0 {
		n.after(burstWindow, func() { n.u.post(n.flush) })
		return
	}
	burst := n.pending
	n.pending = nil
	if len(burst) == 0 || !n.u.notificationsOn() {
		return
	}
	if len(burst) > summaryOver {
		n.send(summaryNotice(burst))
		return
	}
	for _, c := range burst {
		n.send(c.notification(n.u.kind(c.kind)))
	}
}

func (c notice) notification(d *descriptor) *fyne.Notification {
	noun := "connection"
	if d != nil {
		noun = d.noun
	}
	switch c.now.State {
	case engine.StateFailed:
		if c.before.state == engine.StateFailed {
			return fyne.NewNotification(fmt.Sprintf("%s fails for another reason", c.name),
				fmt.Sprintf("The %s %s still fails, now for another reason (%s). Open Storelink to see why and what to do.", noun, c.name, c.now.Words))
		}
		return fyne.NewNotification(fmt.Sprintf("%s failed", c.name),
			fmt.Sprintf("The %s %s failed its last test (%s). Open Storelink to see why and what to do.", noun, c.name, c.now.Words))
	case engine.StateWarning:
		return fyne.NewNotification(fmt.Sprintf("%s has a warning", c.name),
			fmt.Sprintf("The %s %s passed its last test with a new warning: %s. Open Storelink to read it.", noun, c.name, warningWords(c.now)))
	}
	return fyne.NewNotification(fmt.Sprintf("%s works again", c.name),
		fmt.Sprintf("The %s %s passed its last test (%s).", noun, c.name, c.now.Words))
}

func warningWords(st engine.StatusInfo) string {
	words := make([]string, 0, len(st.Warnings))
	for _, w := range st.Warnings {
		words = append(words, w.Message)
	}
	return strings.Join(words, "; ")
}

// summaryNotice names how many failed and how many recovered in the burst.
func summaryNotice(burst []notice) *fyne.Notification {
	var failed, fine []string
	for _, c := range burst {
		if c.now.State == engine.StateFailed {
			failed = append(failed, c.name)
		} else {
			fine = append(fine, c.name)
		}
	}
	sort.Strings(failed)
	sort.Strings(fine)
	var parts []string
	if len(failed) > 0 {
		parts = append(parts, fmt.Sprintf("%d now failing (%s)", len(failed), strings.Join(failed, ", ")))
	}
	if len(fine) > 0 {
		parts = append(parts, fmt.Sprintf("%d passing again or with a new warning (%s)", len(fine), strings.Join(fine, ", ")))
	}
	return fyne.NewNotification(fmt.Sprintf("%d connections changed", len(burst)),
		fmt.Sprintf("The last tests changed %d connections: %s. Open Storelink to see them.", len(burst), strings.Join(parts, "; ")))
}

// failing counts the saved resources whose last test failed.
func (n *notices) failing() int {
	count := 0
	for _, v := range n.last {
		if v.state == engine.StateFailed {
			count++
		}
	}
	return count
}

// windowTitle is "Storelink", or "Storelink — 2 failing" when some fail.
func windowTitle(failing int) string {
	if failing == 0 {
		return "Storelink"
	}
	return fmt.Sprintf("Storelink — %d failing", failing)
}

func (u *UI) updateTitle() {
	if t := windowTitle(u.notices.failing()); u.Window.Title() != t {
		u.Window.SetTitle(t)
	}
}
