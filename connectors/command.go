package connectors

// command.go: commands a platform adds to the command line
// ("storelink prestashop genkey", "storelink upgates import"). The platform
// declares them in its Info; the command line lists and runs them without
// knowing any platform, and hands them what they may do with saved
// connections through Connections, which the engine implements.

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Command is one platform command: storelink <app ID> <Name> <Args>.
type Command struct {
	Name    string // "genkey"
	Args    string // "FILE --public-key PEM [--name NAME]", for the usage text
	Summary string // one line for `storelink help`
	Run     func(ctx context.Context, env CommandEnv, args []string) error
}

// CommandEnv is what a platform command gets from the command line.
type CommandEnv struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Import is where fetched data may be cached and how to fetch it.
	Import ImportEnv
	// Logf writes an info line to Storelink's log (secrets masked).
	Logf func(format string, args ...any)
	// Redact masks values from now on in everything printed and logged.
	Redact func(values ...string)
	// Connections saves and tests connections as `storelink create` does.
	Connections Connections
}

// Connections is what a platform command may do with saved connections.
type Connections interface {
	// Save validates and tests (unless NoVerify), then saves, reporting the
	// outcome as `storelink create` does.
	Save(ctx context.Context, req SaveRequest) error
	// Test tests a saved connection, records the outcome and returns it.
	Test(ctx context.Context, name string) Result
}

// SaveRequest is a connection a platform command wants saved.
type SaveRequest struct {
	App    string
	Values Values // name and secrets included
	// NoVerify saves without a test, marked unverified with Reason.
	NoVerify bool
	Reason   string
	// Replaces, when set, lets the save replace a saved connection of the
	// same name whose settings it accepts (a resent installation request).
	Replaces func(saved Values) bool
	JSON     bool          // report the test as `--json` does
	Timeout  time.Duration // for the test; 0 means the default
}

// UsageError is bad usage or input of a command: the command line exits 2
// and prints the message, which names the flag or field.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, a ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, a...)}
}
