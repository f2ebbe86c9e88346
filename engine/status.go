package engine

// status.go: what a saved resource's last recorded test says, in one
// vocabulary for every kind, for the window and the command line alike,
// and how Test all sums a batch up.

import (
	"fmt"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/vault"
)

// State is a saved resource's status as a code, for programs and JSON.
type State string

// The states of a saved resource. Never tested and saved without (or
// despite) a test are both unverified: nothing has shown it works. A pass
// with warnings is its own state: it works, with something worth reading.
const (
	StateVerified   State = "verified"
	StateWarning    State = "warning"
	StateFailed     State = "failed"
	StateUnverified State = "unverified"
)

// StatusInfo is a saved resource's status.
type StatusInfo struct {
	State State
	// Words say it for people: "Verified", "Verified, 1 warning", "Failed:
	// key refused", "Unverified", "Unverified: not an API" (saved despite
	// that failed test), or "Not tested yet" when no test was ever recorded.
	Words string
	// Code and At are the last recorded test's; "" and zero when none.
	Code connectors.Code
	At   time.Time
	// Warnings are the recorded test's warnings.
	Warnings []connectors.Warning
	// Reason says why an unverified resource is unverified ("saved without
	// a passing test"); "" for the other states.
	Reason string
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
		st := StatusInfo{State: StateUnverified, Words: "Unverified", Code: v.Code, At: v.At, Warnings: v.Warnings, Reason: v.Reason}
		if st.Reason == "" && v.Code == "" {
			st.Reason = v.Message // recorded before reasons had their own place
		}
		if v.Code != "" {
			st.Words = "Unverified: " + v.Code.Short()
		}
		return st
	case v.OK && len(v.Warnings) > 0:
		return StatusInfo{State: StateWarning, Words: "Verified, " + WarningCount(len(v.Warnings)), Code: v.Code, At: v.At, Warnings: v.Warnings}
	case v.OK:
		return StatusInfo{State: StateVerified, Words: "Verified", Code: v.Code, At: v.At}
	}
	return StatusInfo{State: StateFailed, Words: "Failed: " + v.Code.Short(), Code: v.Code, At: v.At, Warnings: v.Warnings}
}

// WarningCount is "1 warning" or "3 warnings".
func WarningCount(n int) string {
	if n == 1 {
		return "1 warning"
	}
	return fmt.Sprintf("%d warnings", n)
}

// Column is the status as `storelink list` prints it: "unverified", or the
// last test's code and local time ("ok 2025-01-31 14:05"), with how many
// warnings a pass had ("ok 2025-01-31 14:05, 1 warning").
func (s StatusInfo) Column() string {
	if s.State == StateUnverified {
		return string(s.State)
	}
	words := string(s.Code) + " " + s.At.Local().Format("2006-01-02 15:04")
	if s.State == StateWarning {
		words += ", " + WarningCount(len(s.Warnings))
	}
	return words
}

// Tally counts a batch of tests the way Test all sums it up: a pass with
// warnings is counted apart from a plain pass, a cancelled test apart from
// a failed one.
type Tally struct {
	Passed, Warned, Failed, Canceled int
}

// Count tallies finished tests.
func Count(tests []Tested) Tally {
	var t Tally
	for _, x := range tests {
		t.Add(x.Result)
	}
	return t
}

// Add counts one result.
func (t *Tally) Add(r connectors.Result) {
	switch {
	case r.OK && len(r.Warnings) > 0:
		t.Warned++
	case r.OK:
		t.Passed++
	case r.Code == connectors.CodeCanceled:
		t.Canceled++
	default:
		t.Failed++
	}
}

// Words are the summary: "5 passed, 2 with warnings, 2 failed"; warnings
// and cancelled tests are named only when there are some.
func (t Tally) Words() string {
	parts := []string{fmt.Sprintf("%d passed", t.Passed)}
	if t.Warned > 0 {
		parts = append(parts, fmt.Sprintf("%d with warnings", t.Warned))
	}
	parts = append(parts, fmt.Sprintf("%d failed", t.Failed))
	if t.Canceled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", t.Canceled))
	}
	return strings.Join(parts, ", ")
}
