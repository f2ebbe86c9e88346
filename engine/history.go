package engine

// history.go: reading a saved resource's test history and how long its
// current state has lasted; the recorder in test.go writes it.

import (
	"cmp"
	"time"

	"storelink/connectors"

	"storelink/vault"
)

// History is the tests of the saved resource name, oldest first (at most
// vault.HistoryCap).
func (r Resources) History(name string) ([]vault.HistoryEntry, error) {
	c, err := r.k.Store.Get(name)
	if err != nil {
		return nil, err
	}
	return r.e.d.History.Read(r.k.ID, c.ID)
}

// historyEntry is a finished test in a resource's history; an empty
// trigger is the window's.
func historyEntry(at time.Time, r connectors.Result, trigger string) vault.HistoryEntry {
	return vault.HistoryEntry{Time: at.UTC(), Outcome: vault.OutcomeOf(r), Code: r.Code,
		DurationMS: r.Duration.Milliseconds(), Trigger: cmp.Or(trigger, TriggerWindow)}
}

// StatusSince is when c's current state began: the first test of the
// newest run of equal outcomes in its history, or its last verification's
// time when the history has none or its newest test is not the state c
// shows (saved unverified, a history set aside); the zero time when it
// was never tested.
func (r Resources) StatusSince(c vault.Connection) time.Time {
	es, err := r.e.d.History.Read(r.k.ID, c.ID)
	if err != nil {
		r.e.d.Log.WithError(err).WithField(r.k.ID, c.Name).Warn("cannot read the test history")
	}
	if since := vault.StatusSince(es); !since.IsZero() && c.Last != nil && latestOutcome(es) == outcomeOfLast(*c.Last) {
		return since
	}
	if c.Last != nil {
		return c.Last.At
	}
	return time.Time{}
}

// latestOutcome is the newest outcome in es that is not a cancelled test.
func latestOutcome(es []vault.HistoryEntry) string {
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Outcome != vault.OutcomeCancelled {
			return es[i].Outcome
		}
	}
	return ""
}

// outcomeOfLast is the outcome a saved verification stands for ("" when
// saved unverified).
func outcomeOfLast(v vault.Verification) string {
	switch {
	case v.Unverified:
		return ""
	case v.OK && len(v.Warnings) > 0:
		return vault.OutcomeWarned
	case v.OK:
		return vault.OutcomePassed
	}
	return vault.OutcomeFailed
}
