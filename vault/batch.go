package vault

// batch.go: reading saved secrets back, one connection or many at once:
// with a keychain that reads many items in one go (the Secret Service,
// batch_linux.go) every head item and then every chunk in two calls, else
// item by item.

import (
	"errors"
	"fmt"

	"storelink/connectors"
)

// Secrets reads c's secrets from the keychain, all in one batch where the
// keychain reads many at once (Magento's four in one Secret Service session).
func (v *Vault) Secrets(c Connection) (connectors.Values, error) {
	r := v.SecretsMany([]Connection{c})[c.ID]
	return r.Values, r.Err
}

func (v *Vault) secretsFrom(src Secrets, c Connection) (connectors.Values, error) {
	out := connectors.Values{}
	for _, k := range c.SecretKeys {
		val, err := getValue(src, secretKey(c.ID, c.Generation, k))
		if errors.Is(err, ErrSecretNotFound) {
			return nil, fmt.Errorf("the keychain has no %s for connection %q (it may have been removed outside Storelink); edit the connection and enter it again: %w", k, c.Name, err)
		}
		if err != nil {
			return nil, err
		}
		out[k] = val
	}
	if v.OnSecret != nil {
		for _, val := range out {
			v.OnSecret(val)
		}
	}
	return out, nil
}

// SecretsRead is one connection's outcome of SecretsMany.
type SecretsRead struct {
	Values connectors.Values
	Err    error
}

// SecretsMany reads the secrets of many connections, by ID: with a keychain
// that reads many items at once (the Secret Service), in a few round trips
// for all; otherwise one connection after the other, as Secrets does.
func (v *Vault) SecretsMany(cs []Connection) map[string]SecretsRead {
	out := map[string]SecretsRead{}
	op := Operation(v.secrets)
	src := op
	if batch, ok := op.(interface {
		GetMany(keys []string) (map[string]string, error)
	}); ok {
		if pre, err := prefetch(batch.GetMany, cs); err == nil {
			src = pre
		}
	}
	for _, c := range cs {
		vals, err := v.secretsFrom(src, c)
		out[c.ID] = SecretsRead{vals, err}
	}
	return out
}

// prefetch reads the head items of cs and then their chunks in two calls.
func prefetch(getMany func([]string) (map[string]string, error), cs []Connection) (memoryRead, error) {
	var heads []string
	for _, c := range cs {
		for _, k := range c.SecretKeys {
			heads = append(heads, secretKey(c.ID, c.Generation, k))
		}
	}
	got, err := getMany(heads)
	if err != nil {
		return nil, err
	}
	var chunks []string
	for _, h := range heads {
		if n, ok := chunkCount(got[h]); ok {
			for i := 1; i <= n; i++ {
				chunks = append(chunks, chunkKey(h, i))
			}
		}
	}
	if len(chunks) > 0 {
		more, err := getMany(chunks)
		if err != nil {
			return nil, err
		}
		for k, val := range more {
			got[k] = val
		}
	}
	return memoryRead(got), nil
}

// memoryRead answers Get from what prefetch read; it never writes.
type memoryRead map[string]string

func (m memoryRead) Get(key string) (string, error) {
	if val, ok := m[key]; ok {
		return val, nil
	}
	return "", ErrSecretNotFound
}
func (m memoryRead) Set(string, string) error { return errors.New("read-only") }
func (m memoryRead) Delete(string) error      { return errors.New("read-only") }
