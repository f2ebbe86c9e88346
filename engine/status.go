package engine

// status.go: what a saved resource's last recorded test says, in one
// vocabulary for every kind, for the window and the command line alike.

import (
	"time"

	"storelink/connectors"
	"storelink/vault"
)

// State is a saved resource's status as a code, for programs and JSON.
type State string

// The states of a saved resource. Never tested and saved without (or
// despite) a test are both unverified: nothing has shown it works.
const (
	StateVerified   State = "verified"
	StateFailed     State = "failed"
	StateUnverified State = "unverified"
)

// StatusInfo is a saved resource's status.
type StatusInfo struct {
	State State
	// Words say it for people: "Verified", "Failed: key refused",
	// "Unverified", or "Not tested yet" when no test was ever recorded.
	Words string
	// Code and At are the last recorded test's; "" and zero when none.
	Code connectors.Code
	At   time.Time
}

// Never-tested and saving words, written once for every front end.
const (
	NotTestedWords = "Not tested yet"
	// SavingStep is the progress step of every save, after its test.
	SavingStep = "Saving (secrets go to the OS keychain)..."
)

// Status says what v, a saved resource's last verification, means.
func Status(v *vault.Verification) StatusInfo {
	switch {
	case v == nil:
		return StatusInfo{State: StateUnverified, Words: NotTestedWords}
	case v.Unverified:
		return StatusInfo{State: StateUnverified, Words: "Unverified", At: v.At}
	case v.OK:
		return StatusInfo{State: StateVerified, Words: "Verified", Code: v.Code, At: v.At}
	}
	return StatusInfo{State: StateFailed, Words: "Failed: " + v.Code.Short(), Code: v.Code, At: v.At}
}

// Column is the status as `storelink list` prints it: "unverified", or the
// last test's code and local time ("ok 2025-01-31 14:05").
func (s StatusInfo) Column() string {
	if s.State == StateUnverified {
		return string(s.State)
	}
	return string(s.Code) + " " + s.At.Local().Format("2006-01-02 15:04")
}
