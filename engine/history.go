package engine

// history.go: reading a saved resource's test history and how long its
// current state has lasted; the recorder in test.go writes it.

import (
	"time"

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

// StatusSince is when c's current state began: the first test of the
// newest run of equal outcomes in its history, or its last verification's
// time when the history has none; the zero time when it was never tested.
func (r Resources) StatusSince(c vault.Connection) time.Time {
	es, err := r.e.d.History.Read(r.k.ID, c.ID)
	if err != nil {
		r.e.d.Log.WithError(err).WithField(r.k.ID, c.Name).Warn("cannot read the test history")
	}
	if since := vault.StatusSince(es); !since.IsZero() {
		return since
	}
	if c.Last != nil {
		return c.Last.At
	}
	return time.Time{}
}
