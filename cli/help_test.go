package cli

// help_test.go: what help says of a field is what the field declares, for
// every application and for agents.

import (
	"strings"
	"testing"

	"storelink/connectors"
	"storelink/engine"
)

// flat joins lines and runs of spaces, so wrapped text compares whole.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestHelpComesFromTheFieldDeclarations(t *testing.T) {
	h := newHarness(t)
	h.reg = connectors.Default
	agent := engine.AgentInfo()
	code, usage, _ := h.run("", "help")
	if code != 0 || !strings.Contains(usage, "Usage: storelink") {
		t.Fatalf("help: %d %s", code, usage)
	}
	for _, info := range append(h.reg.All(), agent) {
		code, out, stderr := h.run("", "help", info.ID)
		if code != 0 || !strings.Contains(flat(out), flat(info.Description)) {
			t.Fatalf("help %s: %d %s %s", info.ID, code, out, stderr)
		}
		var keys []string
		for _, f := range info.Fields {
			key := f.Key
			if f.IsSecret() {
				key += "*"
			}
			keys = append(keys, key)
			// The key, its label and what it takes, then its whole help.
			want := flat(f.Key + " " + f.Label)
			if f.Help != "" {
				want = flat(f.Help)
			}
			if !strings.Contains(flat(out), want) || !strings.Contains(out, "\n  "+f.Key+" ") {
				t.Errorf("help %s: %s is not said as declared (%q):\n%s", info.ID, f.Key, want, out)
			}
		}
		// storelink help lists every key of every form, secrets marked.
		if !strings.Contains(flat(usage), flat(info.ID+" "+strings.Join(keys, " "))) {
			t.Errorf("help lacks the fields of %s: %v\n%s", info.ID, keys, usage)
		}
	}
	// The agent's create line offers the agent's plain fields, required
	// ones bare: what the form asks for.
	line := flat(usage[strings.Index(usage, "agent create"):strings.Index(usage, "test, then save an on-premise agent")])
	for _, f := range agent.Fields {
		if f.IsSecret() || f.Key == connectors.FieldName {
			continue
		}
		if !strings.Contains(line, "--set "+f.Key+"=") {
			t.Errorf("agent create does not offer %s: %s", f.Key, line)
		}
		if f.Required && f.Default == "" && strings.Contains(line, "[--set "+f.Key+"=") {
			t.Errorf("agent create shows required %s as optional: %s", f.Key, line)
		}
	}
	if code, _, stderr := h.run("", "help", "nope"); code != ExitInvalid || !strings.Contains(stderr, `"nope"`) {
		t.Errorf("help nope: %d %s", code, stderr)
	}
}

func TestHelpSaysWhatAFieldTakes(t *testing.T) {
	h := newHarness(t)
	_, out, _ := h.run("", "help", "demo")
	for _, want := range []string{
		"api_key API key; required; secret: standard input only.",
		"mode Mode: cloud or on-premise; default cloud; required.",
		"agent Agent: the name of a saved agent; required when mode is on-premise.",
		"concurrency_level Concurrency level: a number from 1 to 25; default 1; advanced.",
	} {
		if !strings.Contains(flat(out), want) {
			t.Errorf("help demo lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = h.run("", "help", "agent")
	if want := "private_key Private key: text that may span lines; required when auth is key; secret: standard input only."; !strings.Contains(flat(out), want) {
		t.Errorf("help agent lacks %q:\n%s", want, out)
	}
}
