package engine

// concurrency.go: which concurrency group a connection's requests count
// against. A connection has its own level, or borrows the level of another
// connection of the same platform (the same store reached with two keys);
// chains resolve to the root lender.

import (
	"errors"
	"fmt"
	"strings"

	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// checkLender refuses a lender that does not exist, is of another platform,
// or would close a circle. Check asks it early against the saved file, for
// a quick answer; Save asks it again inside the vault's lock, against the
// file as the save leaves it, so two edits at once cannot save a circle.
func (e *Engine) checkLender(info connectors.Info, name, lender string) error {
	return checkLender(info, name, lender, func(name string) (vault.Connection, bool, error) {
		c, err := e.d.Store.Get(name)
		if errors.Is(err, vault.ErrNotFound) {
			return c, false, nil
		}
		return c, err == nil, err
	})
}

// lenderCheck is checkLender for vault.SaveOptions.Check.
func lenderCheck(info connectors.Info, name, lender string) func(func(string) (vault.Connection, bool)) error {
	return func(lookup func(string) (vault.Connection, bool)) error {
		return checkLender(info, name, lender, func(name string) (vault.Connection, bool, error) {
			c, ok := lookup(name)
			return c, ok, nil
		})
	}
}

func checkLender(info connectors.Info, name, lender string, lookup func(name string) (vault.Connection, bool, error)) error {
	bad := func(format string, a ...any) error {
		return &InputError{[]connectors.FieldError{{Key: connectors.FieldBorrowFrom, Label: "Borrow concurrency from", Message: fmt.Sprintf(format, a...)}}}
	}
	chain := []string{name}
	for cur := lender; cur != ""; {
		for _, seen := range chain {
			if names.Equal(seen, cur) {
				return bad("borrowing would go round in a circle (%s); choose a connection that has its own level", strings.Join(append(chain, cur), " → "))
			}
		}
		c, ok, err := lookup(cur)
		if err != nil {
			return err
		}
		if !ok {
			return bad("no saved connection is called %q", cur)
		}
		if c.App != info.ID {
			return bad("%q is a %s connection; only a connection of the same platform (%s) can lend its level", c.Name, c.App, info.Title)
		}
		chain = append(chain, c.Name)
		cur = c.Values.String(connectors.FieldBorrowFrom)
	}
	return nil
}

// checkAgent refuses an on-premise connection whose agent is not saved, as
// checkLender refuses a missing lender; the agent is kept as it is saved.
func (e *Engine) checkAgent(values connectors.Values) error {
	if values.String(connectors.FieldMode) != connectors.ModeOnPremise {
		return nil
	}
	bad := func(format string, a ...any) error {
		return &InputError{[]connectors.FieldError{{Key: connectors.FieldAgent, Label: "Agent", Message: fmt.Sprintf(format, a...)}}}
	}
	agent := values.String(connectors.FieldAgent)
	if agent == "" {
		return bad("required for On-premise; choose the agent that reaches the store (add one with storelink agent create or under Resources > Agents)")
	}
	saved, err := e.d.Store.Agents()
	if err != nil {
		return err
	}
	for _, a := range saved {
		if names.Equal(a, agent) {
			values[connectors.FieldAgent] = a
			return nil
		}
	}
	if len(saved) == 0 {
		return bad("no saved agent is called %q, and no agent is saved yet; add it with storelink agent create or under Resources > Agents first", agent)
	}
	return bad("no saved agent is called %q; choose one of %s", agent, quoteAll(saved))
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// slot is the group a test of name with values counts against: its own, or
// its root lender's. note says why it fell back to its own level.
func (e *Engine) slot(id, name string, values connectors.Values) (slot connectors.Slot, note string) {
	slot = connectors.Slot{Limiter: e.d.Limiter, Group: id, Level: values.Int(connectors.FieldConcurrency, 1)}
	if id == "" {
		slot.Group = "draft:" + strings.ToLower(name)
		if c, err := e.d.Store.Get(name); err == nil {
			slot.Group = c.ID // an edit shares the saved connection's group
		}
	}
	seen := map[string]bool{strings.ToLower(name): true}
	for lender := values.String(connectors.FieldBorrowFrom); lender != ""; {
		c, err := e.d.Store.Get(lender)
		if err != nil || seen[strings.ToLower(c.Name)] {
			return slot, fmt.Sprintf("The connection %q it borrows its concurrency level from no longer exists (or borrows in a circle); this test used its own level, %d.", lender, slot.Level)
		}
		seen[strings.ToLower(c.Name)] = true
		slot.Group, slot.Level = c.ID, c.Values.Int(connectors.FieldConcurrency, 1)
		lender = c.Values.String(connectors.FieldBorrowFrom)
	}
	return slot, ""
}
