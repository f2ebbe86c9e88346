// Signing in: keys in every format, with and without passphrase,
// passwords, and the ssh-agent.
package agents_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"storelink/agents"
	"storelink/agents/sshtest"
	"storelink/connectors"
)

func TestKeyFormats(t *testing.T) {
	for _, kind := range []string{sshtest.Ed25519, sshtest.ECDSA, sshtest.RSA} {
		k := key(t, kind)
		srv := server(t, func(o *sshtest.Options) { o.Keys = map[string][]ssh.PublicKey{"deploy": {k.Public()}} })
		for _, format := range []string{"openssh", "pem"} {
			for _, pass := range []string{"", passphrase} {
				if pass != "" && (format == "pem") == (kind == sshtest.Ed25519) {
					// No encrypted PEM for Ed25519; OpenSSH's encryption is the
					// same for every kind, and slow (bcrypt): once is enough.
					continue
				}
				name := kind + "/" + format
				if pass != "" {
					name += "/passphrase"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel() // bcrypt makes passphrase keys slow under -race
					encode := k.OpenSSH
					if format == "pem" {
						encode = k.PEM
					}
					if kind == sshtest.Ed25519 && pass != "" {
						encode = func(string) (string, error) { return encrypted(t), nil }
					}
					text, err := encode(pass)
					if err != nil {
						t.Fatal(err)
					}
					c := agentFor(t, srv)
					c.PrivateKey, c.Passphrase = text, pass
					out := agents.Test(t.Context(), newPool(t, agents.PoolOptions{}), c)
					wantOK(t, "Test", out.Result)
					if !strings.Contains(out.Result.Message, "private key") {
						t.Errorf("message %q does not say how it signed in", out.Result.Message)
					}
				})
			}
		}
	}
}

// A key pasted from a form or a Windows editor still reads.
func TestKeyPastedIndentedWithCRLF(t *testing.T) {
	srv := server(t, nil)
	c := agentFor(t, srv)
	c.PrivateKey = "  " + strings.ReplaceAll(openSSH(t, key(t, sshtest.Ed25519), ""), "\n", "\r\n    ")
	wantOK(t, "Test", agents.Test(t.Context(), newPool(t, agents.PoolOptions{}), c).Result)
}

func TestKeyPassphrase(t *testing.T) {
	encrypted := encrypted(t)
	rsaPEM, err := key(t, sshtest.RSA).PEM(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, key, pass string
		want            connectors.Code
		says            string
	}{
		{"missing", encrypted, "", connectors.CodeAgentAuthInvalid, "needs its passphrase"},
		{"wrong", encrypted, "not " + passphrase, connectors.CodeAgentAuthInvalid, "passphrase is wrong"},
		{"wrong, legacy PEM", rsaPEM, "not " + passphrase, connectors.CodeAgentAuthInvalid, "passphrase is wrong"},
		{"right", encrypted, passphrase, connectors.CodeOK, ""},
		{"given for a key without one", openSSH(t, key(t, sshtest.Ed25519), ""), passphrase, connectors.CodeOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := server(t, nil)
			c := agentFor(t, srv)
			c.PrivateKey, c.Passphrase = tc.key, tc.pass
			before := srv.Logins()
			r := agents.Test(t.Context(), newPool(t, agents.PoolOptions{}), c).Result
			if tc.want == connectors.CodeOK {
				wantOK(t, "Test", r)
				return
			}
			wantCode(t, "Test", r, tc.want, `Agent "office"`, tc.says)
			if srv.Logins() != before {
				t.Error("a key that cannot be read should fail before connecting")
			}
		})
	}
}

func TestKeyUnreadable(t *testing.T) {
	srv := server(t, nil)
	for _, tc := range []struct{ name, key, says string }{
		{"garbage", "not a key at all", "not one Storelink can read"},
		{"public key", key(t, sshtest.Ed25519).AuthorizedKey(), "public key"},
		{"PuTTY", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", "PuTTY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := agentFor(t, srv)
			c.PrivateKey = tc.key
			out := agents.Test(t.Context(), nil, c)
			wantCode(t, "Test", out.Result, connectors.CodeInvalidInput, tc.says)
		})
	}
}

func TestKeyRefused(t *testing.T) {
	srv := server(t, nil)
	c := agentFor(t, srv)
	other := freshKey(t, sshtest.ECDSA)
	c.PrivateKey = openSSH(t, other, "")
	out := agents.Test(t.Context(), nil, c)
	wantCode(t, "Test", out.Result, connectors.CodeAgentAuthInvalid,
		`Agent "office" (`+srv.Addr()+`)`, "refused the key "+ssh.FingerprintSHA256(other.Public()), `"deploy"`)
	if out.HostKey != srv.Fingerprint() {
		t.Errorf("HostKey = %q, want the one seen before sign-in failed, %q", out.HostKey, srv.Fingerprint())
	}
	// The checks say it got as far as the sign-in.
	var passed []string
	for _, ch := range out.Result.Checks {
		if ch.OK {
			passed = append(passed, ch.Name)
		}
	}
	if len(passed) != 2 || len(out.Result.Checks) != 3 {
		t.Errorf("checks %+v: want reach and host key passed, sign-in failed", out.Result.Checks)
	}
}

func TestKeyNotOffered(t *testing.T) {
	srv := server(t, func(o *sshtest.Options) { o.Keys = nil })
	out := agents.Test(t.Context(), nil, agentFor(t, srv))
	wantCode(t, "Test", out.Result, connectors.CodeAgentAuthInvalid, "does not accept keys", "password")
}

func TestPassword(t *testing.T) {
	srv := server(t, nil)
	c := agentFor(t, srv)
	c.Auth, c.PrivateKey, c.Password = agents.AuthPassword, "", password
	out := agents.Test(t.Context(), nil, c)
	wantOK(t, "Test", out.Result)
	if !strings.Contains(out.Result.Message, "a password") {
		t.Errorf("message %q does not say it used a password", out.Result.Message)
	}

	c.Password = "Correct Horse Battery Staple"
	wantCode(t, "wrong password", agents.Test(t.Context(), nil, c).Result, connectors.CodeAgentAuthInvalid, "refused the password", `"deploy"`)

	noPasswords := server(t, func(o *sshtest.Options) { o.Passwords = nil })
	c = agentFor(t, noPasswords)
	c.Auth, c.Password = agents.AuthPassword, password
	wantCode(t, "passwords off", agents.Test(t.Context(), nil, c).Result, connectors.CodeAgentAuthInvalid, "does not accept passwords", "publickey")
}

func TestSSHAgent(t *testing.T) {
	k := key(t, sshtest.Ed25519)
	srv := server(t, nil)
	base := agentFor(t, srv)
	base.Auth, base.PrivateKey = agents.AuthSSHAgent, ""

	t.Run("its key", func(t *testing.T) {
		c := base
		c.AgentSocket = sshtest.StartAgent(t, freshKey(t, sshtest.ECDSA), k)
		out := agents.Test(t.Context(), nil, c)
		wantOK(t, "Test", out.Result)
		if !strings.Contains(out.Result.Message, "ssh-agent") {
			t.Errorf("message %q does not say it used the ssh-agent", out.Result.Message)
		}
	})
	t.Run("SSH_AUTH_SOCK", func(t *testing.T) {
		t.Setenv("SSH_AUTH_SOCK", sshtest.StartAgent(t, k))
		wantOK(t, "Test", agents.Test(t.Context(), nil, base).Result)
	})
	t.Run("no SSH_AUTH_SOCK", func(t *testing.T) {
		t.Setenv("SSH_AUTH_SOCK", "")
		wantCode(t, "Test", agents.Test(t.Context(), nil, base).Result, connectors.CodeAgentAuthInvalid, "no ssh-agent", "SSH_AUTH_SOCK")
	})
	t.Run("empty", func(t *testing.T) {
		c := base
		c.AgentSocket = sshtest.StartAgent(t)
		wantCode(t, "Test", agents.Test(t.Context(), nil, c).Result, connectors.CodeAgentAuthInvalid, "holds no keys")
	})
	t.Run("refused", func(t *testing.T) {
		c := base
		c.AgentSocket = sshtest.StartAgent(t, freshKey(t, sshtest.Ed25519))
		wantCode(t, "Test", agents.Test(t.Context(), nil, c).Result, connectors.CodeAgentAuthInvalid, "refused every key of the ssh-agent")
	})
	t.Run("too many keys", func(t *testing.T) {
		c := base
		var many []*sshtest.Key
		for range 4 {
			many = append(many, freshKey(t, sshtest.Ed25519))
		}
		c.AgentSocket = sshtest.StartAgent(t, append(many, k)...)
		tight := server(t, func(o *sshtest.Options) { o.MaxAuthTries = 2 })
		c.Port, c.HostKey = tight.Port(), tight.Fingerprint()
		wantCode(t, "Test", agents.Test(t.Context(), nil, c).Result, connectors.CodeAgentAuthInvalid, "too many attempts")
	})
	t.Run("not answering", func(t *testing.T) {
		c := base
		c.AgentSocket = filepath.Join(t.TempDir(), "gone.sock")
		wantCode(t, "Test", agents.Test(t.Context(), nil, c).Result, connectors.CodeAgentAuthInvalid, "ssh-agent", "does not answer")
	})
}
