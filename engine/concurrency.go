package engine

// concurrency.go: a connection's references (the lender it borrows its
// concurrency level from, its on-premise agent) and which concurrency group
// its requests count against. A connection has its own level, or borrows the
// level of another connection of the same platform (the same store reached
// with two keys); chains resolve to the root lender.

import (
	"fmt"
	"strings"

	"storelink/connectors"
)

// lenderRef is borrow_concurrency_from: another connection of the same
// platform, whose own lender is followed to the root. Check follows it
// against the saved file for a quick answer; Save follows it again inside
// the vault's lock, against the file as the save leaves it, so two edits at
// once cannot save a circle.
func lenderRef() Ref {
	return Ref{Field: connectors.FieldBorrowFrom, To: KindConnection, Follow: true, SameApp: true,
		OtherApp: "{name} is a {app} connection; only a connection of the same platform ({title}) can lend its level",
		Circle:   "borrowing would go round in a circle ({chain}); choose a connection that has its own level"}
}

// agentRef is an on-premise connection's agent, kept as it is saved.
func agentRef() Ref {
	return Ref{Field: connectors.FieldAgent, To: KindAgent, When: onPremise, Missing: func(name string, saved []string) string {
		if len(saved) == 0 {
			return fmt.Sprintf("no saved agent is called %q, and no agent is saved yet; add it with storelink agent create or under Resources > Agents first", name)
		}
		return fmt.Sprintf("no saved agent is called %q; choose one of %s", name, quoteAll(saved))
	}}
}

func onPremise(values connectors.Values) bool {
	return values.String(connectors.FieldMode) == connectors.ModeOnPremise
}

// checkOnPremise refuses an on-premise connection without an agent.
func (e *Engine) checkOnPremise(c *Checked) error {
	if !onPremise(c.Values) || c.Values.String(connectors.FieldAgent) != "" {
		return nil
	}
	return &InputError{[]connectors.FieldError{{Key: connectors.FieldAgent, Label: "Agent",
		Message: "required for On-premise; choose the agent that reaches the store (add one with storelink agent create or under Resources > Agents)"}}}
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// slot is the group a test counts against: its own, or its root lender's.
// note says why it fell back to its own level.
func (e *Engine) slot(run TestRun) (slot connectors.Slot, note string) {
	slot = connectors.Slot{Limiter: e.d.Limiter, Group: run.ID, Level: run.Values.Int(connectors.FieldConcurrency, 1)}
	if run.ID == "" {
		slot.Group = "draft:" + strings.ToLower(run.Name)
		if c, err := e.d.Store.Get(run.Name); err == nil {
			slot.Group = c.ID // an edit shares the saved connection's group
		}
	}
	lenders, err := e.follow(walk{ref: lenderRef(), from: run.Checked, find: e.lookup})
	if err != nil {
		return slot, fmt.Sprintf("The connection %q it borrows its concurrency level from no longer exists (or borrows in a circle); this test used its own level, %d.",
			run.Values.String(connectors.FieldBorrowFrom), slot.Level)
	}
	if n := len(lenders); n > 0 {
		slot.Group, slot.Level = lenders[n-1].ID, lenders[n-1].Values.Int(connectors.FieldConcurrency, 1)
	}
	return slot, ""
}
