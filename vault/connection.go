package vault

import (
	"time"

	"storelink/connectors"
)

// Connection is a saved connection without its secrets.
type Connection struct {
	ID   string `json:"id"` // stable, names the keychain items; survives renames
	Name string `json:"name"`
	App  string `json:"app"`
	// Values are the non-secret field values (name, mode and agent included).
	Values connectors.Values `json:"values"`
	// SecretKeys lists the fields whose values are in the keychain.
	SecretKeys []string      `json:"secret_keys,omitempty"`
	Created    time.Time     `json:"created"`
	Updated    time.Time     `json:"updated"`
	Last       *Verification `json:"last_verification,omitempty"`
	// Generation changes on every save; keychain items carry it, so a failed
	// save never overwrites the secrets the last good save stored.
	Generation int `json:"generation"`
}

// Mode returns cloud or on-premise.
func (c Connection) Mode() string {
	if m := c.Values[connectors.FieldMode]; m != "" {
		return m
	}
	return connectors.ModeCloud
}

// Verification is the outcome of the last test of a saved connection.
type Verification struct {
	At      time.Time       `json:"at"`
	OK      bool            `json:"ok"`
	Code    connectors.Code `json:"code"`
	Message string          `json:"message,omitempty"`
	// Hint is what to do about a failure.
	Hint string `json:"hint,omitempty"`
	// Unverified marks a connection saved without (or despite) a test.
	Unverified bool `json:"unverified,omitempty"`
	// Warnings are those of a test that passed with them, or of the failed
	// test a connection was saved despite; the shape of a test's warnings.
	Warnings []connectors.Warning `json:"warnings,omitempty"`
	// Reason says why an unverified connection is unverified ("saved
	// without a passing test"); Code, Message and Hint then hold the failed
	// test it was saved despite, when there was one.
	Reason string `json:"reason,omitempty"`
	// RetryAt is when a rate-limited API said to try again (its
	// Retry-After), so a scheduled re-test waits at least that long.
	RetryAt *time.Time `json:"retry_at,omitempty"`
	// Since is when the current state (verified, warning, failed) began and
	// Before the state before it ("verified", "warning", "failed"; "" when
	// never tested or saved unverified), kept as each test is recorded so
	// the table need not read the history; nil for an unverified one and
	// for one recorded before Storelink kept them (the history tells then).
	Since  *time.Time `json:"since,omitempty"`
	Before string     `json:"before,omitempty"`
}

// Follow is what a verification recorded over prev, the one saved until
// now (nil: none) as the file holds it under the lock, becomes: how long
// its state has lasted carries over or starts anew.
type Follow func(prev *Verification, next Verification) Verification

// SaveOptions say how Save treats an existing connection.
type SaveOptions struct {
	// Replace is the name of the connection being edited ("" for a new one).
	Replace string
	// KeepSecrets keeps stored secrets the caller did not supply (used when a
	// result is recorded or a rename needs no new secrets). Editing in the
	// window asks for secrets again and leaves this false.
	KeepSecrets bool
	// Check, when set, runs inside the save's lock on the file as the save
	// would leave it (freshly read, this connection and its renames in
	// place), before anything is written; an error saves nothing. lookup
	// finds a saved resource of the kind being saved by name (a connection
	// for Save, an agent for SaveAgent), as Get does. It lets a rule about
	// others of the kind (a lender or a jump agent that must exist and not
	// go round in a circle) hold against another process saving at once.
	Check func(lookup func(name string) (Connection, bool)) error
	// Follow, when set, turns the connection's new Last, when it has one,
	// into what follows the saved one's, under the save's lock.
	Follow Follow
}
