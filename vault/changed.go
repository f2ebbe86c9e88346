package vault

// changed.go: noticing that another process (a second window, the command
// line, a cron job) changed the settings file, cheaply enough to ask every
// second: one stat, compared by identity (inode or file index), size and
// modification time. Every write replaces the file, so each has a new
// identity; this vault's own writes are remembered and do not count.

import (
	"errors"
	"os"
	"sync"
)

// stamp is the settings file as last seen; file nil: it did not exist.
type stamp struct {
	mu    sync.Mutex
	known bool
	file  os.FileInfo
}

// Changed reports whether the settings file changed since this vault last
// wrote it or last reported a change. The first call (before any write of
// this vault) only takes note of the file and reports false.
func (v *Vault) Changed() (bool, error) {
	now, err := v.statFile()
	if err != nil {
		return false, err
	}
	v.seen.mu.Lock()
	defer v.seen.mu.Unlock()
	if !v.seen.known {
		v.seen.known, v.seen.file = true, now
		return false, nil
	}
	if sameStamp(v.seen.file, now) {
		return false, nil
	}
	v.seen.file = now
	return true, nil
}

// noteOwnWrite remembers the file this vault just wrote, under the lock no
// other process writes through, so that Changed does not report it.
func (v *Vault) noteOwnWrite() {
	now, err := v.statFile()
	if err != nil {
		return // the next Changed reports it: one reload too many, never one too few
	}
	v.seen.mu.Lock()
	defer v.seen.mu.Unlock()
	v.seen.known, v.seen.file = true, now
}

func (v *Vault) statFile() (os.FileInfo, error) {
	fi, err := os.Stat(v.Path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return fi, err
}

func sameStamp(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}
