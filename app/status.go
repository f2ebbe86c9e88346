package app

// status.go: one status vocabulary for every kind of saved thing (the
// connections table, the agents list): a kind that sorts problems first, an
// icon per kind in its colour, and the words, so colour is never the only
// sign; and how long ago a test ran, in words.

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// statusKind orders statuses for sorting: problems first.
type statusKind int

const (
	statusFailed statusKind = iota
	statusUnverified
	statusWarned // verified, with warnings
	statusTesting
	statusUntested
	statusVerified
	numStatusKinds
)

// Words the status and last-test cells show.
const (
	testingText  = "Testing…"
	untestedText = engine.NotTestedWords
	neverText    = "Never"
)

// statusOf is the status of a saved thing whose last recorded test is v
// (nil: never tested), or whose test runs now when testing: the engine's
// words (engine.Status: Verified, Verified, 2 warnings, Failed: key
// refused, Unverified: not an API, Not tested yet), or Testing….
func statusOf(v *vault.Verification, testing bool) (string, statusKind) {
	if testing {
		return testingText, statusTesting
	}
	st := engine.Status(v)
	return st.Words, kindOf(st.State, v == nil)
}

// kindOf is the sort and icon kind of an engine state.
func kindOf(state engine.State, never bool) statusKind {
	switch {
	case never:
		return statusUntested
	case state == engine.StateVerified:
		return statusVerified
	case state == engine.StateWarning:
		return statusWarned
	case state == engine.StateFailed:
		return statusFailed
	}
	return statusUnverified
}

// statusWhen is statusOf with when the test ran: "Verified · 3 min ago".
func statusWhen(v *vault.Verification, testing bool, now time.Time) (string, statusKind) {
	text, kind := statusOf(v, testing)
	if !testing && v != nil && !v.At.IsZero() {
		text += " · " + ago(v.At, now)
	}
	return text, kind
}

// statusTexts are every text the Status column can show.
func statusTexts() []string {
	statuses := []string{testingText, untestedText, "Unverified", "Verified", "Verified, " + engine.WarningCount(9)}
	for _, ci := range connectors.AllCodes {
		if !ci.Warning && ci.Code != connectors.CodeOK {
			statuses = append(statuses, "Failed: "+ci.Code.Short(), "Unverified: "+ci.Code.Short())
		}
	}
	return statuses
}

// statusIcons are the icons of the status kinds, in their colours; the
// words say the same, so colour is never the only sign.
func statusIcons() [numStatusKinds]fyne.Resource {
	return [numStatusKinds]fyne.Resource{
		statusFailed: theme.NewErrorThemedResource(theme.ErrorIcon()),
		// Unverified: saved without a passing test; a triangle in the text's
		// own colour, so that the warning colour is a pass with warnings'.
		statusUnverified: theme.NewThemedResource(theme.WarningIcon()),
		// A pass with warnings works: a tick, in the warning colour.
		statusWarned:   theme.NewWarningThemedResource(theme.ConfirmIcon()),
		statusTesting:  theme.NewPrimaryThemedResource(theme.ViewRefreshIcon()),
		statusUntested: theme.NewDisabledResource(theme.QuestionIcon()),
		statusVerified: theme.NewSuccessThemedResource(theme.ConfirmIcon()),
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// lastTestText is the Last test cell: how long ago, in words.
func lastTestText(v *vault.Verification, now time.Time) string {
	if v == nil || v.At.IsZero() {
		return neverText
	}
	return ago(v.At, now)
}

func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 7*24*time.Hour:
		return plural(int(d.Hours()/24), "day") + " ago"
	default:
		return t.Local().Format("2 Jan 2006")
	}
}

// exactTime is a test's time in full, local, for the details.
func exactTime(t time.Time) string {
	return t.Local().Format("Monday 2 January 2006, 15:04:05 MST")
}
