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

// Lasted is how long a saved resource's current state has lasted: since
// when, and the state before it (an outcome; "" when none).
type Lasted struct {
	Since  time.Time
	Before string
}

// Lasted is, by ID, how long the state of each resource of cs (as just
// listed) has lasted, from their histories, read under one lock without
// reading the saved resources again; one never tested, saved unverified or
// with no finished test in its history is left out.
func (r Resources) Lasted(cs []vault.Connection) map[string]Lasted {
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.Last != nil && !c.Last.Unverified {
			ids = append(ids, c.ID)
		}
	}
	states, err := r.e.d.History.States(r.k.ID, ids)
	if err != nil {
		r.e.d.Log.WithError(err).Warn("cannot read some test histories")
	}
	out := make(map[string]Lasted, len(states))
	for _, c := range cs {
		st, ok := states[c.ID]
		if !ok || c.Last == nil || c.Last.Unverified {
			continue
		}
		if st.Latest == outcomeOfLast(*c.Last) {
			out[c.ID] = Lasted{Since: st.Since, Before: st.Before}
			continue
		}
		// the history does not end in the state c shows (a history set
		// aside): the state began with its last verification
		l := Lasted{Since: c.Last.At}
		if st.LatestAt.Before(c.Last.At) {
			l.Before = st.Latest
		}
		out[c.ID] = l
	}
	return out
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
