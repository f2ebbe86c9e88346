package cli

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"

	"storelink/connectors"
	"storelink/logging"
	"storelink/redact"
	"storelink/vault"
)

// KeychainService names Storelink's items in the OS keychain (the app ID).
const KeychainService = "io.storelink.desktop"

// Runtime is what both the window and the command line work with.
type Runtime struct {
	Home     string
	Vault    *vault.Vault
	Log      *logrus.Logger
	Redactor *redact.Redactor
	State    connectors.StateStore
	Client   connectors.ClientOptions
	closer   io.Closer
}

// Close flushes and closes the log file.
func (r *Runtime) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// SetupOptions say how to build a Runtime.
type SetupOptions struct {
	Home     string // "" means vault.Home()
	LogLevel string // "" means $STORELINK_LOG_LEVEL or info
	Secrets  vault.Secrets
}

// Setup builds the Runtime: home folder, redacting logger, vault with the OS
// keychain (or opts.Secrets). It reads no secret.
func Setup(opts SetupOptions) (*Runtime, error) {
	home := opts.Home
	if home == "" {
		h, err := vault.Home()
		if err != nil {
			return nil, err
		}
		home = h
	}
	red := redact.New()
	log, closer, err := logging.Setup(logging.Options{Dir: filepath.Join(home, "logs"), Level: opts.LogLevel, Redactor: red})
	if err != nil {
		return nil, err
	}
	secrets := opts.Secrets
	if secrets == nil {
		secrets = vault.NewKeychain(KeychainService)
	}
	v, err := vault.Open(home, secrets)
	if err != nil {
		_ = closer.Close()
		return nil, err
	}
	v.OnSecret = red.Add
	return &Runtime{
		Home: home, Vault: v, Log: log, Redactor: red,
		State:  vault.StateDir{Dir: filepath.Join(home, "state")},
		Client: connectors.ClientOptions{Redactor: red},
		closer: closer,
	}, nil
}

// LogPath is where the log file lives.
func (r *Runtime) LogPath() string { return filepath.Join(r.Home, "logs", logging.FileName) }

// WindowArgs reports whether args ask for the window (none, or only
// --log-level LEVEL), and the level.
func WindowArgs(args []string) (level string, window bool) {
	switch {
	case len(args) == 0:
		return "", true
	case len(args) == 2 && (args[0] == "--log-level" || args[0] == "-log-level"):
		return args[1], true
	case len(args) == 1 && strings.HasPrefix(args[0], "--log-level="):
		return strings.TrimPrefix(args[0], "--log-level="), true
	}
	return "", false
}

// KeychainDescription says where secrets live on this OS, for Help > About.
func KeychainDescription() string {
	return keychainName + `, service "` + KeychainService + `"`
}
