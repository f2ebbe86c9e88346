package vault

import (
	"errors"
	"os"
	"strings"
	"testing"

	"storelink/connectors"
)

func TestAgentsSaveRenameAndRefuseDeleteInUse(t *testing.T) {
	v, mem := newTestVault(t)
	a, err := v.SaveAgent(Agent{Name: "Office", Values: connectors.Values{"host": "ssh.office.example", "user": "shop"}},
		connectors.Values{"password": "agent-pass"}, SaveOptions{})
	if err != nil || !strings.HasPrefix(a.ID, "agent-") {
		t.Fatalf("save agent: %v %+v", err, a)
	}
	if _, err := v.SaveAgent(Agent{Name: "office"}, nil, SaveOptions{}); !errors.Is(err, ErrDuplicateName) || !strings.Contains(err.Error(), "an agent named") {
		t.Errorf("duplicate agent: %v", err)
	}
	// An agent and a connection may share a name: they are different things.
	c := conn("Office")
	c.Values["mode"], c.Values["agent"] = "on-premise", "Office"
	if _, err := v.Save(c, nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.SaveAgent(Agent{Name: "Jump", Values: connectors.Values{"host": "j", "via": "office"}}, nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	var inUse *InUseError
	if err := v.DeleteAgent("Office"); !errors.As(err, &inUse) || len(inUse.Connections) != 2 || !strings.Contains(err.Error(), `"Office"`) {
		t.Fatalf("delete in use: %v", err)
	}
	// Renaming the agent updates what goes through it, in the same write.
	a.Name = "HQ"
	if _, err := v.SaveAgent(a, nil, SaveOptions{Replace: "Office", KeepSecrets: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.Get("Office"); got.Values["agent"] != "HQ" {
		t.Errorf("the connection follows the rename: %+v", got.Values)
	}
	if j, _ := v.GetAgent("Jump"); j.Values["via"] != "HQ" {
		t.Errorf("via follows the rename: %+v", j.Values)
	}
	hq, err := v.GetAgent("hq")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := v.Secrets(hq); err != nil || s["password"] != "agent-pass" {
		t.Errorf("agent secrets: %v %v", s, err)
	}
	if names, _ := v.Agents(); strings.Join(names, ",") != "HQ,Jump" {
		t.Errorf("names %v", names)
	}
	// Free it, then delete: its item goes too.
	if err := v.Delete("Office"); err != nil {
		t.Fatal(err)
	}
	if err := v.DeleteAgent("Jump"); err != nil {
		t.Fatal(err)
	}
	if err := v.DeleteAgent("HQ"); err != nil {
		t.Fatal(err)
	}
	if len(mem.Keys()) != 0 {
		t.Errorf("items left: %v", mem.Keys())
	}
	if _, err := v.GetAgent("HQ"); !errors.Is(err, ErrAgentNotFound) {
		t.Errorf("gone: %v", err)
	}
}

func TestAFileOfSchemaOneLoadsUnchanged(t *testing.T) {
	v, _ := newTestVault(t)
	old := `{
  "schema": 1,
  "connections": [
    {"id": "0123456789abcdef", "name": "Shop", "app": "prestashop",
     "values": {"name": "Shop", "mode": "cloud", "store_url": "shop.example"},
     "secret_keys": ["api_key"], "created": "2026-11-20T10:00:00Z", "updated": "2026-11-20T10:00:00Z",
     "last_verification": {"at": "2026-11-20T10:00:00Z", "ok": true, "code": "ok"}, "generation": 1}
  ]
}
`
	if err := os.WriteFile(v.Path(), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := v.Get("Shop")
	if err != nil || c.ID != "0123456789abcdef" || c.Values["store_url"] != "shop.example" || c.Last == nil || !c.Last.OK {
		t.Fatalf("schema 1: %v %+v", err, c)
	}
	if as, err := v.ListAgents(); err != nil || len(as) != 0 {
		t.Errorf("no agents: %v %v", as, err)
	}
	// What 0.1.0 wrote after the last delete is empty, not damaged.
	if err := os.WriteFile(v.Path(), []byte(`{"schema": 1, "connections": null}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if cs, err := v.List(); err != nil || len(cs) != 0 {
		t.Errorf("schema 1 with no connections: %v %v", cs, err)
	}
}

// An agent's save checks other agents under the lock, and its test outcomes
// are recorded in batches, as a connection's are.
func TestAgentsCheckedAndRecordedLikeConnections(t *testing.T) {
	v, _ := newTestVault(t)
	if _, err := v.SaveAgent(Agent{Name: "Jump", Values: connectors.Values{"host": "j"}}, nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Save(conn("Shop"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	_, err := v.SaveAgent(Agent{Name: "Office", Values: connectors.Values{"host": "o", "via": "Jump"}}, nil, SaveOptions{
		Check: func(lookup func(string) (Connection, bool)) error {
			for _, n := range []string{"Jump", "Office", "Shop"} {
				if _, ok := lookup(n); ok {
					seen = append(seen, n)
				}
			}
			return nil
		}})
	if err != nil || strings.Join(seen, ",") != "Jump,Office" {
		t.Errorf("the check of an agent's save looks up agents (not connections): %v %v", err, seen)
	}
	ver := Verification{OK: true, Code: connectors.CodeOK}
	if err := v.RecordManyAgents(map[string]Verification{"office": ver, "Gone": ver}, nil); err != nil {
		t.Fatal(err)
	}
	if a, _ := v.GetAgent("Office"); a.Last == nil || !a.Last.OK {
		t.Errorf("recorded: %+v", a.Last)
	}
	if c, _ := v.Get("Shop"); c.Last != nil {
		t.Error("an agent's outcome is not written on a connection")
	}
}
