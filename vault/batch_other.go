//go:build !linux

package vault

// secretServiceGetMany: only the Secret Service reads many items at once;
// elsewhere each item is read alone.
var secretServiceGetMany func(service string, keys []string) (map[string]string, error)

// connectSecretService: no shared connection to open.
var connectSecretService func()
