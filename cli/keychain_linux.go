//go:build !windows && !darwin

package cli

const keychainName = "the Secret Service keyring (GNOME Keyring, KWallet or KeePassXC)"
