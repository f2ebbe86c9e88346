//go:build !windows && !darwin

package setup

const keychainName = "the Secret Service keyring (GNOME Keyring, KWallet or KeePassXC)"
