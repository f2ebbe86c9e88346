package agents

// Signing in: a private key (PEM or OpenSSH, with its passphrase), a
// password (also answered to keyboard-interactive prompts, which PAM
// servers use for passwords), or the keys of the system's ssh-agent.

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"storelink/connectors"
)

// signIn is how one hop authenticates, and what the server made of it.
type signIn struct {
	c       Config
	methods []ssh.AuthMethod
	keyDesc string // "the key SHA256:… (ED25519)", for messages
	agent   io.Closer
	nkeys   int // keys the ssh-agent holds

	mu      sync.Mutex
	tried   bool     // the server offered our method and we used it
	allowed []string // the methods the server last said it accepts
	partial bool     // a first step succeeded and the server wants another
}

func (s *signIn) close() {
	if s.agent != nil {
		s.agent.Close()
	}
}

func (s *signIn) markTried() {
	s.mu.Lock()
	s.tried = true
	s.mu.Unlock()
}

// record notes what the server offers before each attempt; it never picks a
// method itself.
func (s *signIn) record(ctx *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
	s.mu.Lock()
	s.allowed = slices.Clone(ctx.AllowedMethods)
	s.partial = len(ctx.PartialSuccessMethods) > 0
	s.mu.Unlock()
	return nil, nil
}

// prepareSignIn gets the credentials ready before any network access, so a
// key that needs its passphrase fails at once.
func prepareSignIn(ctx context.Context, c Config) (*signIn, error) {
	s := &signIn{c: c}
	switch c.auth() {
	case AuthPassword:
		pw := c.Password
		s.methods = []ssh.AuthMethod{
			ssh.PasswordCallback(func() (string, error) { s.markTried(); return pw, nil }),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, echos []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range questions {
					if !echos[i] { // the hidden prompt is the password
						s.markTried()
						answers[i] = pw
					}
				}
				return answers, nil
			}),
		}
	case AuthSSHAgent:
		socket := c.AgentSocket
		if socket == "" {
			socket = os.Getenv("SSH_AUTH_SOCK")
		}
		if socket == "" {
			socket = defaultSSHAgent
		}
		if socket == "" {
			return nil, authError(c, "no ssh-agent is available to sign in with (SSH_AUTH_SOCK is not set).",
				"Start ssh-agent and add the key with ssh-add before starting Storelink, or choose another way to sign in.", nil)
		}
		// The deadline set here also bounds the signatures asked during the handshake.
		agentCtx, cancel := context.WithTimeout(ctx, 2*c.timeout())
		conn, err := dialSSHAgent(agentCtx, socket)
		cancel()
		if err != nil {
			return nil, authError(c, fmt.Sprintf("the ssh-agent at %s does not answer (%s).", socket, cause(err)),
				"Check that ssh-agent is running (ssh-add -l lists its keys), or choose another way to sign in.", err)
		}
		ac := agent.NewClient(conn)
		keys, err := ac.List()
		if err != nil {
			conn.Close()
			return nil, authError(c, fmt.Sprintf("the ssh-agent at %s did not list its keys (%v).", socket, err),
				"Check that the ssh-agent is running and unlocked (ssh-add -l lists its keys).", err)
		}
		if len(keys) == 0 {
			conn.Close()
			return nil, authError(c, fmt.Sprintf("the ssh-agent at %s holds no keys.", socket),
				"Add the agent's key with ssh-add, or choose another way to sign in.", nil)
		}
		s.agent, s.nkeys = conn, len(keys)
		s.methods = []ssh.AuthMethod{ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
			s.markTried()
			return ac.Signers()
		})}
	default:
		signer, err := parsePrivateKey(c)
		if err != nil {
			return nil, err
		}
		pub := signer.PublicKey()
		s.keyDesc = fmt.Sprintf("the key %s (%s)", ssh.FingerprintSHA256(pub), keyKind(pub.Type()))
		s.methods = []ssh.AuthMethod{ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
			s.markTried()
			return []ssh.Signer{signer}, nil
		})}
	}
	return s, nil
}

// parsePrivateKey reads a PEM or OpenSSH private key, decrypting it with
// the passphrase when it has one. Errors never quote the key.
func parsePrivateKey(c Config) (ssh.Signer, error) {
	text := cleanPEM(c.PrivateKey)
	signer, err := ssh.ParsePrivateKey(text)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if c.Passphrase == "" {
			return nil, authError(c, "the key needs its passphrase, and none is saved.",
				"Fill in the key's passphrase.", nil)
		}
		signer, err = ssh.ParsePrivateKeyWithPassphrase(text, []byte(c.Passphrase))
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, authError(c, "the passphrase is wrong for this key.",
				"Fill in the key's passphrase again (it is the one asked by ssh-keygen or ssh when the key is used).", nil)
		}
	}
	if err == nil {
		return signer, nil
	}
	msg, hint := "the private key is not one Storelink can read.",
		"Paste the whole private key in PEM or OpenSSH format (RSA, ECDSA or Ed25519), from -----BEGIN to -----END."
	trimmed := strings.TrimSpace(c.PrivateKey)
	switch {
	case strings.HasPrefix(trimmed, "PuTTY-User-Key-File"):
		msg, hint = "the private key is in PuTTY's format.",
			"Convert it in PuTTYgen (Conversions > Export OpenSSH key), or with puttygen key.ppk -O private-openssh -o key, and paste that."
	case strings.HasPrefix(trimmed, "---- BEGIN SSH2 PUBLIC KEY") || isPublicKey(trimmed):
		msg, hint = "this is a public key, not the private one.",
			"Paste the private key: the file without .pub (for example ~/.ssh/id_ed25519)."
	}
	return nil, invalid(c, FieldPrivateKey, c.Label()+": "+msg, hint)
}

func isPublicKey(s string) bool {
	_, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
	return err == nil
}

// cleanPEM undoes what pasting does to a key: indented lines, CRLF.
func cleanPEM(s string) []byte {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

func authError(c Config, what, hint string, err error) *Error {
	return &Error{Code: connectors.CodeAgentAuthInvalid, Hop: c.Name, Message: c.Label() + ": " + what, Hint: hint, Err: err}
}

// refused puts a failed sign-in into words: which method, and whether the
// server refused it or does not offer it at all.
func (s *signIn) refused(err error) *Error {
	s.mu.Lock()
	tried, allowed, partial := s.tried, s.allowed, s.partial
	s.mu.Unlock()
	c := s.c
	offers := strings.Join(allowed, ", ")
	if offers == "" {
		offers = "nothing Storelink can use"
	}
	e := authError(c, "", "", err)
	user := fmt.Sprintf("%q", c.User)
	switch {
	case strings.Contains(strings.ToLower(err.Error()), "too many authentication"):
		e.Message = fmt.Sprintf("%s: the server stopped the sign-in as %s after too many attempts.", c.Label(), user)
		e.Hint = "The server allows only a few attempts per sign-in (MaxAuthTries); check the user and its credentials."
		if c.auth() == AuthSSHAgent {
			e.Message = fmt.Sprintf("%s: the server stopped the sign-in as %s after too many attempts (the ssh-agent offered %d keys).", c.Label(), user, s.nkeys)
			e.Hint = "The server allows only a few keys per sign-in (MaxAuthTries): remove keys from the ssh-agent with ssh-add -d, or sign in with the right key directly."
		}
	case partial:
		e.Message = fmt.Sprintf("%s: the server accepted the first step of the sign-in as %s but asks for another (%s), such as a one-time code.", c.Label(), user, offers)
		e.Hint = "Storelink cannot answer a second factor; allow this user to sign in with a key or password alone (AuthenticationMethods in sshd_config)."
	case c.auth() == AuthPassword && !tried:
		e.Message = fmt.Sprintf("%s: the server does not accept passwords (it accepts: %s).", c.Label(), offers)
		e.Hint = "Sign in with a key instead, or allow passwords on the server (PasswordAuthentication yes in sshd_config)."
	case c.auth() == AuthPassword:
		e.Message = fmt.Sprintf("%s: the server refused the password for user %s.", c.Label(), user)
		e.Hint = "Check the user and its password (Caps Lock?); after several failures the server may block this address for a while."
	case !tried:
		e.Message = fmt.Sprintf("%s: the server does not accept keys (it accepts: %s).", c.Label(), offers)
		e.Hint = "Sign in with a password instead, or allow keys on the server (PubkeyAuthentication yes in sshd_config)."
	case c.auth() == AuthSSHAgent:
		e.Message = fmt.Sprintf("%s: the server refused every key of the ssh-agent (%d) for user %s.", c.Label(), s.nkeys, user)
		e.Hint = fmt.Sprintf("Add the public key to ~/.ssh/authorized_keys of user %s on the server, or check the user name (ssh-add -L lists the agent's public keys).", user)
	default:
		e.Message = fmt.Sprintf("%s: the server refused %s for user %s.", c.Label(), s.keyDesc, user)
		e.Hint = fmt.Sprintf("Add the key's public part (its .pub file) to ~/.ssh/authorized_keys of user %s on the server, or check the user name.", user)
	}
	return e
}
