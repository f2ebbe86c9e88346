package vault

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Every keychain item this package writes starts with a header, so a value
// split over several items (a 4096-bit RSA key on Windows, which takes at
// most 2560 bytes an item) joins back unambiguously.
const (
	headerSingle = "sl1:"
	headerChunks = "sl1-chunks:"
	maxChunks    = 64
)

func chunkKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

// chunkCount reads a head item that announces chunks.
func chunkCount(head string) (int, bool) {
	if !strings.HasPrefix(head, headerChunks) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(head, headerChunks))
	if err != nil || n < 1 || n > maxChunks {
		return 0, false
	}
	return n, true
}

// putValue stores value under key, split when larger than chunkSize. It
// returns every item key it wrote, for rollback.
func putValue(s Secrets, key, value string) ([]string, error) {
	if len(value) <= chunkSize {
		if err := s.Set(key, headerSingle+value); err != nil {
			return nil, err
		}
		return []string{key}, nil
	}
	parts := splitChunks(value, chunkSize)
	if len(parts) > maxChunks {
		return nil, fmt.Errorf("the value is too large for the keychain (%d bytes)", len(value))
	}
	var written []string
	for i, p := range parts {
		k := chunkKey(key, i+1)
		if err := s.Set(k, p); err != nil {
			return written, err
		}
		written = append(written, k)
	}
	if err := s.Set(key, headerChunks+strconv.Itoa(len(parts))); err != nil {
		return written, err
	}
	return append(written, key), nil
}

// splitChunks cuts at byte boundaries that keep UTF-8 sequences whole.
func splitChunks(v string, size int) []string {
	var out []string
	for len(v) > size {
		cut := size
		for cut > 0 && !isRuneStart(v[cut]) {
			cut--
		}
		out = append(out, v[:cut])
		v = v[cut:]
	}
	return append(out, v)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// getValue reads and joins what putValue stored.
func getValue(s Secrets, key string) (string, error) {
	head, err := s.Get(key)
	if err != nil {
		return "", err
	}
	switch {
	case strings.HasPrefix(head, headerSingle):
		return strings.TrimPrefix(head, headerSingle), nil
	case strings.HasPrefix(head, headerChunks):
		n, err := strconv.Atoi(strings.TrimPrefix(head, headerChunks))
		if err != nil || n < 1 || n > maxChunks {
			return "", fmt.Errorf("keychain item %s is damaged (bad chunk count)", key)
		}
		var b strings.Builder
		for i := 1; i <= n; i++ {
			part, err := s.Get(chunkKey(key, i))
			if err != nil {
				return "", fmt.Errorf("keychain item %s part %d: %w", key, i, err)
			}
			b.WriteString(part)
		}
		return b.String(), nil
	default:
		return "", fmt.Errorf("keychain item %s was not written by Storelink", key)
	}
}

// deleteValue removes key and its chunks, reading the header to know how many.
func deleteValue(s Secrets, key string) error {
	head, err := s.Get(key)
	if errors.Is(err, ErrSecretNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if strings.HasPrefix(head, headerChunks) {
		n, _ := strconv.Atoi(strings.TrimPrefix(head, headerChunks))
		for i := 1; i <= n && i <= maxChunks; i++ {
			if err := s.Delete(chunkKey(key, i)); err != nil {
				return err
			}
		}
	}
	return s.Delete(key)
}
