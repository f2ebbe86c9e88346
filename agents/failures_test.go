// Agents that cannot be reached, and configurations that cannot work.
package agents_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"storelink/agents"
	"storelink/agents/sshtest"
	"storelink/connectors"
	"storelink/connectors/connectortest"
)

func TestAgentUnreachable(t *testing.T) {
	srv := server(t, nil)
	silent := listener(t, func(c net.Conn) { time.Sleep(5 * time.Second); c.Close() })
	hangup := listener(t, func(c net.Conn) { c.Close() })
	web := listener(t, func(c net.Conn) { fmt.Fprint(c, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"); c.Close() })
	for _, tc := range []struct {
		name, host string
		port       int
		says       string
		reached    bool
	}{
		{"nothing listens", "127.0.0.1", portOf(t, connectortest.DeadAddress(t)), "nothing accepts connections", false},
		{"name does not resolve", "no-such-agent.invalid", 22, "could not be found (DNS)", false},
		{"silent", "127.0.0.1", portOf(t, silent), "no answer in time", true},
		{"not SSH", "127.0.0.1", portOf(t, web), `not an SSH server (it said "HTTP/1.1 400 Bad Request")`, true},
		{"hangs up", "127.0.0.1", portOf(t, hangup), "closed the connection before saying anything", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := agentFor(t, srv)
			c.Host, c.Port, c.ConnectTimeout = tc.host, tc.port, 500*time.Millisecond
			label := fmt.Sprintf(`Agent "office" (%s)`, net.JoinHostPort(tc.host, fmt.Sprint(tc.port)))
			out := agents.Test(t.Context(), nil, c)
			wantCode(t, "Test", out.Result, connectors.CodeAgentUnreachable, label, tc.says)
			if checks := out.Result.Checks; len(checks) == 0 || checks[0].OK != tc.reached || checks[len(checks)-1].OK {
				t.Errorf("checks %+v: want the reach step %v, and the last failed", checks, tc.reached)
			}
			// A store test through it reports the agent's code.
			wantCode(t, "store", fetch(t, newPool(t, agents.PoolOptions{}), c, "http://"+storeHost+"/"), connectors.CodeAgentUnreachable, label, tc.says)
		})
	}
}

func TestCanceled(t *testing.T) {
	silent := listener(t, func(c net.Conn) { time.Sleep(5 * time.Second); c.Close() })
	srv := server(t, nil)
	c := agentFor(t, srv)
	c.Port = portOf(t, silent)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	out := agents.Test(ctx, nil, c)
	wantCode(t, "Test", out.Result, connectors.CodeCanceled, "cancelled", `agent "office"`)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %s", d)
	}
}

func TestInvalidConfig(t *testing.T) {
	srv := server(t, nil)
	loop := agentFor(t, srv)
	loop.Via = &loop
	for _, tc := range []struct {
		name  string
		edit  func(*agents.Config)
		field string
	}{
		{"no name", func(c *agents.Config) { c.Name = " " }, agents.FieldName},
		{"no host", func(c *agents.Config) { c.Host = "" }, agents.FieldHost},
		{"a URL for host", func(c *agents.Config) { c.Host = "ssh://office" }, agents.FieldHost},
		{"user@host", func(c *agents.Config) { c.Host = "deploy@office" }, agents.FieldHost},
		{"port", func(c *agents.Config) { c.Port = 70000 }, agents.FieldPort},
		{"no user", func(c *agents.Config) { c.User = "" }, agents.FieldUser},
		{"no key", func(c *agents.Config) { c.PrivateKey = "" }, agents.FieldPrivateKey},
		{"no password", func(c *agents.Config) { c.Auth, c.Password = agents.AuthPassword, "" }, agents.FieldPassword},
		{"unknown auth", func(c *agents.Config) { c.Auth = "kerberos" }, agents.FieldAuth},
		{"bad pin", func(c *agents.Config) { c.HostKey = "MD5:aa:bb" }, agents.FieldHostKey},
		{"via loop", func(c *agents.Config) { *c = loop }, agents.FieldVia},
		{"via invalid", func(c *agents.Config) { v := *c; v.Name, v.User = "jump", ""; c.Via = &v }, agents.FieldUser},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := agentFor(t, srv)
			tc.edit(&c)
			err := c.Validate()
			var e *agents.Error
			if !errors.As(err, &e) || e.Code != connectors.CodeInvalidInput || e.Field != tc.field {
				t.Fatalf("Validate = %#v, want invalid_input for %s", err, tc.field)
			}
			wantCode(t, "Test", agents.Test(t.Context(), nil, c).Result, connectors.CodeInvalidInput)
		})
	}
	if srv.Logins() != 0 {
		t.Error("an invalid agent was connected")
	}
}

// The error reaches FailFromError through http.Transport's and the
// client's wrapping, keeping its code, message and hint.
func TestErrorThroughTheHTTPClient(t *testing.T) {
	srv := server(t, func(o *sshtest.Options) { o.RefuseForwarding = true })
	p := newPool(t, agents.PoolOptions{})
	client := connectors.NewClient(connectors.ClientOptions{Dial: p.Dialer(agentFor(t, srv))})
	_, err := client.Do(t.Context(), connectors.Request{URL: "http://" + storeHost + "/"})
	var e *agents.Error
	var ue *url.Error
	if !errors.As(err, &e) || !errors.As(err, &ue) {
		t.Fatalf("Do = %#v: want an *agents.Error inside a *url.Error", err)
	}
	var ne *connectors.NetError
	if !errors.As(err, &ne) || ne.Code != connectors.CodeAgentForwardingRefused || ne.Message != e.Message {
		t.Errorf("NetError %+v: want the agent's code and message", ne)
	}
	r := connectors.FailFromError(err)
	if r.Code != e.FailureCode() || r.Message != e.Error() || r.Hint != e.FailureHint() || e.Hop != "office" {
		t.Errorf("FailFromError = %+v, want the agent error's code, message and hint", r)
	}
}

func TestFieldsDeclared(t *testing.T) {
	keys := map[string]bool{}
	for _, f := range agents.Fields() {
		keys[f.Key] = true
		if f.Help == "" || f.Label == "" {
			t.Errorf("field %s has no label or help", f.Key)
		}
		secret := f.Key == agents.FieldPrivateKey || f.Key == agents.FieldPassphrase || f.Key == agents.FieldPassword
		if f.IsSecret() != secret {
			t.Errorf("field %s: secret = %v, want %v", f.Key, f.IsSecret(), secret)
		}
	}
	for _, k := range []string{agents.FieldName, agents.FieldHost, agents.FieldPort, agents.FieldUser, agents.FieldAuth,
		agents.FieldPrivateKey, agents.FieldPassphrase, agents.FieldPassword, agents.FieldHostKey, agents.FieldVia} {
		if !keys[k] {
			t.Errorf("field %s is not declared", k)
		}
	}
	if got := strings.Join([]string{agents.FieldPrivateKey, agents.FieldHostKey, agents.AuthSSHAgent}, " "); got != "private_key host_key ssh-agent" {
		t.Errorf("public names changed: %s", got)
	}
	c := agents.ConfigFromValues(connectors.Values{"name": "office", "host": "h", "port": "2222", "user": "u", "auth": "password",
		"password": password, "host_key": "256 SHA256:" + strings.Repeat("A", 43) + " x (ED25519)"})
	if c.Name != "office" || c.Port != 2222 || c.Password != password || c.HostKey != "SHA256:"+strings.Repeat("A", 43) {
		t.Errorf("ConfigFromValues = %+v", c)
	}
}
