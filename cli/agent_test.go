package cli

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"storelink/agents/sshtest"
)

func TestAgentCommands(t *testing.T) {
	h := newHarness(t)
	shop := demoServer(t)
	u, _ := url.Parse(shop.URL)
	const pw = "agent-pass-0123456789"
	srv := sshtest.Start(t, sshtest.Options{Passwords: map[string]string{"shop": pw}, Hosts: map[string]string{"shop.internal:80": u.Host}})
	create := []string{"agent", "create", "--name", "Office", "--set", "host=" + srv.Host(), "--set", "port=" + strconv.Itoa(srv.Port()),
		"--set", "user=shop", "--set", "auth=password", "--secrets-stdin", "--json"}

	// First contact: nothing saved; the JSON carries the host key to accept.
	code, out, stderr := h.run(`{"password":"`+pw+`"}`, create...)
	var got map[string]any
	if code != ExitFailed || json.Unmarshal([]byte(out), &got) != nil || got["code"] != "host_key_unknown" || got["host_key"] != srv.Fingerprint() {
		t.Fatalf("first contact: %d %s %s", code, out, stderr)
	}
	if _, list, _ := h.run("", "agent", "list", "--json"); strings.TrimSpace(list) != "[]" {
		t.Errorf("nothing saved before the key is accepted: %s", list)
	}
	code, out, stderr = h.run(`{"password":"`+pw+`"}`, append(create, "--accept-host-key", srv.Fingerprint())...)
	if code != 0 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("accepted: %d %s %s", code, out, stderr)
	}
	_, list, _ := h.run("", "agent", "list", "--json")
	if !strings.Contains(list, srv.Fingerprint()) || strings.Contains(list, pw) || !strings.Contains(list, `"secret_fields":["password"]`) {
		t.Errorf("agent list: %s", list)
	}
	// agent test --json: the contract's keys, the SSH server's version.
	code, out, _ = h.run("", "agent", "test", "Office", "--json")
	got = map[string]any{}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["server"] != sshtest.DefaultVersion {
		t.Fatalf("agent test: %d %s", code, out)
	}
	for _, k := range []string{"name", "ok", "code", "message", "hint", "host_key", "server", "duration_ms"} {
		if _, ok := got[k]; !ok {
			t.Errorf("agent test --json lacks %q", k)
		}
	}
	// A name typed in other letters is the saved one's, as connections say it.
	if code, out, _ = h.run("", "agent", "test", "office"); code != 0 || !strings.HasPrefix(out, "ok     Office: ") {
		t.Errorf("agent test office: %d %q", code, out)
	}
	// A connection on-premise, through the agent, to a store only it reaches.
	code, out, stderr = h.run(`{"api_key":"`+goodKey+`"}`, "create", "--app", "demo", "--name", "Behind", "--mode", "on-premise",
		"--agent", "Office", "--set", "url=http://shop.internal", "--secrets-stdin", "--json")
	if code != 0 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("on-premise create: %d %s %s", code, out, stderr)
	}
	if code, _, stderr := h.run("", "agent", "delete", "Office"); code != ExitFailed || !strings.Contains(stderr, `"Behind"`) {
		t.Errorf("delete in use: %d %s", code, stderr)
	}
	if code, _, stderr := h.run("", "agent", "edit", "Office", "--rename", "HQ"); code != 0 {
		t.Fatalf("rename: %d %s", code, stderr)
	}
	if _, out, _ := h.run("", "list", "--json"); !strings.Contains(out, `"agent":"HQ"`) {
		t.Errorf("the connection follows the rename: %s", out)
	}
	if code, out, _ := h.run("", "test", "Behind", "--json"); code != 0 {
		t.Errorf("test through the renamed agent: %d %s", code, out)
	}
	if code, _, stderr := h.run("", "agent", "create", "--name", "X", "--set", "password=nope"); code != ExitInvalid || !strings.Contains(stderr, "secret") {
		t.Errorf("a secret on the command line: %d %s", code, stderr)
	}
	if code, _, _ := h.run("", "agent", "test", "Nope"); code != ExitInvalid {
		t.Errorf("an unknown agent: %d", code)
	}
	if strings.Contains(h.logText(), pw) {
		t.Error("the agent's password is in the log")
	}
}
