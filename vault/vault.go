// Package vault keeps saved connections: their settings in a JSON file
// (written atomically under a cross-process lock) and their secrets in the
// OS keychain. It imports no Fyne.
package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/natefinch/atomic"

	"storelink/connectors"
	"storelink/names"
)

// SchemaVersion of connections.json; a newer file is never overwritten.
// 2 added agents: a Storelink that knows only 1 refuses to rewrite (and so
// drop) them. Files of schema 1 load unchanged.
const SchemaVersion = 2

// MaxSettingsSize bounds what the vault reads of its own files: about 64,000
// saved connections. A link to a device or a pipe is refused, never read.
const MaxSettingsSize = 64 << 20

// FileName is the settings file inside the Storelink home.
const FileName = "connections.json"

var (
	// ErrNotFound: no saved connection has that name.
	ErrNotFound = errors.New("no saved connection has that name")
	// ErrDuplicateName: another connection already has that name.
	ErrDuplicateName = errors.New("a connection with that name already exists")
)

// NameError is a problem with the Name field, worded for the form.
type NameError struct {
	Name string // the saved name, for ErrDuplicateName
	Kind string // "connection" (when empty) or "agent"
	Err  error
	// Given is the name that was refused, when it only looks like Name.
	Given string
}

func (e *NameError) Error() string {
	if errors.Is(e.Err, ErrDuplicateName) {
		noun := "a connection"
		if e.Kind == "agent" {
			noun = "an agent"
		}
		if e.Given != "" && !names.Equal(e.Given, e.Name) {
			return fmt.Sprintf("Name: %q looks the same as %s named %q that already exists; choose a name that looks different", e.Given, noun, e.Name)
		}
		return fmt.Sprintf("Name: %s named %q already exists; choose another name", noun, e.Name)
	}
	return "Name: " + e.Err.Error()
}

func (e *NameError) Unwrap() error { return e.Err }

type file struct {
	Schema      int          `json:"schema"`
	Connections []Connection `json:"connections"`
	// Agents are the on-premise agents (SSH servers) connections go through.
	Agents []Connection `json:"agents,omitempty"`
}

// kind picks the list of a file that an operation works on.
type kind struct {
	noun string // "connection", "agent", in messages
	list func(f *file) *[]Connection
	// renamed, when set, runs inside the save that renamed from to to.
	renamed func(f *file, from, to string)
}

var (
	connectionsKind = kind{noun: "connection", list: func(f *file) *[]Connection { return &f.Connections }, renamed: renameLenderUses}
	agentsKind      = kind{noun: "agent", list: func(f *file) *[]Connection { return &f.Agents }, renamed: renameAgentUses}
)

// Vault is the store of saved connections. Safe for use by several
// goroutines and processes at once.
type Vault struct {
	dir     string
	secrets Secrets
	// OnSecret is told every secret value read or written, so the log
	// redactor can mask it.
	OnSecret func(values ...string)
	// OnOrphans hears of keychain items a delete could not remove.
	OnOrphans   func(connection string, fields []string)
	LockTimeout time.Duration
	now         func() time.Time
	// failWrite, in tests, stands for a settings folder that cannot be
	// written (read-only, full): root ignores file modes.
	failWrite func() error
	// seen is the settings file as last written or seen (Changed).
	seen *stamp
	// recorded is the document RecordMany last read or wrote.
	recorded *parsed
}

// Open returns the vault in dir, creating dir (0700) if needed.
func Open(dir string, secrets Secrets) (*Vault, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the Storelink folder %s: %w", dir, err)
	}
	return &Vault{dir: dir, secrets: secrets, LockTimeout: 10 * time.Second, now: time.Now, seen: &stamp{}, recorded: &parsed{}}, nil
}

// Path is the settings file.
func (v *Vault) Path() string { return filepath.Join(v.dir, FileName) }

// Dir is the Storelink home the vault lives in.
func (v *Vault) Dir() string { return v.dir }

func (v *Vault) withLock(fn func() error) error {
	lock := flock.New(v.Path() + ".lock")
	ctx, cancel := context.WithTimeout(context.Background(), v.LockTimeout)
	defer cancel()
	ok, err := lock.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		return fmt.Errorf("another Storelink process holds %s.lock and did not release it within %s: %v", v.Path(), v.LockTimeout, err)
	}
	defer lock.Unlock()
	return fn()
}

func (v *Vault) read() (file, error) {
	data, err := v.readData()
	if err != nil {
		return file{}, err
	}
	if data == nil {
		return file{Schema: SchemaVersion}, nil
	}
	return v.parse(data)
}

// readData is the settings file's bytes; nil when there is no file yet.
func (v *Vault) readData() ([]byte, error) {
	data, err := connectors.ReadLocalFile("Settings file", v.Path(), MaxSettingsSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if data == nil && err == nil {
		data = []byte{} // an empty file is damaged, not absent
	}
	return data, err
}

func (v *Vault) parse(data []byte) (file, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return file{}, fmt.Errorf("%s is damaged (%v); it was left untouched: restore it from a backup or move it away to start afresh", v.Path(), err)
	}
	// null, {} or a document without its schema is not an empty list: it is
	// something else, and saving over it would lose whatever it was. (A
	// schema 1 file with "connections": null is what 0.1.0 wrote once the
	// last connection was deleted: empty, rightly.)
	if f.Schema < 1 {
		return file{}, fmt.Errorf("%s is damaged (it is not a Storelink settings document with a schema version); it was left untouched: restore it from a backup or move it away to start afresh", v.Path())
	}
	if f.Schema > SchemaVersion {
		return file{}, fmt.Errorf("%s was written by a newer Storelink (schema %d); update Storelink to use it", v.Path(), f.Schema)
	}
	return f, nil
}

func (v *Vault) write(f file) error {
	_, err := v.writeData(f)
	return err
}

// writeData is write that also returns the bytes the file now holds.
func (v *Vault) writeData(f file) ([]byte, error) {
	f.Schema = SchemaVersion
	if f.Connections == nil {
		f.Connections = []Connection{}
	}
	for _, list := range [][]Connection{f.Connections, f.Agents} {
		sort.Slice(list, func(a, b int) bool { return strings.ToLower(list[a].Name) < strings.ToLower(list[b].Name) })
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	data = append(data, '\n')
	if v.failWrite != nil {
		if err := v.failWrite(); err != nil {
			return nil, fmt.Errorf("cannot save %s: %w", v.Path(), err)
		}
	}
	target, err := v.target()
	if err != nil {
		return nil, err
	}
	if err := atomic.WriteFile(target, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("cannot save %s: %w", target, err)
	}
	if err := os.Chmod(target, 0o600); err != nil {
		return nil, err
	}
	v.noteOwnWrite()
	return data, nil
}

// target is the file a save replaces: the settings file, or the file it is
// a symbolic link to (the link stays, the target gets the new list, its
// temporary file beside it). A link to something else than a regular file
// is refused: replacing the link would leave its target with the old list.
func (v *Vault) target() (string, error) {
	fi, err := os.Lstat(v.Path())
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return v.Path(), nil // absent (created) or a plain file
	}
	t, err := filepath.EvalSymlinks(v.Path())
	if err != nil {
		return "", fmt.Errorf("%s is a link to a file that cannot be reached (%v); nothing was saved: point the link at the settings file, or replace the link with the file", v.Path(), err)
	}
	if fi, err := os.Stat(t); err != nil || !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is a link to %s, which is not a regular file; nothing was saved: point the link at the settings file, or replace the link with the file", v.Path(), t)
	}
	return t, nil
}

// renameLenderUses points the connections that borrow their concurrency
// level from from at to, in the save that renames it.
func renameLenderUses(f *file, from, to string) {
	for i := range f.Connections {
		if names.Equal(f.Connections[i].Values[connectors.FieldBorrowFrom], from) {
			f.Connections[i].Values[connectors.FieldBorrowFrom] = to
		}
	}
}

// List returns the saved connections sorted by name.
func (v *Vault) List() ([]Connection, error) {
	f, err := v.read()
	return f.Connections, err
}

// Get returns the connection called name.
func (v *Vault) Get(name string) (Connection, error) {
	f, err := v.read()
	if err != nil {
		return Connection{}, err
	}
	if i := find(f.Connections, name); i >= 0 {
		return f.Connections[i], nil
	}
	return Connection{}, fmt.Errorf("%q: %w", name, ErrNotFound)
}

// lookupIn finds connections by name in cs, for SaveOptions.Check.
func lookupIn(cs []Connection) func(name string) (Connection, bool) {
	return func(name string) (Connection, bool) {
		if i := find(cs, name); i >= 0 {
			return cs[i], true
		}
		return Connection{}, false
	}
}

// find is the index of the connection called name (any case or Unicode
// composition), or -1.
func find(cs []Connection, name string) int {
	for i, c := range cs {
		if names.Equal(c.Name, name) {
			return i
		}
	}
	return -1
}

// findLookAlike is the index of a connection other than except whose name
// looks the same as name (names.LookAlike), or -1: checked under the lock,
// so two saves at once cannot both add a look-alike.
func findLookAlike(cs []Connection, name string, except *Connection) int {
	for i := range cs {
		if except != nil && &cs[i] == except {
			continue
		}
		if names.LookAlike(cs[i].Name, name) {
			return i
		}
	}
	return -1
}

func newID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

func secretKey(id string, gen int, field string) string {
	return id + "/" + strconv.Itoa(gen) + "/" + field
}

// Save stores c and its secrets all-or-nothing: the secrets go to new
// keychain items first, then the file is replaced; if anything fails, the
// new items are removed and the previous save stays as it was. A rename
// points the connections that borrow its concurrency level at the new name.
func (v *Vault) Save(c Connection, secrets connectors.Values, opts SaveOptions) (Connection, error) {
	return v.save(connectionsKind, c, secrets, opts)
}

func (v *Vault) save(k kind, c Connection, secrets connectors.Values, opts SaveOptions) (Connection, error) {
	c.Name = names.Tidy(c.Name)
	if c.Name == "" {
		return Connection{}, &NameError{Err: errors.New("required; enter a value")}
	}
	if c.Values == nil {
		c.Values = connectors.Values{}
	}
	c.Values[connectors.FieldName] = c.Name
	var saved Connection
	s := Operation(v.secrets)
	err := v.withLock(func() error {
		f, err := v.read()
		if err != nil {
			return err
		}
		v.cleanUp(s, f) // what an earlier crash or failure left
		list := k.list(&f)
		var old *Connection
		if opts.Replace != "" {
			i := find(*list, opts.Replace)
			if i < 0 {
				return fmt.Errorf("%q: %w", opts.Replace, k.notFound())
			}
			old = &(*list)[i]
		}
		if i := findLookAlike(*list, c.Name, old); i >= 0 {
			return &NameError{Name: (*list)[i].Name, Given: c.Name, Kind: k.noun, Err: ErrDuplicateName}
		}
		now := v.now().UTC()
		c.ID, c.Generation, c.Created = k.newID(), 1, now
		oldName := ""
		if old != nil {
			c.ID, c.Generation, c.Created, oldName = old.ID, old.Generation+1, old.Created, old.Name
			if c.Last == nil {
				c.Last = old.Last
			} else if opts.Follow != nil {
				l := opts.Follow(old.Last, *c.Last)
				c.Last = &l
			}
		} else if c.Last != nil && opts.Follow != nil {
			l := opts.Follow(nil, *c.Last)
			c.Last = &l
		}
		c.Updated = now
		all := connectors.Values{}
		for key, val := range secrets {
			if val != "" {
				all[key] = val
			}
		}
		if opts.KeepSecrets && old != nil {
			for _, key := range old.SecretKeys {
				if _, given := all[key]; given {
					continue
				}
				val, err := getValue(s, secretKey(old.ID, old.Generation, key))
				if err != nil {
					return err
				}
				all[key] = val
			}
		}
		// The journal learns of the new items before they exist, and of the
		// items this save supersedes; replaying it after the write keeps
		// whichever generation the file lists and removes the other.
		intents := []intent{{ID: c.ID, Generation: c.Generation, At: now,
			Items: plannedItems(all, func(field string) string { return secretKey(c.ID, c.Generation, field) })}}
		if old != nil {
			intents = append(intents, savedItems(*old))
		}
		// The file as this save leaves it, in memory: the caller's check
		// sees it before any keychain item is written.
		c.SecretKeys = sortedKeys(all)
		if old != nil {
			*old = c
		} else {
			*list = append(*list, c)
		}
		if k.renamed != nil && oldName != "" && oldName != c.Name {
			k.renamed(&f, oldName, c.Name)
		}
		if opts.Check != nil {
			if err := opts.Check(lookupIn(*list)); err != nil {
				return err
			}
		}
		if err := v.intend(intents...); err != nil {
			return err
		}
		if _, err := v.putSecrets(s, c.ID, c.Generation, all); err != nil {
			v.cleanUpFromDisk(s)
			return err
		}
		if err := v.write(f); err != nil {
			v.cleanUpFromDisk(s)
			return err
		}
		saved = c
		v.cleanUp(s, f) // the superseded items go; a leftover stays in the journal
		return nil
	})
	return saved, err
}

func (k kind) notFound() error {
	if k.noun == "agent" {
		return ErrAgentNotFound
	}
	return ErrNotFound
}

func (k kind) newID() string {
	if k.noun == "agent" {
		return "agent-" + newID()
	}
	return newID()
}

func sortedKeys(m connectors.Values) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (v *Vault) putSecrets(s Secrets, id string, gen int, values connectors.Values) ([]string, error) {
	var written []string
	for _, k := range sortedKeys(values) {
		if v.OnSecret != nil {
			v.OnSecret(values[k])
		}
		keys, err := putValue(s, secretKey(id, gen, k), values[k])
		written = append(written, keys...)
		if err != nil {
			return written, fmt.Errorf("%s: %w", k, err)
		}
	}
	return written, nil
}

// cleanUp replays the journal against f. A keychain that fails now keeps
// its intents in the journal for the next write (or doctor) to finish.
func (v *Vault) cleanUp(s Secrets, f file) {
	_, _ = v.replay(s, f) // what is not removed now stays listed in the journal
}

// cleanUpFromDisk replays the journal against the file as it is on disk
// (a save that failed before or while writing it).
func (v *Vault) cleanUpFromDisk(s Secrets) {
	if f, err := v.read(); err == nil {
		v.cleanUp(s, f)
	}
}

// Delete removes the connection, then its keychain items. The settings file
// changes first: if the keychain then fails, an item nobody lists is left
// behind (harmless, and OnOrphans hears of it), never a listed connection
// whose secrets are gone.
func (v *Vault) Delete(name string) error { return v.delete(connectionsKind, name) }

func (v *Vault) delete(k kind, name string) error {
	s := Operation(v.secrets)
	return v.withLock(func() error {
		f, err := v.read()
		if err != nil {
			return err
		}
		list := k.list(&f)
		i := find(*list, name)
		if i < 0 {
			return fmt.Errorf("%q: %w", name, k.notFound())
		}
		c := (*list)[i]
		if k.noun == "agent" {
			if users := agentUsers(f, c.Name); len(users) > 0 {
				return &InUseError{Agent: c.Name, Connections: users}
			}
		}
		if err := v.intend(savedItems(c)); err != nil {
			return fmt.Errorf("the %s was not deleted: %w", k.noun, err)
		}
		*list = append((*list)[:i], (*list)[i+1:]...)
		if err := v.write(f); err != nil {
			v.cleanUpFromDisk(s)
			return fmt.Errorf("the %s was not deleted: %w", k.noun, err)
		}
		if _, err := v.replay(s, f); err != nil && v.OnOrphans != nil {
			v.OnOrphans(c.Name, c.SecretKeys) // still in the journal: cleaned on the next write
		}
		return nil
	})
}

// Record stores the outcome of a test of connection name.
func (v *Vault) Record(name string, ver Verification) error {
	return v.record(connectionsKind, name, ver)
}

// RecordMany stores several outcomes in one write; a name no longer saved
// (deleted while its test ran) is skipped. follow, when set, turns each
// outcome into what follows the saved one, as the file holds it under the
// lock, so two processes recording at once agree.
func (v *Vault) RecordMany(vs map[string]Verification, follow Follow) error {
	return v.recordMany(connectionsKind, vs, follow)
}

// The document is parsed again only when the file's bytes differ from
// those this vault last read or wrote here (recorded): a hundred tests side
// by side rewrite the file dozens of times, each parse the costliest step.
func (v *Vault) recordMany(k kind, vs map[string]Verification, follow Follow) error {
	return v.withLock(func() error {
		f, err := v.recorded.read(v)
		if err != nil {
			return err
		}
		list := k.list(&f)
		// The names come from the saved entries, as they are spelled: look
		// them up as such before comparing with every entry's folded name.
		exact := make(map[string]int, len(*list))
		for i := len(*list) - 1; i >= 0; i-- {
			exact[(*list)[i].Name] = i
		}
		changed := false
		for name, ver := range vs {
			i, ok := exact[name]
			if !ok {
				i = find(*list, name)
			}
			if i >= 0 {
				if follow != nil {
					ver = follow((*list)[i].Last, ver)
				}
				(*list)[i].Last, changed = &ver, true
			}
		}
		if !changed {
			return nil
		}
		data, err := v.writeData(f)
		if err == nil {
			v.recorded.keep(data, f)
		}
		return err
	})
}

func (v *Vault) record(k kind, name string, ver Verification) error {
	return v.withLock(func() error {
		f, err := v.read()
		if err != nil {
			return err
		}
		list := k.list(&f)
		i := find(*list, name)
		if i < 0 {
			return fmt.Errorf("%q: %w", name, k.notFound())
		}
		(*list)[i].Last = &ver
		return v.write(f)
	})
}
