package vault

// leftovers.go: temporary files an interrupted atomic write left behind.
// github.com/natefinch/atomic writes <dir>/<name><random digits> (os.CreateTemp
// with the target's name as the pattern) and renames it over <name>; a kill
// between the two leaves it. The journal and `storelink doctor` remove them.

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// leftoverGrace keeps a temporary file younger than this: another process
// may be writing it right now.
const leftoverGrace = time.Minute

// stateTemp matches a leftover of any file in <home>/state (the journal and
// connectors' state files).
var stateTemp = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}\.json[0-9]+$`) })

// tempOf matches the leftovers of atomic.WriteFile for a file called base.
func tempOf(base string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `[0-9]+$`)
}

// removeTemps removes the regular files in dir that match and were last
// written before cutoff; it returns how many.
func removeTemps(dir string, match *regexp.Regexp, cutoff time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := 0
	var firstErr error
	for _, e := range entries {
		if !e.Type().IsRegular() || !match.MatchString(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil || fi.ModTime().After(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		removed++
	}
	return removed, firstErr
}

// removeJournalTemps removes the journal's own leftovers, past the grace.
func (v *Vault) removeJournalTemps() (int, error) {
	return removeTemps(filepath.Dir(v.journalPath()), tempOf(JournalFile), v.now().Add(-leftoverGrace))
}

// removeSettingsTemps removes the settings file's leftovers, beside it and
// beside the file it links to. Called with the lock held: every writer of
// the settings file holds it, so no grace is needed.
func (v *Vault) removeSettingsTemps() (int, error) {
	cutoff := v.now().Add(time.Hour) // any age
	n, err := removeTemps(v.dir, tempOf(FileName), cutoff)
	if t, terr := v.target(); terr == nil && t != v.Path() {
		m, err2 := removeTemps(filepath.Dir(t), tempOf(filepath.Base(t)), v.now().Add(-leftoverGrace))
		n += m
		err = errors.Join(err, err2)
	}
	return n, err
}

// RemoveLeftovers removes, under the lock, the temporary files interrupted
// writes of the settings file, the journal and connectors' state left, and
// returns how many: what `storelink doctor` reports.
func (v *Vault) RemoveLeftovers() (removed int, err error) {
	err = v.withLock(func() error {
		n, err := v.removeSettingsTemps()
		m, err2 := removeTemps(filepath.Dir(v.journalPath()), stateTemp(), v.now().Add(-leftoverGrace))
		removed = n + m
		return errors.Join(err, err2)
	})
	return removed, err
}
