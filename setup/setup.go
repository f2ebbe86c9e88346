// Package setup builds Storelink's runtime once, for the window and the
// command line alike: the home folder, the redacting log, the vault over the
// OS keychain, and the engine over them. It reads no secret.
package setup

import (
	"path/filepath"

	"storelink/connectors"
	"storelink/engine"
	"storelink/logging"
	"storelink/redact"
	"storelink/vault"
)

// KeychainService names Storelink's items in the OS keychain (the app ID).
const KeychainService = "io.storelink.desktop"

// Options say how to build the runtime.
type Options struct {
	Home     string // "" means vault.Home()
	LogLevel string // "" means $STORELINK_LOG_LEVEL or info
	Registry *connectors.Registry
	Secrets  vault.Secrets // nil means the OS keychain
	// Client is the base of every test's HTTP client (tests set a dialer).
	Client connectors.ClientOptions
}

// Open builds the engine; Close on it closes the log file.
func Open(o Options) (*engine.Engine, error) {
	home := o.Home
	if home == "" {
		h, err := vault.Home()
		if err != nil {
			return nil, err
		}
		home = h
	}
	red := redact.New()
	logDir := filepath.Join(home, "logs")
	log, closer, err := logging.Setup(logging.Options{Dir: logDir, Level: o.LogLevel, Redactor: red})
	if err != nil {
		return nil, err
	}
	secrets := o.Secrets
	if secrets == nil {
		secrets = vault.NewKeychain(KeychainService)
	}
	v, err := vault.Open(home, secrets)
	if err != nil {
		_ = closer.Close() // the vault error is the one to report
		return nil, err
	}
	v.OnSecret = red.Add
	v.OnOrphans = func(name string, fields []string) {
		log.WithField("connection", name).WithField("fields", fields).Warn("deleted, but the keychain kept some of its items")
	}
	client := o.Client
	client.Redactor = red
	return engine.New(engine.Deps{
		Store: v, Registry: o.Registry, Log: log, Redactor: red,
		State:  vault.StateDir{Dir: filepath.Join(home, "state")},
		Client: client,
		// Levels hold across the window and every command run at once.
		Limiter: connectors.NewSharedLimiter(filepath.Join(home, "state", "slots")),
		History: vault.History{Dir: filepath.Join(home, "state", "history"), Warn: func(msg, path string) {
			log.WithField("path", path).Warn(msg)
		}},
		Paths: engine.Paths{
			Home: home, Connections: v.Path(), Logs: filepath.Join(logDir, logging.FileName),
			Keychain: KeychainDescription(),
		},
		Closer:   closer,
		Keychain: secrets,
	}), nil
}

// WarmKeychain starts connecting to the OS keychain an engine of Open
// (without Options.Secrets) reads, before there is one; see vault.Keychain.Warm.
func WarmKeychain() { vault.NewKeychain(KeychainService).Warm() }

// KeychainDescription says where secrets live on this OS, for Help > About.
func KeychainDescription() string {
	return keychainName + `, service "` + KeychainService + `"`
}
