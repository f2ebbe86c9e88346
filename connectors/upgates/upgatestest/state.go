package upgatestest

import (
	"sync"

	"storelink/connectors"
)

// State is an in-memory connectors.StateStore for tests.
type State struct {
	mu   sync.Mutex
	data map[string][]byte
}

var _ connectors.StateStore = (*State)(nil)

// NewState returns an empty State.
func NewState() *State { return &State{data: map[string][]byte{}} }

// Load implements connectors.StateStore.
func (s *State) Load(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.data[key]...), nil
}

// Store implements connectors.StateStore.
func (s *State) Store(key string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = append([]byte(nil), data...)
	return nil
}
