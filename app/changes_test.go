package app

// changes_test.go: one change, made through the engine outside the window,
// shows on every screen it concerns.

import (
	"context"
	"slices"
	"testing"

	"storelink/connectors"
	"storelink/engine"
)

func TestRenamingAnAgentUpdatesTheAgentsListAndTheConnectionsTable(t *testing.T) {
	e := newEnv(t, fetchRegistry(), &script{})
	ctx := context.Background()
	unverified := engine.SaveOptions{NoVerify: true}
	agent := connectors.Values{"name": "Office", "host": "ssh.office.example", "port": "22", "user": "shop", "auth": "password", "password": "pw-0123456789"}
	if _, err := e.eng.SaveAgent(ctx, engine.Draft{Values: agent}, engine.AgentSaveOptions{SaveOptions: unverified}); err != nil {
		t.Fatal(err)
	}
	conn := engine.Draft{App: "fetchshop", Values: connectors.Values{"name": "Behind", "store_url": "http://shop.internal/",
		connectors.FieldMode: connectors.ModeOnPremise, connectors.FieldAgent: "Office"}}
	if _, err := e.eng.Create(ctx, conn, unverified); err != nil {
		t.Fatal(err)
	}
	e.ui.ShowAgents()
	e.ui.ShowConnections()
	agentOf := func() string {
		shown := e.ui.Connections.Shown()
		if len(shown) != 1 {
			return ""
		}
		return shown[0].Values.String(connectors.FieldAgent)
	}
	if got := e.ui.lists[engine.KindAgent].Names(); !slices.Equal(got, []string{"Office"}) || agentOf() != "Office" {
		t.Fatalf("before: agents %v, the connection's agent %q", got, agentOf())
	}

	renamed := agent.Clone()
	renamed["name"] = "Branch"
	if _, err := e.eng.SaveAgent(ctx, engine.Draft{Values: renamed}, engine.AgentSaveOptions{
		SaveOptions: engine.SaveOptions{Editing: "Office", NoVerify: true}}); err != nil {
		t.Fatal(err)
	}
	e.loop.until(t, "both screens to show the new name", func() bool {
		return slices.Equal(e.ui.lists[engine.KindAgent].Names(), []string{"Branch"}) && agentOf() == "Branch"
	})

	// A connection deleted outside the window leaves the table too.
	if err := e.eng.Delete("Behind"); err != nil {
		t.Fatal(err)
	}
	e.loop.until(t, "the table to lose the connection", func() bool { return len(e.ui.Connections.Shown()) == 0 })
}
