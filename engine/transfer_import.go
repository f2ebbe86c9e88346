package engine

// transfer_import.go: reading an export file back. Everything is read,
// decrypted and checked (each entry through Check or CheckAgent, against the
// saved list as the import would leave it) before anything is saved; a name
// already taken is refused unless the caller says skip, rename or replace.
// Imported entries are saved without a network test, marked unverified.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"

	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// Import is an export file read and decrypted; nothing is saved yet.
type Import struct {
	Path      string
	Encrypted bool
	doc       transferDoc
}

// Counts are how many connections and agents the file holds.
func (im *Import) Counts() (connections, agents int) {
	return len(im.doc.Connections), len(im.doc.Agents)
}

// WithSecrets reports whether the file holds the secrets.
func (im *Import) WithSecrets() bool { return im.doc.WithSecrets }

// Reasons an imported entry is unverified, until its first test.
const (
	ImportedReason              = "imported; not tested yet"
	ImportedWithoutSecretReason = "imported without secrets; edit it to enter its secrets, then test it"
)

// OpenImport reads the export file at path (at most MaxTransferFileSize)
// and, when it is encrypted, asks passphrase for the key; nothing is saved.
func (e *Engine) OpenImport(path string, passphrase func() (string, error)) (*Import, error) {
	data, err := connectors.ReadLocalFile("Import file", path, MaxTransferFileSize)
	if err != nil {
		return nil, err
	}
	return parseImport(path, data, passphrase)
}

func parseImport(path string, data []byte, passphrase func() (string, error)) (*Import, error) {
	nothing := "nothing was imported"
	damaged := func(why string) error {
		return transferError(path, ErrDamagedFile, "%s is damaged (%s); %s: export it again on the other computer", path, why, nothing)
	}
	im := &Import{Path: path}
	head := bytes.TrimLeft(data, " \t\r\n")
	armored := bytes.HasPrefix(head, []byte(armor.Header))
	if armored || bytes.HasPrefix(head, []byte("age-encryption.org/")) {
		im.Encrypted = true
		p := ""
		if passphrase != nil {
			var err error
			if p, err = passphrase(); err != nil {
				return nil, err
			}
		}
		if p == "" {
			return nil, transferError(path, ErrNoPassphrase, "%s is encrypted; %s: give the passphrase chosen when it was exported", path, nothing)
		}
		id, err := age.NewScryptIdentity(p)
		if err != nil {
			return nil, err
		}
		var src io.Reader = bytes.NewReader(head)
		if armored {
			src = armor.NewReader(src)
		}
		r, err := age.Decrypt(src, id)
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, transferError(path, ErrWrongPassphrase, "%s: the passphrase does not open this file; %s: type the passphrase chosen when it was exported (if it is the right one, the file was changed since: export it again)", path, nothing)
		}
		if err != nil {
			return nil, damaged(err.Error())
		}
		plain, err := io.ReadAll(io.LimitReader(r, MaxTransferFileSize+1))
		if err != nil {
			return nil, damaged(err.Error())
		}
		if len(plain) > MaxTransferFileSize {
			return nil, damaged("it decrypts to more than an export ever holds")
		}
		data = plain
	}
	var version struct {
		Format *int `json:"format"`
	}
	if err := json.Unmarshal(data, &version); err != nil {
		if !im.Encrypted && !bytes.HasPrefix(head, []byte("{")) {
			return nil, notExport(path)
		}
		return nil, damaged(jsonWhy(err))
	}
	switch {
	case version.Format == nil || *version.Format < 1:
		return nil, notExport(path)
	case *version.Format > TransferFormat:
		return nil, transferError(path, ErrNewerFormat, "%s was written by a newer Storelink (format %d); update Storelink, then import it again; %s", path, *version.Format, nothing)
	}
	if err := json.Unmarshal(data, &im.doc); err != nil {
		return nil, damaged(jsonWhy(err))
	}
	if im.Encrypted {
		clear(data)
	}
	for _, list := range [][]TransferEntry{im.doc.Agents, im.doc.Connections} {
		for i := range list {
			if names.Tidy(list[i].Name) == "" {
				return nil, damaged(fmt.Sprintf("entry %d has no name", i+1))
			}
			if list[i].Values == nil {
				list[i].Values = connectors.Values{}
			}
		}
	}
	return im, nil
}

func notExport(path string) error {
	return transferError(path, ErrNotExportFile, "%s is not a Storelink export file; nothing was imported: choose a file made by `storelink export` or File > Export", path)
}

// jsonWhy describes a JSON error without quoting the input (it may hold secrets).
func jsonWhy(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%q has the wrong type", te.Field)
	}
	return "not valid JSON"
}

// Conflict says what an import does with a name already saved here.
type Conflict string

const (
	ConflictRefuse  Conflict = ""        // nothing is imported
	ConflictSkip    Conflict = "skip"    // the saved one stays, the file's is left out
	ConflictRename  Conflict = "rename"  // the file's is saved under a free name
	ConflictReplace Conflict = "replace" // the file's replaces the saved one
)

// ConflictError refuses an import whose names are taken here; nothing was
// imported. The names are the file's.
type ConflictError struct{ Connections, Agents []string }

func (e *ConflictError) Error() string {
	var parts []string
	if len(e.Connections) > 0 {
		parts = append(parts, "connections "+quoteAll(e.Connections))
	}
	if len(e.Agents) > 0 {
		parts = append(parts, "agents "+quoteAll(e.Agents))
	}
	return fmt.Sprintf("the file holds %s whose names are already taken here; nothing was imported: skip them, import them under new names, or replace the saved ones", strings.Join(parts, " and "))
}

// ImportedItem is what an import did with one entry of the file.
type ImportedItem struct {
	Kind    string // "connection" or "agent"
	Name    string // in the file
	SavedAs string // "" when skipped
	Action  string // "added", "renamed", "replaced" or "skipped"
}

// ImportReport says what an import did.
type ImportReport struct {
	Path      string
	Encrypted bool
	Items     []ImportedItem
}

// ImportError is a save that failed part-way; the entries saved before it
// were removed again (Undone) unless the store refused that too (Left).
type ImportError struct {
	Entry  string // `connection "Shop"`
	Err    error
	Undone []string
	Left   []string
}

func (e *ImportError) Error() string {
	msg := fmt.Sprintf("the import stopped at %s: %v", e.Entry, e.Err)
	if len(e.Undone) > 0 {
		msg += fmt.Sprintf("; undone again: %s", strings.Join(e.Undone, ", "))
	}
	if len(e.Left) > 0 {
		return msg + fmt.Sprintf("; could NOT be undone, check them: %s", strings.Join(e.Left, ", "))
	}
	return msg + "; nothing was changed"
}

func (e *ImportError) Unwrap() error { return e.Err }

// plan is one entry of the file on its way in.
type plan struct {
	agent   bool
	entry   TransferEntry
	name    string // saved as
	action  string
	old     *vault.Connection // the saved one it replaces
	oldSec  connectors.Values
	checked Checked
	depth   int // saved after the entries it refers to
}

func (p *plan) label() string {
	if p.agent {
		return fmt.Sprintf("agent %q", p.name)
	}
	return fmt.Sprintf("connection %q", p.name)
}

// ImportConflicts lists the file's names that are taken here.
func (e *Engine) ImportConflicts(im *Import) (*ConflictError, error) {
	_, err := e.plans(im, ConflictRefuse)
	var ce *ConflictError
	if errors.As(err, &ce) {
		return ce, nil
	}
	return nil, err
}

// Import saves the file's agents, then its connections, without testing
// them, marked unverified. Everything is checked first; a save that fails
// part-way undoes the ones before it (an *ImportError says how far).
func (e *Engine) Import(im *Import, on Conflict) (ImportReport, error) {
	switch on {
	case ConflictRefuse, ConflictSkip, ConflictRename, ConflictReplace:
	default:
		return ImportReport{}, fmt.Errorf("unknown conflict rule %q", on)
	}
	ps, err := e.plans(im, on)
	if err != nil {
		return ImportReport{}, err
	}
	if err := e.checkPlans(im, ps); err != nil {
		return ImportReport{}, err
	}
	for _, p := range ps {
		if p.old != nil {
			if p.oldSec, err = e.d.Store.Secrets(*p.old); err != nil {
				return ImportReport{}, fmt.Errorf("the secrets of the saved %s could not be read, so it cannot be replaced safely; nothing was imported: %w", p.label(), err)
			}
		}
	}
	if err := e.apply(im, ps); err != nil {
		return ImportReport{}, err
	}
	for _, k := range []string{KindAgent, KindConnection} { // the lists read themselves again
		e.announce(Change{Kind: k, Op: Reloaded})
	}
	rep := ImportReport{Path: im.Path, Encrypted: im.Encrypted}
	for _, p := range ps {
		kind, saved := "connection", p.name
		if p.agent {
			kind = "agent"
		}
		if p.action == "skipped" {
			saved = ""
		}
		rep.Items = append(rep.Items, ImportedItem{Kind: kind, Name: p.entry.Name, SavedAs: saved, Action: p.action})
	}
	e.d.Log.WithFields(map[string]any{"file": im.Path, "entries": len(ps)}).Info("imported")
	return rep, nil
}

// plans decides each entry's name and action; agents come first.
func (e *Engine) plans(im *Import, on Conflict) ([]*plan, error) {
	savedConns, err := e.List()
	if err != nil {
		return nil, err
	}
	savedAgents, err := e.ListAgents()
	if err != nil {
		return nil, err
	}
	taken := namesOf(append(append([]vault.Connection{}, savedConns...), savedAgents...))
	for _, list := range [][]TransferEntry{im.doc.Agents, im.doc.Connections} {
		for i, a := range list {
			taken = append(taken, a.Name)
			for _, b := range list[:i] {
				if names.LookAlike(a.Name, b.Name) {
					return nil, transferError(im.Path, ErrDamagedFile, "%s holds two entries whose names look the same (%q and %q); nothing was imported: rename one on the other computer and export again", im.Path, b.Name, a.Name)
				}
			}
		}
	}
	conflict := &ConflictError{}
	var out []*plan
	add := func(agent bool, list []TransferEntry, saved []vault.Connection, clashes *[]string) error {
		for _, en := range list {
			p := &plan{agent: agent, entry: en, name: names.Tidy(en.Name), action: "added"}
			for i := range saved {
				if !names.LookAlike(saved[i].Name, p.name) {
					continue
				}
				switch on {
				case ConflictRefuse:
					*clashes = append(*clashes, en.Name)
				case ConflictSkip:
					p.action = "skipped"
				case ConflictRename:
					p.action, p.name = "renamed", freeImportName(p.name, taken)
					taken = append(taken, p.name)
				case ConflictReplace:
					if !agent && saved[i].App != en.App {
						return &InputError{[]connectors.FieldError{{Key: "app", Label: fmt.Sprintf("Connection %q", en.Name),
							Message: fmt.Sprintf("is a %s connection here and a %s one in the file; a connection cannot change its platform: import it under a new name instead", saved[i].App, en.App)}}}
					}
					old := saved[i]
					p.action, p.old = "replaced", &old
				}
				break
			}
			out = append(out, p)
		}
		return nil
	}
	if err := add(true, im.doc.Agents, savedAgents, &conflict.Agents); err != nil {
		return nil, err
	}
	if err := add(false, im.doc.Connections, savedConns, &conflict.Connections); err != nil {
		return nil, err
	}
	if len(conflict.Agents)+len(conflict.Connections) > 0 {
		return nil, conflict
	}
	follow(out)
	return out, nil
}

// freeImportName is name (imported), numbered when that is taken too.
func freeImportName(name string, taken []string) string {
	base := name + " (imported)"
	try := base
	for i := 2; i < 1000; i++ {
		free := true
		for _, t := range taken {
			free = free && !names.LookAlike(t, try)
		}
		if free {
			return try
		}
		try = fmt.Sprintf("%s %d", base, i)
	}
	return try
}

// follow points the file's references (agent, via, borrow from) at the
// names their targets get here, and orders the saves so a target comes
// before the entries that refer to it.
func follow(ps []*plan) {
	target := func(agent bool, ref string) *plan {
		for _, p := range ps {
			if p.agent == agent && ref != "" && names.Equal(p.entry.Name, ref) {
				return p
			}
		}
		return nil
	}
	refs := func(p *plan) []struct {
		key   string
		agent bool
	} {
		if p.agent {
			return []struct {
				key   string
				agent bool
			}{{vault.FieldVia, true}}
		}
		return []struct {
			key   string
			agent bool
		}{{connectors.FieldAgent, true}, {connectors.FieldBorrowFrom, false}}
	}
	for _, p := range ps {
		p.entry.Values = p.entry.Values.Clone()
		p.entry.Values[connectors.FieldName] = p.name
	}
	for _, p := range ps {
		for _, r := range refs(p) {
			if t := target(r.agent, p.entry.Values.String(r.key)); t != nil && t.action != "skipped" {
				p.entry.Values[r.key] = t.name
			}
		}
	}
	var depth func(p *plan, n int) int
	depth = func(p *plan, n int) int {
		if n > 64 { // a circle: the checks refuse it
			return n
		}
		d := 0
		for _, r := range refs(p) {
			for _, t := range ps {
				if t != p && t.agent == r.agent && t.action != "skipped" && names.Equal(t.name, p.entry.Values.String(r.key)) {
					d = max(d, depth(t, n+1)+1)
				}
			}
		}
		return d
	}
	for _, p := range ps {
		p.depth = depth(p, 0)
	}
}
