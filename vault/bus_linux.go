//go:build linux

package vault

import (
	"errors"
	"os"
	"path/filepath"
)

// sessionBusProblem says why the Secret Service cannot be reached before
// go-keyring tries: without a session bus, godbus autolaunches a
// dbus-daemon (and with it a keyring daemon) for every call, which keep
// running, and the error that comes back ("failed to unlock correct
// collection") points the wrong way.
func sessionBusProblem() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return nil // the systemd user bus, which godbus finds by itself
		}
	}
	return errors.New("no session bus")
}

const noBusWhy = "there is no desktop session: the Secret Service (GNOME Keyring, KWallet or KeePassXC) cannot be reached without a session bus"

const noBusHint = "Run Storelink inside a desktop session; for a script or an SSH login, start one with dbus-run-session -- storelink ..."
