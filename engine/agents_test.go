package engine_test

// agents_test.go: agents against a real SSH server (sshtest): host keys are
// pinned after the user accepts them, on-premise traffic goes through them,
// and their checks name the field.

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"storelink/agents/sshtest"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

const agentPassword = "agent-p4ss-0123456789"

// office is an SSH server that alone reaches the shop, by a name this
// computer cannot resolve.
func office(t *testing.T, f *fixture) *sshtest.Server {
	t.Helper()
	u, _ := url.Parse(f.shop.URL)
	return sshtest.Start(t, sshtest.Options{
		Passwords: map[string]string{"shop": agentPassword},
		Hosts:     map[string]string{"shop.internal:80": u.Host},
	})
}

func agentDraft(srv *sshtest.Server, name string) engine.Draft {
	return engine.Draft{Values: connectors.Values{"name": name, "host": srv.Host(), "port": strconv.Itoa(srv.Port()),
		"user": "shop", "auth": "password", "password": agentPassword}}
}

func TestAgentsPinTheHostKeyAndCarryOnPremiseTraffic(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	ctx := context.Background()

	// First contact: the host key is unknown, nothing is saved, the
	// fingerprint is shown for the user to accept.
	out, err := f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{})
	if err != nil || out.Saved || out.Result.Code != connectors.CodeHostKeyUnknown || out.HostKey != srv.Fingerprint() {
		t.Fatalf("first contact: %v %+v", err, out)
	}
	if as, _ := f.eng.ListAgents(); len(as) != 0 {
		t.Fatal("nothing is saved before the key is accepted")
	}
	out, err = f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{AcceptHostKey: out.HostKey})
	if err != nil || !out.Saved || out.Agent.Values["host_key"] != srv.Fingerprint() || out.Result.Server.Version != sshtest.DefaultVersion {
		t.Fatalf("accepted: %v %+v", err, out)
	}
	if out.Agent.Values["password"] != "" || strings.Contains(out.Result.Message, agentPassword) {
		t.Error("the password is in the keychain only")
	}

	// An on-premise connection reaches the shop by the agent's name for it.
	d := engine.Draft{App: "demo", Values: connectors.Values{"name": "Behind", "url": "http://shop.internal", "api_key": goodKey,
		"mode": "on-premise", "agent": "Office"}}
	created, err := f.eng.Create(ctx, d, engine.SaveOptions{})
	if err != nil || !created.Saved || !created.Result.OK {
		t.Fatalf("on-premise create: %v %+v", err, created.Result)
	}
	if fw := srv.Forwards(); len(fw) == 0 || fw[0] != "shop.internal:80" {
		t.Errorf("the traffic went through the agent: %v", fw)
	}
	// The SSH server restarts: the next test reconnects.
	srv.Stop()
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if r := f.eng.TestSaved(ctx, "Behind", engine.TestOptions{}).Result; !r.OK {
		t.Errorf("after the SSH server restarted: %s %s", r.Code, r.Message)
	}
	// In use: delete refused naming the connection; rename follows.
	var inUse *vault.InUseError
	if err := f.eng.DeleteAgent("Office"); !errors.As(err, &inUse) || !strings.Contains(err.Error(), "Behind") {
		t.Errorf("delete in use: %v", err)
	}
	if out, err := f.eng.SaveAgent(ctx, engine.Draft{Values: connectors.Values{"name": "HQ"}},
		engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{Editing: "Office", KeepSaved: true}}); err != nil || !out.Saved {
		t.Fatalf("rename: %v %+v", err, out.Result)
	}
	if c, _ := f.store.Get("Behind"); c.Values["agent"] != "HQ" {
		t.Errorf("the connection follows the rename: %v", c.Values)
	}
	// The agent's test by name is recorded.
	got, err := f.eng.TestSavedAgent(ctx, "HQ", engine.TestOptions{})
	if err != nil || !got.Result.OK {
		t.Errorf("test saved agent: %v %+v", err, got.Result)
	}
	// A connection whose agent is gone never goes direct.
	if err := f.eng.Delete("Behind"); err != nil {
		t.Fatal(err)
	}
	if err := f.eng.DeleteAgent("HQ"); err != nil {
		t.Fatal(err)
	}
	d.Values["agent"] = "HQ"
	created, err = f.eng.Create(ctx, d, engine.SaveOptions{NoVerify: true})
	var ie *engine.InputError
	if !errors.As(err, &ie) || ie.Fields[0].Key != connectors.FieldAgent || !strings.Contains(err.Error(), `"HQ"`) || created.Saved {
		t.Errorf("a missing agent is refused before anything is saved: %v %+v", err, created)
	}
	// One whose agent disappeared after the check never goes direct either.
	checked := engine.Checked{Info: created.Checked.Info, Name: "Behind", Values: d.Values}
	if checked.Info.ID == "" {
		checked.Info, _ = f.eng.Registry().Lookup(d.App)
	}
	r := f.eng.Test(ctx, checked, engine.TestOptions{})
	if r.Code != connectors.CodeAgentUnavailable || !strings.Contains(r.Message, "no longer exists") {
		t.Errorf("a vanished agent: %+v", r)
	}
}

func TestAgentChecksAndAChangedHostKey(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	ctx := context.Background()
	var ie *engine.InputError
	d := agentDraft(srv, "Loop")
	d.Values["via"] = "Loop"
	if _, err := f.eng.SaveAgent(ctx, d, engine.AgentSaveOptions{}); !errors.As(err, &ie) || ie.Fields[0].Key != "via" {
		t.Errorf("via itself: %v", err)
	}
	d = agentDraft(srv, "Office")
	delete(d.Values, "password")
	if _, err := f.eng.SaveAgent(ctx, d, engine.AgentSaveOptions{}); !errors.As(err, &ie) || ie.Fields[0].Key != "password" {
		t.Errorf("password auth without a password: %v", err)
	}
	// Pinned to another key: host_key_changed, never accepted silently.
	other := sshtest.Start(t, sshtest.Options{Passwords: map[string]string{"shop": agentPassword}})
	d = agentDraft(srv, "Office")
	out, err := f.eng.SaveAgent(ctx, d, engine.AgentSaveOptions{AcceptHostKey: other.Fingerprint()})
	if err != nil || out.Saved || out.Result.Code != connectors.CodeHostKeyChanged {
		t.Errorf("a changed host key: %v %+v", err, out.Result)
	}
	// A wrong password: agent_auth_invalid, the password nowhere.
	d = agentDraft(srv, "Office")
	d.Values["password"] = "wrong-password-value"
	out, _ = f.eng.SaveAgent(ctx, d, engine.AgentSaveOptions{AcceptHostKey: srv.Fingerprint()})
	if out.Result.Code != connectors.CodeAgentAuthInvalid || strings.Contains(out.Result.Message+out.Result.Hint, "wrong-password-value") {
		t.Errorf("a wrong password: %+v", out.Result)
	}
}

func TestProbeGoesThroughTheAgent(t *testing.T) {
	f := newFixture(t, 0)
	srv := office(t, f)
	ctx := context.Background()
	if out, err := f.eng.SaveAgent(ctx, agentDraft(srv, "Office"), engine.AgentSaveOptions{AcceptHostKey: srv.Fingerprint()}); err != nil || !out.Saved {
		t.Fatalf("agent: %v", err)
	}
	d := engine.Draft{App: "demo", Values: connectors.Values{"name": "Behind", "url": "http://shop.internal", "api_key": goodKey,
		"mode": "on-premise", "agent": "Office", "concurrency_level": "3"}}
	if out, err := f.eng.Create(ctx, d, engine.SaveOptions{}); err != nil || !out.Saved {
		t.Fatalf("create: %v", err)
	}
	before := len(srv.Forwards())
	got, err := f.eng.Probe(ctx, "Behind", 0)
	if err != nil || !got.OK || got.Succeeded != 3 {
		t.Fatalf("probe through the agent: %v %+v", err, got)
	}
	if n := len(srv.Forwards()) - before; n < 4 {
		t.Errorf("the probe's requests went through the agent: %d forwards", n)
	}
}

// racingAgents is a store where, just before the engine's save of an agent
// reaches the vault, another process (a second vault over the same folder)
// has saved jump as jumping through the agent being saved.
type racingAgents struct {
	*vault.Vault
	other      *vault.Vault
	jump, back string
}

func (r *racingAgents) SaveAgent(a vault.Agent, secrets connectors.Values, o vault.SaveOptions) (vault.Agent, error) {
	j, err := r.other.GetAgent(r.jump)
	if err != nil {
		return vault.Agent{}, err
	}
	j.Values["via"] = r.back
	if _, err := r.other.SaveAgent(j, nil, vault.SaveOptions{Replace: j.Name, KeepSecrets: true}); err != nil {
		return vault.Agent{}, err
	}
	return r.Vault.SaveAgent(a, secrets, o)
}

// A jump circle is refused inside the save's lock, as a borrowing circle
// is: a check before the save alone would miss the other process's edit.
func TestJumpCircleRefusedUnderTheLock(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	plain := func(name string) engine.Draft {
		return engine.Draft{Values: connectors.Values{"name": name, "host": "192.0.2.1", "user": "shop", "auth": "password", "password": agentPassword}}
	}
	for _, n := range []string{"A", "J"} {
		if _, err := f.eng.SaveAgent(ctx, plain(n), engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{NoVerify: true}}); err != nil {
			t.Fatal(err)
		}
	}
	other, err := vault.Open(f.store.Dir(), f.secrets)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Deps{Store: &racingAgents{Vault: f.store, other: other, jump: "J", back: "A"}, Registry: registry()})
	_, err = eng.SaveAgent(ctx, engine.Draft{Values: connectors.Values{"via": "J"}},
		engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{Editing: "A", KeepSaved: true, NoVerify: true}})
	var in *engine.InputError
	if !errors.As(err, &in) || !strings.Contains(err.Error(), "jumping would go round in a circle (A → J → A)") {
		t.Errorf("want the circle refused, got %v", err)
	}
	if a, _ := f.store.GetAgent("A"); a.Values["via"] != "" {
		t.Errorf("a jump circle was saved: A jumps through %q", a.Values["via"])
	}
}

// An agent reached only through a saved jump agent: the engine reads the
// jump agent with its secrets and connects through it.
func TestAnAgentThroughASavedJumpAgent(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	inside := office(t, f)
	jump := sshtest.Start(t, sshtest.Options{Passwords: map[string]string{"shop": agentPassword},
		Hosts: map[string]string{"office.internal:22": inside.Addr()}})
	if _, err := f.eng.SaveAgent(ctx, agentDraft(jump, "Jump"), engine.AgentSaveOptions{AcceptHostKey: jump.Fingerprint()}); err != nil {
		t.Fatal(err)
	}
	d := engine.Draft{Values: connectors.Values{"name": "Office", "host": "office.internal", "port": "22", "via": "jump",
		"user": "shop", "auth": "password", "password": agentPassword}}
	out, err := f.eng.SaveAgent(ctx, d, engine.AgentSaveOptions{AcceptHostKey: inside.Fingerprint()})
	if err != nil || !out.Saved || !out.Result.OK || out.Agent.Values["via"] != "Jump" {
		t.Fatalf("through the jump agent: %v %+v %+v", err, out.Result, out.Agent.Values)
	}
	if got := jump.Forwards(); !slices.Contains(got, "office.internal:22") {
		t.Errorf("the jump agent forwarded to %v", got)
	}
}
