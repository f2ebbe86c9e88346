package vault

// parsed.go: the settings document as RecordMany last read or wrote it, so
// that a batch of test outcomes skips parsing a file nobody changed since.
// It is keyed by the file's bytes, not by a stat: any other write, by
// another process or this one, even of the same size within the same clock
// tick, changes the bytes and is parsed afresh. Used under the file lock.

import (
	"bytes"
	"slices"
	"sync"
)

type parsed struct {
	mu   sync.Mutex
	data []byte // nil: nothing kept
	f    file
}

// read returns the settings document, from the kept copy when the file
// still holds the bytes it came from. The lists are the caller's to change.
func (p *parsed) read(v *Vault) (file, error) {
	data, err := v.readData()
	if err != nil {
		return file{}, err
	}
	if data == nil {
		return file{Schema: SchemaVersion}, nil
	}
	p.mu.Lock()
	if p.data != nil && bytes.Equal(p.data, data) {
		f := p.f.clone()
		p.mu.Unlock()
		return f, nil
	}
	p.mu.Unlock()
	f, err := v.parse(data)
	if err != nil {
		return file{}, err
	}
	p.keep(data, f)
	return f, nil
}

// keep remembers that data encodes f.
func (p *parsed) keep(data []byte, f file) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.data, p.f = data, f.clone()
}

// clone copies the lists, so that setting an entry's Last (all RecordMany
// changes) or sorting leaves the original alone; values are shared, never
// changed in place.
func (f file) clone() file {
	return file{Schema: f.Schema, Connections: slices.Clone(f.Connections), Agents: slices.Clone(f.Agents)}
}
