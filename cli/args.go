package cli

import "strings"

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
