// Package app is the Fyne application: one file per screen, each a small
// struct keeping its widgets so tests can tap and read them.
package app

import (
	"github.com/sirupsen/logrus"

	"storelink/connectors"
	"storelink/redact"
	"storelink/vault"
)

// AppID is the Fyne application ID, the same as in FyneApp.toml; it also
// names the keychain service.
const AppID = "io.storelink.desktop"

// Store is what the window needs of the vault; *vault.Vault implements it,
// and tests may wrap it to inject faults.
type Store interface {
	List() ([]vault.Connection, error)
	Get(name string) (vault.Connection, error)
	// Save stores c and its secrets all-or-nothing and returns what was saved.
	Save(c vault.Connection, secrets connectors.Values, opts vault.SaveOptions) (vault.Connection, error)
	Delete(name string) error
	// Secrets reads c's secrets from the keychain (only when needed).
	Secrets(c vault.Connection) (connectors.Values, error)
	// Record stores the outcome of a test of the saved connection name.
	Record(name string, v vault.Verification) error
	// Agents lists the configured on-premise agents (none until agents land).
	Agents() ([]string, error)
}

// Paths says where things live, for Help > About.
type Paths struct {
	Home        string // STORELINK_HOME
	Connections string // connections.json
	Logs        string // the log file
	Keychain    string // a sentence naming the OS keychain and service
}

// Deps are built in main and handed to the window.
type Deps struct {
	Store    Store
	Registry *connectors.Registry
	Log      logrus.FieldLogger
	Redactor *redact.Redactor
	Paths    Paths
	// Client is the base HTTP client configuration for tests (dialer seam).
	Client connectors.ClientOptions
	// State keeps non-secret connector state (Upgates lockout guard).
	State connectors.StateStore
}
