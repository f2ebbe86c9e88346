package vault

// journal.go: keychain writes that a crash or a failure could leave behind.
// Before items are written or removed, an intent naming them and the
// (ID, generation) they belong to goes to <home>/state/keychain-journal.json.
// Replaying the journal keeps the items of every (ID, generation) the
// settings file lists and removes the rest, so whatever a kill -9, a full
// disk or a failing keychain leaves is found and cleaned on the next write
// (and by `storelink doctor`), on every system, without listing the keychain.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/natefinch/atomic"

	"storelink/connectors"
)

// JournalFile is the journal inside <home>/state.
const JournalFile = "keychain-journal.json"

// intent is a set of keychain items of one (ID, generation): kept while the
// settings file lists that generation, removed otherwise.
type intent struct {
	ID         string         `json:"id"`
	Generation int            `json:"generation"`
	Items      map[string]int `json:"items"` // head key -> chunks it may have (0: read the head)
	At         time.Time      `json:"at"`
}

type journalDoc struct {
	Schema  int      `json:"schema"`
	Intents []intent `json:"intents"`
}

func (v *Vault) journalPath() string { return filepath.Join(v.dir, "state", JournalFile) }

func (v *Vault) loadJournal() (journalDoc, error) {
	_, _ = v.removeJournalTemps() // best effort: doctor reports what stays
	data, err := connectors.ReadLocalFile("Keychain journal", v.journalPath(), MaxSettingsSize)
	if errors.Is(err, os.ErrNotExist) {
		return journalDoc{Schema: 1}, nil
	}
	if err != nil {
		return journalDoc{}, err
	}
	var j journalDoc
	if err := json.Unmarshal(data, &j); err != nil {
		return journalDoc{}, fmt.Errorf("the keychain journal %s is damaged (%v); move it away, then run `storelink doctor`", v.journalPath(), err)
	}
	return j, nil
}

func (v *Vault) storeJournal(j journalDoc) error {
	if len(j.Intents) == 0 {
		err := os.Remove(v.journalPath())
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	if err := os.MkdirAll(filepath.Dir(v.journalPath()), 0o700); err != nil {
		return err
	}
	j.Schema = 1
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return atomic.WriteFile(v.journalPath(), bytes.NewReader(data))
}

// intend adds intents to the journal before their items are touched.
func (v *Vault) intend(add ...intent) error {
	j, err := v.loadJournal()
	if err != nil {
		return err
	}
	j.Intents = append(j.Intents, add...)
	if err := v.storeJournal(j); err != nil {
		return fmt.Errorf("cannot write the keychain journal %s: %w", v.journalPath(), err)
	}
	return nil
}

// plannedItems are the items putSecrets will write for values.
func plannedItems(values map[string]string, key func(field string) string) map[string]int {
	out := map[string]int{}
	for field, val := range values {
		n := 0
		if len(val) > chunkSize {
			n = len(splitChunks(val, chunkSize))
		}
		out[key(field)] = n
	}
	return out
}

// savedItems are the items of a saved connection or agent.
func savedItems(c Connection) intent {
	items := map[string]int{}
	for _, k := range c.SecretKeys {
		items[secretKey(c.ID, c.Generation, k)] = 0
	}
	return intent{ID: c.ID, Generation: c.Generation, Items: items}
}

// replay removes the items of every intent whose generation f does not list,
// and temporary settings files a killed write left; it returns how many
// items it removed. Called with the lock held.
func (v *Vault) replay(s Secrets, f file) (removed int, err error) {
	_, _ = v.removeSettingsTemps() // best effort: doctor reports what stays
	j, err := v.loadJournal()
	if err != nil || len(j.Intents) == 0 {
		return 0, err
	}
	live := map[string]bool{}
	for _, c := range append(append([]Connection{}, f.Connections...), f.Agents...) {
		live[c.ID+"/"+fmt.Sprint(c.Generation)] = true
	}
	var kept []intent
	var firstErr error
	for _, in := range j.Intents {
		if live[in.ID+"/"+fmt.Sprint(in.Generation)] {
			continue // listed: its items are in use
		}
		left := map[string]int{}
		for key, n := range in.Items {
			if err := removeItem(s, key, n); err != nil {
				left[key] = n
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			removed++
		}
		if len(left) > 0 {
			in.Items = left
			kept = append(kept, in)
		}
	}
	j.Intents = kept
	if err := v.storeJournal(j); err != nil && firstErr == nil {
		firstErr = err
	}
	return removed, firstErr
}

// removeItem deletes a head item and its chunks; n chunks are removed even
// when the head was never written (a kill between the chunks and the head).
func removeItem(s Secrets, key string, n int) error {
	for i := 1; i <= n && i <= maxChunks; i++ {
		if err := s.Delete(chunkKey(key, i)); err != nil {
			return err
		}
	}
	return deleteValue(s, key)
}

// Clean replays the journal under the lock: what `storelink doctor` runs.
// It returns how many keychain items it removed and how many intents are
// still pending (their items could not be removed yet).
func (v *Vault) Clean() (removed, pending int, err error) {
	err = v.withLock(func() error {
		f, err := v.read()
		if err != nil {
			return err
		}
		removed, err = v.replay(Operation(v.secrets), f)
		j, jerr := v.loadJournal()
		if jerr == nil {
			pending = len(j.Intents)
		}
		return err
	})
	return removed, pending, err
}
