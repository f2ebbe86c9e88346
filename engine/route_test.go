package engine_test

// route_test.go: a test through an agent says which agent (and which jump
// agents before it) carried it, and a direct one names none.

import (
	"context"
	"testing"

	"storelink/agents/sshtest"
	"storelink/connectors"
	"storelink/engine"
)

func route(r connectors.Result) (string, bool) {
	for _, d := range r.Technical {
		if d.Label == engine.DetailAgent {
			return d.Value, true
		}
	}
	return "", false
}

func TestAResultThroughAnAgentNamesTheAgentAndItsHops(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	inside := office(t, f)
	jump := sshtest.Start(t, sshtest.Options{Passwords: map[string]string{"shop": agentPassword},
		Hosts: map[string]string{"office.internal:22": inside.Addr()}})
	if _, err := f.eng.SaveAgent(ctx, agentDraft(jump, "Jump"), engine.AgentSaveOptions{AcceptHostKey: jump.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	d := engine.Draft{Values: connectors.Values{"name": "Office", "host": "office.internal", "port": "22", "via": "Jump",
		"user": "shop", "auth": "password", "password": agentPassword}}
	if out, err := f.eng.SaveAgent(ctx, d, engine.AgentSaveOptions{AcceptHostKey: inside.Fingerprint()}); err != nil || !out.Saved {
		t.Fatalf("Office through Jump: %v %+v", err, out.Result)
	}
	behind := engine.Draft{App: "demo", Values: connectors.Values{"name": "Behind", "url": "http://shop.internal", "api_key": goodKey,
		"mode": "on-premise", "agent": "Office"}}
	out, err := f.eng.Create(ctx, behind, engine.SaveOptions{})
	if err != nil || !out.Result.OK {
		t.Fatalf("on-premise create: %v %+v", err, out.Result)
	}
	if got, _ := route(*out.Result); got != "Office (via Jump)" {
		t.Errorf("the result says it went through %q, want \"Office (via Jump)\"", got)
	}
	// A failure through the agent names it too: the owner knows where to look.
	behind.Values["api_key"] = "wrong-key-0123456789"
	r := f.eng.Test(ctx, engine.Checked{Info: out.Checked.Info, Name: "Behind", Values: behind.Values}, engine.TestOptions{})
	if got, _ := route(r); r.OK || got != "Office (via Jump)" {
		t.Errorf("a failure through the agent: ok %v, through %q", r.OK, got)
	}

	direct := f.create("Direct")
	if r := f.eng.TestSaved(ctx, direct.Name, engine.TestOptions{}).Result; !r.OK {
		t.Fatalf("direct: %s %s", r.Code, r.Message)
	} else if got, ok := route(r); ok {
		t.Errorf("a direct test names an agent: %q", got)
	}
}
