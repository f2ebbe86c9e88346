package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"github.com/natefinch/atomic"

	"storelink/connectors"
)

// StateDir keeps connectors' small non-secret state (connectors.StateStore)
// as one JSON file a key under <home>/state.
type StateDir struct{ Dir string }

var stateKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`) })

func (s StateDir) path(key string) (string, error) {
	if !stateKey().MatchString(key) {
		return "", fmt.Errorf("state key %q is not a plain file name", key)
	}
	return filepath.Join(s.Dir, key+".json"), nil
}

// Load implements connectors.StateStore.
func (s StateDir) Load(key string) ([]byte, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	data, err := connectors.ReadLocalFile("State file", p, MaxSettingsSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// Store implements connectors.StateStore.
func (s StateDir) Store(key string, data []byte) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	return atomic.WriteFile(p, bytes.NewReader(data))
}
