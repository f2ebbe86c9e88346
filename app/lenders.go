package app

// lenders.go: what a pane's run-time lists offer. "Borrow concurrency
// from" lists only the connections that can lend to this one: the same
// platform, not itself, and none whose own borrowing leads back to it
// (that would go round in a circle, which the engine refuses).

import (
	"storelink/connectors"
	"storelink/engine"
	namerule "storelink/names" // app tests have a helper called names
	"storelink/vault"
)

// paneChoices fills the run-time lists of a pane of the application app
// editing the saved one editing ("" for a new one).
func (u *UI) paneChoices(app, editing string) func(string) []string {
	return func(source string) []string {
		if source != connectors.ChoicesConnections || app == "" {
			return u.eng.Choices(source, editing)
		}
		cs, err := u.eng.Of(engine.KindConnection).List()
		if err != nil {
			u.log.WithError(err).Warn("cannot list connections")
		}
		return lenders(cs, app, editing)
	}
}

// lenders are the names of the connections in cs that can lend to a
// connection of app saved as editing.
func lenders(cs []vault.Connection, app, editing string) []string {
	byName := map[string]vault.Connection{}
	for _, c := range cs {
		byName[namerule.Key(c.Name)] = c
	}
	var out []string
	for _, c := range cs {
		if c.App != app || (editing != "" && (namerule.Equal(c.Name, editing) || borrowsFrom(c, editing, byName))) {
			continue
		}
		out = append(out, c.Name)
	}
	return out
}

// borrowsFrom reports whether c's chain of lenders reaches name.
func borrowsFrom(c vault.Connection, name string, byName map[string]vault.Connection) bool {
	for range len(byName) + 1 { // a chain visits each connection once at most
		next := c.Values.String(connectors.FieldBorrowFrom)
		if next == "" {
			return false
		}
		if namerule.Equal(next, name) {
			return true
		}
		var ok bool
		if c, ok = byName[namerule.Key(next)]; !ok {
			return false
		}
	}
	return false
}
