// Host keys are pinned, or found in known_hosts, and never bypassed.
package agents_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"storelink/agents"
	"storelink/agents/sshtest"
	"storelink/connectors"
)

func TestPinningFlow(t *testing.T) {
	srv := server(t, nil)
	p := newPool(t, agents.PoolOptions{})
	c := agentFor(t, srv)

	// First contact: unknown, with the fingerprint to show the user.
	c.HostKey = ""
	out := agents.Test(t.Context(), p, c)
	wantCode(t, "first contact", out.Result, connectors.CodeHostKeyUnknown, `Agent "office"`, srv.Fingerprint(), "ED25519")
	if out.HostKey != srv.Fingerprint() || out.KnownHosts || out.Hop != "office" {
		t.Errorf("outcome %+v: want HostKey %s, not from known_hosts, hop office", out, srv.Fingerprint())
	}
	if srv.Logins() != 0 {
		t.Error("Storelink signed in to a server whose key it did not know")
	}
	// A store dial through the unknown agent fails the same way.
	wantCode(t, "store through an unknown agent", fetch(t, p, c, "http://"+storeHost+"/"), connectors.CodeHostKeyUnknown, srv.Fingerprint())

	// The user accepts it: pinned, it works, as ssh-keygen -l's whole line too.
	for _, pin := range []string{out.HostKey, "256 " + out.HostKey + " root@office (ED25519)", out.HostKey + "="} {
		c.HostKey = pin
		out = agents.Test(t.Context(), p, c)
		wantOK(t, "pinned "+pin, out.Result)
		if out.HostKey != srv.Fingerprint() || !strings.Contains(out.Result.Message, "matches the one in the Host key field") {
			t.Errorf("outcome %+v: want the pinned key named", out)
		}
	}
	if out.Result.Server.Version != sshtest.DefaultVersion {
		t.Errorf("Server.Version = %q, want %q", out.Result.Server.Version, sshtest.DefaultVersion)
	}

	// The server is replaced by one with another key on another port; the
	// agent is pointed there: changed, and never accepted.
	other := server(t, nil)
	c.Port = other.Port()
	out = agents.Test(t.Context(), p, c)
	wantCode(t, "changed", out.Result, connectors.CodeHostKeyChanged, "has changed", other.Fingerprint(), srv.Fingerprint())
	if out.HostKey != other.Fingerprint() {
		t.Errorf("HostKey = %q, want the new key %q", out.HostKey, other.Fingerprint())
	}
	r := fetch(t, p, c, "http://"+storeHost+"/")
	wantCode(t, "store through a changed agent", r, connectors.CodeHostKeyChanged, `Agent "office"`)
	if other.Logins() != 0 || len(other.Forwards()) != 0 {
		t.Error("Storelink used a server whose key changed")
	}
}

// A server has a host key of each kind; a pin of any of them is accepted,
// whichever the server shows first.
func TestPinOfAnotherKind(t *testing.T) {
	ed, ec := freshKey(t, sshtest.Ed25519), freshKey(t, sshtest.ECDSA)
	srv := server(t, func(o *sshtest.Options) { o.HostKeys = []ssh.Signer{ed.Signer, ec.Signer} })
	c := agentFor(t, srv)

	c.HostKey = ""
	if out := agents.Test(t.Context(), nil, c); out.HostKey != ssh.FingerprintSHA256(ed.Public()) {
		t.Errorf("first contact showed %s, want the Ed25519 key, as OpenSSH shows", out.HostKey)
	}
	c.HostKey = ssh.FingerprintSHA256(ec.Public())
	wantOK(t, "ECDSA pin", agents.Test(t.Context(), nil, c).Result)

	c.HostKey = ssh.FingerprintSHA256(freshKey(t, sshtest.ECDSA).Public())
	out := agents.Test(t.Context(), nil, c)
	wantCode(t, "no key matches", out.Result, connectors.CodeHostKeyChanged, ssh.FingerprintSHA256(ed.Public()))
}

func TestKnownHosts(t *testing.T) {
	srv := server(t, nil)
	c := agentFor(t, srv)
	c.HostKey = ""

	c.KnownHosts = []string{knownHostsFile(t, srv.Addr(), srv.HostKey())}
	out := agents.Test(t.Context(), nil, c)
	wantOK(t, "listed", out.Result)
	if !out.KnownHosts || out.HostKey != srv.Fingerprint() || !strings.Contains(out.Result.Message, "known_hosts line 2") {
		t.Errorf("outcome %+v: want accepted from known_hosts line 2, and said", out)
	}

	c.KnownHosts = []string{knownHostsFile(t, srv.Addr(), freshKey(t, sshtest.Ed25519).Public())}
	out = agents.Test(t.Context(), nil, c)
	wantCode(t, "another key listed", out.Result, connectors.CodeHostKeyChanged, srv.Fingerprint(), "known_hosts line 2")
	if out.KnownHosts {
		t.Error("KnownHosts is true for a refused key")
	}

	// Port 22 is written as the plain host, others as [host]:port: a line
	// for another port is not this server's.
	c.KnownHosts = []string{knownHostsFile(t, srv.Host()+":22", srv.HostKey())}
	wantCode(t, "listed for port 22 only", agents.Test(t.Context(), nil, c).Result, connectors.CodeHostKeyUnknown, srv.Fingerprint())

	// Missing files are skipped, as OpenSSH skips them.
	c.KnownHosts = []string{t.TempDir() + "/none", knownHostsFile(t, srv.Addr(), srv.HostKey())}
	wantOK(t, "a missing file", agents.Test(t.Context(), nil, c).Result)

	// So are a pipe with no writer, a device and a folder, at once.
	fifo := t.TempDir() + "/known_hosts"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	c.KnownHosts = []string{fifo, "/dev/zero", t.TempDir(), knownHostsFile(t, srv.Addr(), srv.HostKey())}
	done := make(chan agents.Outcome, 1)
	go func() { done <- agents.Test(t.Context(), nil, c) }()
	select {
	case out := <-done:
		wantOK(t, "a pipe, a device and a folder", out.Result)
	case <-time.After(15 * time.Second):
		t.Fatal("a known_hosts that is a pipe with no writer hangs the test")
	}

	// A pin wins over known_hosts.
	c.HostKey = ssh.FingerprintSHA256(freshKey(t, sshtest.Ed25519).Public())
	wantCode(t, "pin over known_hosts", agents.Test(t.Context(), nil, c).Result, connectors.CodeHostKeyChanged)
}

// With an ECDSA key recorded, a server that also has an Ed25519 key is
// asked for the recorded kind, as OpenSSH does.
func TestKnownHostsAsksForTheRecordedKind(t *testing.T) {
	ed, ec := freshKey(t, sshtest.Ed25519), freshKey(t, sshtest.ECDSA)
	srv := server(t, func(o *sshtest.Options) { o.HostKeys = []ssh.Signer{ed.Signer, ec.Signer} })
	c := agentFor(t, srv)
	c.HostKey, c.KnownHosts = "", []string{knownHostsFile(t, srv.Addr(), ec.Public())}
	out := agents.Test(t.Context(), nil, c)
	wantOK(t, "ECDSA recorded", out.Result)
	if out.HostKey != ssh.FingerprintSHA256(ec.Public()) {
		t.Errorf("HostKey = %s, want the ECDSA one", out.HostKey)
	}
}

func TestNormalizeFingerprint(t *testing.T) {
	fp := ssh.FingerprintSHA256(key(t, sshtest.Ed25519).Public())
	for in, want := range map[string]string{
		fp:                                   fp,
		"  " + fp + "  ":                     fp,
		fp + "=":                             fp,
		"sha256:" + fp[7:]:                   fp,
		"256 " + fp + " root@host (ED25519)": fp,
		"MD5:12:34":                          "",
		"SHA256:short":                       "",
		"":                                   "",
		"SHA256:" + strings.Repeat("A", 43) + "!": "",
	} {
		got, ok := agents.NormalizeFingerprint(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeFingerprint(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
