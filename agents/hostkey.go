package agents

// Host keys are pinned, never bypassed: the key whose fingerprint was
// saved, or with none saved one listed for this host in known_hosts; any
// other key fails the connection.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"storelink/connectors"
)

// NormalizeFingerprint reads a SHA-256 host key fingerprint as ssh-keygen -l
// prints it, alone ("SHA256:abc…") or as its whole line ("256 SHA256:abc…
// root@host (ED25519)"), and returns the "SHA256:abc…" form.
func NormalizeFingerprint(s string) (string, bool) {
	for _, word := range strings.Fields(s) {
		if len(word) < 7 || !strings.EqualFold(word[:7], "SHA256:") {
			continue
		}
		b64 := strings.TrimRight(word[7:], "=")
		raw, err := base64.RawStdEncoding.DecodeString(b64)
		if err != nil || len(raw) != sha256.Size {
			return "", false
		}
		return "SHA256:" + b64, true
	}
	return "", false
}

// hostKeyAlgorithms is the order host keys are asked for: Ed25519 first, as
// OpenSSH does, so the fingerprint shown on first contact is the one an
// administrator reads with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub.
var hostKeyAlgorithms = []string{
	ssh.KeyAlgoED25519,
	ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
	ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
}

// algorithmsFor lists the host-key algorithms that produce a key of keyType.
func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256}
	}
	return []string{keyType}
}

// keyKind names a key type the way ssh-keygen -l does: ED25519, ECDSA, RSA.
func keyKind(keyType string) string {
	switch {
	case keyType == ssh.KeyAlgoED25519:
		return "ED25519"
	case strings.HasPrefix(keyType, "ecdsa-"):
		return "ECDSA"
	case keyType == ssh.KeyAlgoRSA:
		return "RSA"
	}
	return keyType
}

// knownHostsFiles are the files a Config consults: its own list, or the
// user's and the system's known_hosts, those that exist.
func knownHostsFiles(c Config) []string {
	if c.KnownHosts != nil {
		return c.KnownHosts
	}
	var files []string
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".ssh", "known_hosts"))
	}
	return append(files, systemKnownHosts)
}

// maxKnownHostsSize is far more than tens of thousands of hosts take.
const maxKnownHostsSize = 64 << 20

// knownHosts checks keys against known_hosts files. A file that is missing
// or unreadable is skipped, as OpenSSH skips it.
type knownHosts struct {
	checks []ssh.HostKeyCallback
}

func loadKnownHosts(files []string) *knownHosts {
	k := &knownHosts{}
	for _, f := range files {
		// Only a regular file of sane size: a pipe named known_hosts would
		// wait for a writer for ever, /dev/zero never end.
		if st, err := os.Stat(f); err != nil || !st.Mode().IsRegular() || st.Size() > maxKnownHostsSize {
			continue
		}
		if cb, err := knownhosts.New(f); err == nil {
			k.checks = append(k.checks, cb)
		}
	}
	return k
}

// anyAddr stands in for the remote address: known_hosts is matched on the
// host name and port dialled, which for a tunnelled hop is all there is.
var anyAddr = &net.TCPAddr{IP: net.IPv4zero}

// probeKey is a key no server has: checking it lists every key known for a
// host. Made on first use: every command would pay for it at start-up.
var probeKey = sync.OnceValue(func() ssh.PublicKey {
	pub, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public())
	if err != nil {
		panic(err)
	}
	return pub
})

// known lists the keys recorded for addr.
func (k *knownHosts) known(addr string) []knownhosts.KnownKey {
	var out []knownhosts.KnownKey
	for _, check := range k.checks {
		var ke *knownhosts.KeyError
		if errors.As(check(addr, anyAddr, probeKey()), &ke) {
			out = append(out, ke.Want...)
		}
	}
	return out
}

// verdict is what known_hosts says of key at addr: the line that lists
// it, or the lines that list other keys, or that it is revoked.
func (k *knownHosts) verdict(addr string, key ssh.PublicKey) (match *knownhosts.KnownKey, others []knownhosts.KnownKey, revoked bool) {
	for _, check := range k.checks {
		var re *knownhosts.RevokedError
		if errors.As(check(addr, anyAddr, key), &re) {
			return nil, nil, true
		}
	}
	blob := key.Marshal()
	for _, kk := range k.known(addr) {
		if bytes.Equal(kk.Key.Marshal(), blob) {
			return &kk, nil, false
		}
		others = append(others, kk)
	}
	return nil, others, false
}

// hostKeySeen is what a server showed in one handshake, and the decision.
type hostKeySeen struct {
	fingerprint string
	keyType     string
	accepted    bool
	fromFile    string // "~/.ssh/known_hosts line 3" when accepted from there
	err         *Error // why it was refused
}

// hostKeyCheck decides on host keys for one agent's connection attempts.
// The callback runs on x/crypto's key-exchange goroutine, again at each
// re-key, hence the lock.
type hostKeyCheck struct {
	c     Config
	pin   string
	known *knownHosts // nil when a key is pinned

	mu   sync.Mutex
	last hostKeySeen
}

func newHostKeyCheck(c Config) *hostKeyCheck {
	h := &hostKeyCheck{c: c}
	if pin, ok := NormalizeFingerprint(c.HostKey); ok {
		h.pin = pin
	} else {
		h.known = loadKnownHosts(knownHostsFiles(c))
	}
	return h
}

// algorithms are the host-key algorithms to offer: with keys for this host
// in known_hosts, only those keys' kinds (as OpenSSH does), so a server
// with several host keys shows the recorded one.
func (h *hostKeyCheck) algorithms() []string {
	if h.known == nil {
		return hostKeyAlgorithms
	}
	var kinds []string
	for _, kk := range h.known.known(h.c.Addr()) {
		kinds = append(kinds, algorithmsFor(kk.Key.Type())...)
	}
	if len(kinds) == 0 {
		return hostKeyAlgorithms
	}
	var out []string
	for _, a := range hostKeyAlgorithms {
		if slices.Contains(kinds, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 { // only kinds we do not offer are recorded: ask for any
		return hostKeyAlgorithms
	}
	return out
}

// reset forgets a previous attempt's key.
func (h *hostKeyCheck) reset() {
	h.mu.Lock()
	h.last = hostKeySeen{}
	h.mu.Unlock()
}

// seen is what the last handshake showed.
func (h *hostKeyCheck) seen() hostKeySeen {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

func (h *hostKeyCheck) callback(_ string, _ net.Addr, key ssh.PublicKey) error {
	v := h.decide(key)
	h.mu.Lock()
	h.last = v
	h.mu.Unlock()
	if v.accepted {
		return nil
	}
	return v.err
}

func (h *hostKeyCheck) decide(key ssh.PublicKey) hostKeySeen {
	v := hostKeySeen{fingerprint: ssh.FingerprintSHA256(key), keyType: key.Type()}
	shown := fmt.Sprintf("%s (%s)", v.fingerprint, keyKind(v.keyType))
	if h.pin != "" {
		if v.fingerprint == h.pin {
			v.accepted = true
		} else {
			v.err = h.changed(v.fingerprint, fmt.Sprintf("it is now %s, but %s is the one saved for this agent", shown, h.pin))
		}
		return v
	}
	match, others, revoked := h.known.verdict(h.c.Addr(), key)
	switch {
	case revoked:
		v.err = h.changed(v.fingerprint, fmt.Sprintf("it shows %s, which known_hosts marks as revoked", shown))
	case match != nil:
		v.accepted, v.fromFile = true, fmt.Sprintf("%s line %d", tildeHome(match.Filename), match.Line)
	case len(others) > 0:
		v.err = h.changed(v.fingerprint, fmt.Sprintf("it shows %s, but %s line %d lists another key for %s",
			shown, tildeHome(others[0].Filename), others[0].Line, knownhosts.Normalize(h.c.Addr())))
	default:
		v.err = &Error{Code: connectors.CodeHostKeyUnknown, Hop: h.c.Name, HostKey: v.fingerprint,
			Message: fmt.Sprintf("%s: this server is not known yet. Its %s host key fingerprint is %s.", h.c.Label(), keyKind(v.keyType), v.fingerprint),
			Hint: "Compare it with the server's own (run ssh-keygen -lf on its host key, e.g. /etc/ssh/ssh_host_ed25519_key.pub, on the server) " +
				"and accept it only if they match; it is then pinned for this agent."}
	}
	return v
}

func (h *hostKeyCheck) changed(fingerprint, detail string) *Error {
	return &Error{Code: connectors.CodeHostKeyChanged, Hop: h.c.Name, HostKey: fingerprint,
		Message: fmt.Sprintf("%s: the server's host key has changed: %s. Someone may be intercepting the connection, or the server was reinstalled.", h.c.Label(), detail),
		Hint: "Do not accept the new key until the server's administrator confirms it changed (ssh-keygen -lf on the server's host key shows it); " +
			"then clear the agent's host key and test it again to pin the new one."}
}

// tildeHome shortens a path in the user's home to ~/…, for messages.
func tildeHome(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return path
	}
	if rel, err := filepath.Rel(home, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(filepath.Join("~", rel))
	}
	return path
}
