// Package agents reaches on-premise stores through agents: SSH servers the
// owner controls, tunnelled with direct-tcpip channels. It holds an agent's
// configuration and form fields, the pinned host-key check, the pool of
// shared SSH clients whose DialFunc the connectors' HTTP client uses, and
// "Test agent". It imports no Fyne.
package agents

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"storelink/connectors"
)

// Ways an agent signs in (Config.Auth).
const (
	AuthKey      = "key"
	AuthPassword = "password"
	AuthSSHAgent = "ssh-agent"
)

// Field keys of an agent: part of the public contract (CLI --set, JSON, vault).
const (
	FieldName       = "name"
	FieldHost       = "host"
	FieldPort       = "port"
	FieldUser       = "user"
	FieldAuth       = "auth"
	FieldPrivateKey = "private_key"
	FieldPassphrase = "passphrase"
	FieldPassword   = "password"
	FieldHostKey    = "host_key"
	FieldVia        = "via"
)

// DefaultPort is SSH's.
const DefaultPort = 22

// maxVia bounds a jump chain; a longer one is almost surely a loop.
const maxVia = 8

// Config is one agent, secrets included, with its jump host already resolved.
type Config struct {
	Name string
	Host string
	Port int // 0 means 22
	User string
	Auth string // AuthKey (default), AuthPassword or AuthSSHAgent

	// Secrets: never logged, never in an error.
	PrivateKey string // PEM or OpenSSH format
	Passphrase string
	Password   string

	// HostKey is the pinned SHA-256 fingerprint, "SHA256:…" as ssh-keygen -l prints it.
	HostKey string
	// Via is the agent to jump through; nil connects directly.
	Via *Config
	// KnownHosts are OpenSSH known_hosts files consulted when no key is
	// pinned; nil means ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts,
	// those that exist; an empty, non-nil list consults none.
	KnownHosts []string
	// AgentSocket is the ssh-agent to use for AuthSSHAgent: "" means
	// $SSH_AUTH_SOCK (on Windows, then OpenSSH's agent pipe).
	AgentSocket string
	// ConnectTimeout bounds reaching, verifying and signing in to this hop;
	// 0 means connectors.DefaultConnectTimeout.
	ConnectTimeout time.Duration
}

func (c Config) port() int {
	if c.Port == 0 {
		return DefaultPort
	}
	return c.Port
}

func (c Config) auth() string {
	if c.Auth == "" {
		return AuthKey
	}
	return c.Auth
}

func (c Config) timeout() time.Duration {
	if c.ConnectTimeout <= 0 {
		return connectors.DefaultConnectTimeout
	}
	return c.ConnectTimeout
}

// Addr is host:port as SSH dials it.
func (c Config) Addr() string {
	return net.JoinHostPort(strings.TrimSpace(c.Host), strconv.Itoa(c.port()))
}

// label names the hop in messages: agent "office" (ssh.office.example:22).
func (c Config) label() string {
	return fmt.Sprintf("agent %q (%s)", c.Name, c.Addr())
}

// Label is label with a capital, to start a message.
func (c Config) Label() string {
	return "A" + c.label()[1:]
}

// key identifies a client in the pool: the name (readable in a debugger)
// and a hash of the whole configuration, jump hosts included, so an edited
// agent gets a new client. Secrets enter only the hash.
func (c Config) key() string {
	data, err := json.Marshal(c)
	if err != nil { // a Config always marshals; keep distinct configs apart anyway
		data = fmt.Appendf(nil, "%#v", c)
	}
	sum := sha256.Sum256(data)
	return c.Name + "\x00" + hex.EncodeToString(sum[:12])
}

// Validate checks the fields an agent needs before any network access, the
// jump chain included.
func (c Config) Validate() error {
	seen := map[*Config]bool{}
	hop := &c
	for depth := 0; hop != nil; depth++ {
		if depth > maxVia || seen[hop] {
			return invalid(c, FieldVia, fmt.Sprintf("Agent %q: its chain of jump agents (via) loops or is longer than %d.", c.Name, maxVia),
				"Make the last agent of the chain one that connects directly.")
		}
		seen[hop] = true
		if err := hop.validateHop(); err != nil {
			return err
		}
		hop = hop.Via
	}
	return nil
}

func (c Config) validateHop() error {
	name := c.Name
	missing := func(key, what, hint string) error {
		return invalid(c, key, fmt.Sprintf("Agent %q: %s is missing.", name, what), hint)
	}
	switch {
	case strings.TrimSpace(c.Name) == "":
		return invalid(c, FieldName, "The agent has no name.", "Give the agent a name connections can refer to.")
	case strings.TrimSpace(c.Host) == "":
		return missing(FieldHost, "the host", "Fill in the SSH server's name or address.")
	case strings.ContainsAny(strings.TrimSpace(c.Host), " /@") || strings.Contains(c.Host, "://"):
		return invalid(c, FieldHost, fmt.Sprintf("Agent %q: the host %q is not a plain host name or address.", name, c.Host),
			"Enter only the server's name or address, without user@, ssh:// or a path; the port and user have their own fields.")
	case c.Port < 0 || c.Port > 65535:
		return invalid(c, FieldPort, fmt.Sprintf("Agent %q: the port %d is not between 1 and 65535.", name, c.Port), "SSH usually listens on port 22.")
	case strings.TrimSpace(c.User) == "":
		return missing(FieldUser, "the user", "Fill in the user Storelink signs in as on the SSH server.")
	}
	switch c.auth() {
	case AuthKey:
		if strings.TrimSpace(c.PrivateKey) == "" {
			return missing(FieldPrivateKey, "the private key", "Paste the private key (PEM or OpenSSH format), or choose another way to sign in.")
		}
	case AuthPassword:
		if c.Password == "" {
			return missing(FieldPassword, "the password", "Fill in the password of the SSH user, or choose another way to sign in.")
		}
	case AuthSSHAgent:
	default:
		return invalid(c, FieldAuth, fmt.Sprintf("Agent %q: %q is not a way to sign in.", name, c.Auth),
			"Choose key, password or ssh-agent.")
	}
	if c.HostKey != "" {
		if _, ok := NormalizeFingerprint(c.HostKey); !ok {
			return invalid(c, FieldHostKey, fmt.Sprintf("Agent %q: the host key %q is not a SHA-256 fingerprint.", name, c.HostKey),
				"Enter the fingerprint as ssh-keygen -l prints it, starting with SHA256:, or leave it empty to be shown the server's.")
		}
	}
	return nil
}

// Fields declares the agent form, as connectors declare theirs.
func Fields() []connectors.Field {
	whenAuth := func(v string) []connectors.Condition {
		return []connectors.Condition{{Field: FieldAuth, Values: []string{v}}}
	}
	return []connectors.Field{
		{Key: FieldName, Label: "Name", Kind: connectors.KindText, Required: true,
			Help: "How connections refer to this agent. Renaming it updates them."},
		{Key: FieldHost, Label: "Host", Kind: connectors.KindText, Required: true, Placeholder: "ssh.office.example",
			Help: "The SSH server's name or address, as this computer (or the jump agent) reaches it."},
		{Key: FieldPort, Label: "Port", Kind: connectors.KindNumber, Default: strconv.Itoa(DefaultPort), Min: 1, Max: 65535,
			Help: "The SSH server's port, usually 22."},
		{Key: FieldUser, Label: "User", Kind: connectors.KindText, Required: true,
			Help: "The user Storelink signs in as; it needs no shell, only TCP forwarding."},
		{Key: FieldAuth, Label: "Sign in with", Kind: connectors.KindChoice, Default: AuthKey, Required: true,
			Choices: []connectors.Choice{
				{Value: AuthKey, Label: "Private key", Help: "A private key whose public part is in the user's authorized_keys."},
				{Value: AuthPassword, Label: "Password", Help: "The SSH user's password."},
				{Value: AuthSSHAgent, Label: "ssh-agent", Help: "The keys held by this computer's ssh-agent (SSH_AUTH_SOCK)."},
			},
			Help: "How Storelink proves who it is to the SSH server."},
		{Key: FieldPrivateKey, Label: "Private key", Kind: connectors.KindMultilineSecret,
			VisibleWhen: whenAuth(AuthKey), RequiredWhen: whenAuth(AuthKey),
			Help: "The private key, PEM or OpenSSH format (RSA, ECDSA or Ed25519). Kept in the system keychain."},
		{Key: FieldPassphrase, Label: "Passphrase", Kind: connectors.KindSecret, VisibleWhen: whenAuth(AuthKey),
			Help: "The key's passphrase, if it has one. Kept in the system keychain."},
		{Key: FieldPassword, Label: "Password", Kind: connectors.KindSecret,
			VisibleWhen: whenAuth(AuthPassword), RequiredWhen: whenAuth(AuthPassword),
			Help: "The SSH user's password. Kept in the system keychain."},
		{Key: FieldHostKey, Label: "Host key", Kind: connectors.KindText, Placeholder: "SHA256:…",
			Validate: func(v string) error {
				if _, ok := NormalizeFingerprint(v); !ok {
					return fmt.Errorf("is not a SHA-256 fingerprint (SHA256:… as ssh-keygen -l prints it)")
				}
				return nil
			},
			Normalize: func(v string) (string, string) {
				n, ok := NormalizeFingerprint(v)
				if !ok || n == v {
					return v, ""
				}
				return n, "kept only the SHA256 fingerprint"
			},
			Help: "The server's pinned host key fingerprint. Leave it empty: the first test shows the server's, for you to accept."},
		{Key: FieldVia, Label: "Jump through", Kind: connectors.KindChoice, ChoicesFrom: connectors.ChoicesAgents, Advanced: true,
			Help: "Another agent to reach this one through, when only that one is reachable from here."},
	}
}

// ConfigFromValues reads an agent's field values; Via is left for the caller
// to resolve from values[FieldVia].
func ConfigFromValues(v connectors.Values) Config {
	hostKey := v.String(FieldHostKey)
	if n, ok := NormalizeFingerprint(hostKey); ok {
		hostKey = n
	}
	return Config{
		Name:       v.String(FieldName),
		Host:       v.String(FieldHost),
		Port:       v.Int(FieldPort, 0),
		User:       v.String(FieldUser),
		Auth:       v.String(FieldAuth),
		PrivateKey: v[FieldPrivateKey],
		Passphrase: v[FieldPassphrase],
		Password:   v[FieldPassword],
		HostKey:    hostKey,
	}
}
