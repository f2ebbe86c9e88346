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

// StatusSince is when c's current state began: as its last verification
// recorded it, else (recorded before Storelink kept it) the first test of
// the newest run of equal outcomes in its history, or its last
// verification's time when the history has none or its newest test is not
// the state c shows (saved unverified, a history set aside); the zero time
// when it was never tested.
func (r Resources) StatusSince(c vault.Connection) time.Time {
	if c.Last != nil && !c.Last.Unverified && c.Last.Since != nil {
		return *c.Last.Since
	}
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
// when, and the state before it ("" when none).
type Lasted struct {
	Since  time.Time
	Before State
}

// Lasted is, by ID, how long the state of each resource of cs (as just
// listed) has lasted: as their last verifications recorded it, and for
// those recorded before Storelink kept it from their histories, read under
// one lock without reading the saved resources again. One never tested,
// saved unverified or (without a recorded start) with no finished test in
// its history is left out; an engine that keeps no history says nothing
// of how long states last.
func (r Resources) Lasted(cs []vault.Connection) map[string]Lasted {
	out := make(map[string]Lasted, len(cs))
	if r.e.d.History.Dir == "" {
		return out
	}
	var old []vault.Connection
	for _, c := range cs {
		switch {
		case c.Last == nil || c.Last.Unverified:
		case c.Last.Since != nil:
			out[c.ID] = Lasted{Since: *c.Last.Since, Before: State(c.Last.Before)}
		default:
			old = append(old, c)
		}
	}
	if len(old) == 0 {
		return out
	}
	ids := make([]string, len(old))
	for i, c := range old {
		ids[i] = c.ID
	}
	states, err := r.e.d.History.States(r.k.ID, ids)
	if err != nil {
		r.e.d.Log.WithError(err).Warn("cannot read some test histories")
	}
	for _, c := range old {
		st, ok := states[c.ID]
		if !ok {
			continue
		}
		if st.Latest == outcomeOfLast(*c.Last) {
			out[c.ID] = Lasted{Since: st.Since, Before: stateOfOutcome(st.Before)}
			continue
		}
		// the history does not end in the state c shows (a history set
		// aside): the state began with its last verification
		l := Lasted{Since: c.Last.At}
		if st.LatestAt.Before(c.Last.At) {
			l.Before = stateOfOutcome(st.Latest)
		}
		out[c.ID] = l
	}
	return out
}

// followLast is what next, a test's verification recorded over prev (the
// saved one; nil: none), says of how long its state has lasted: prev's
// state goes on with prev's start and state before (none when prev was
// recorded before Storelink kept them: the history tells), another begins
// at next's time after prev's state. An unverified one has neither.
func followLast(prev *vault.Verification, next vault.Verification) vault.Verification {
	next.Since, next.Before = nil, ""
	if next.Unverified {
		return next
	}
	now, was := Status(&next).State, testedState(prev)
	if now == was {
		if prev.Since != nil {
			since := *prev.Since
			next.Since = &since
		}
		next.Before = prev.Before
		return next
	}
	at := next.At
	next.Since, next.Before = &at, string(was)
	return next
}

// testedState is the state the test recorded in v left: "" when never
// tested or saved unverified.
func testedState(v *vault.Verification) State {
	if v == nil || v.Unverified {
		return ""
	}
	return Status(v).State
}

// stateOfOutcome is the state a history's outcome stands for ("" for none).
func stateOfOutcome(o string) State {
	switch o {
	case vault.OutcomePassed:
		return StateVerified
	case vault.OutcomeWarned:
		return StateWarning
	case vault.OutcomeFailed:
		return StateFailed
	}
	return ""
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
