package engine

// transfer.go: moving saved connections and agents to another computer.
// An export file holds their settings as JSON (connections.json's entries
// under a format version), or settings and secrets together, encrypted with
// a passphrase by age (scrypt recipient) in its armored, text form: a file
// an owner mails to themselves or copies through a chat arrives intact, and
// its first line says what it is. The plaintext never touches the disk.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"filippo.io/age"
	"filippo.io/age/armor"

	"storelink/connectors"
	"storelink/vault"
)

// TransferFormat is the version of export files this Storelink writes; a
// file of a newer format is refused, never half read.
const TransferFormat = 1

// MaxTransferFileSize bounds what an import reads (and decrypts): twice the
// settings file's bound, room for the secrets and the armor's base64.
const MaxTransferFileSize = 2 * vault.MaxSettingsSize

// MinPassphraseLength is the shortest passphrase an export accepts: the file
// holds every shop's keys, and only the passphrase protects it.
const MinPassphraseLength = 8

// TransferEntry is one connection or agent of an export file: its entry of
// connections.json, and its secrets when the file is encrypted.
type TransferEntry struct {
	vault.Connection
	Secrets connectors.Values `json:"secrets,omitempty"`
}

// transferDoc is an export file's JSON (the plaintext of an encrypted one).
type transferDoc struct {
	Format      int             `json:"format"`
	ExportedBy  string          `json:"exported_by"`
	ExportedAt  time.Time       `json:"exported_at"`
	WithSecrets bool            `json:"with_secrets"`
	Agents      []TransferEntry `json:"agents"`
	Connections []TransferEntry `json:"connections"`
}

// What an export or an import refuses; a *TransferError wraps one of them.
var (
	ErrWrongPassphrase = errors.New("the passphrase does not open this file")
	ErrDamagedFile     = errors.New("the file is damaged")
	ErrNewerFormat     = errors.New("the file was written by a newer Storelink")
	ErrNotExportFile   = errors.New("not a Storelink export file")
	ErrNoPassphrase    = errors.New("the file is encrypted and needs its passphrase")
	ErrFileExists      = errors.New("the file already exists")
)

// TransferError is a refused export or import file, in a whole sentence
// that names the file and says what to do; nothing was changed.
type TransferError struct {
	Path string
	Err  error // one of the Err... above
	msg  string
}

func (e *TransferError) Error() string { return e.msg }
func (e *TransferError) Unwrap() error { return e.Err }

func transferError(path string, err error, format string, a ...any) error {
	return &TransferError{Path: path, Err: err, msg: fmt.Sprintf(format, a...)}
}

// ExportOptions say what an export holds and where it may go.
type ExportOptions struct {
	// WithSecrets puts the secrets in too, encrypted with Passphrase.
	WithSecrets bool
	Passphrase  string
	// Replace lets the export replace an existing file (the window, once the
	// owner confirmed it); otherwise an existing file is refused.
	Replace bool
	// WorkFactor is scrypt's cost (log2); 0 means age's default (18, about a
	// second and 256 MiB). Tests lower it.
	WorkFactor int
}

// ExportSummary says what an export wrote.
type ExportSummary struct {
	Path        string
	Connections int
	Agents      int
	WithSecrets bool
}

// ExportFile writes every saved agent and connection to path (0600, in one
// atomic step): settings only, or with their secrets encrypted. An existing
// file is refused unless o.Replace; nothing is written when a secret cannot
// be read.
func (e *Engine) ExportFile(path string, o ExportOptions) (ExportSummary, error) {
	if o.WithSecrets && utf8.RuneCountInString(o.Passphrase) < MinPassphraseLength {
		return ExportSummary{}, &InputError{[]connectors.FieldError{{Key: "passphrase", Label: "Passphrase",
			Message: fmt.Sprintf("use at least %d characters: it alone protects every secret in the file", MinPassphraseLength)}}}
	}
	if !o.Replace {
		if err := CheckExportTarget(path); err != nil {
			return ExportSummary{}, err
		}
	}
	doc, err := e.exportDoc(o.WithSecrets)
	if err != nil {
		return ExportSummary{}, err
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return ExportSummary{}, err
	}
	if o.WithSecrets {
		plain := data
		data, err = seal(plain, o.Passphrase, o.WorkFactor)
		clear(plain) // best effort: the plaintext lived only in memory
		if err != nil {
			return ExportSummary{}, err
		}
	} else {
		data = append(data, '\n')
	}
	if err := writeNewFile(path, data, o.Replace); err != nil {
		return ExportSummary{}, err
	}
	e.d.Log.WithFields(map[string]any{"file": path, "connections": len(doc.Connections), "agents": len(doc.Agents), "with_secrets": o.WithSecrets}).Info("exported")
	return ExportSummary{Path: path, Connections: len(doc.Connections), Agents: len(doc.Agents), WithSecrets: o.WithSecrets}, nil
}

// CheckExportTarget refuses a path that exists already, so the command line
// can say so before it asks for a passphrase.
func CheckExportTarget(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return existsError(path)
	}
	return nil
}

func existsError(path string) error {
	return transferError(path, ErrFileExists, "%s already exists; nothing was exported: choose another file name, or move the old file away first", path)
}

// exportDoc reads every agent and connection, with their secrets when asked.
func (e *Engine) exportDoc(withSecrets bool) (transferDoc, error) {
	conns, err := e.List()
	if err != nil {
		return transferDoc{}, err
	}
	ags, err := e.ListAgents()
	if err != nil {
		return transferDoc{}, err
	}
	doc := transferDoc{Format: TransferFormat, ExportedBy: "storelink " + connectors.Version, ExportedAt: e.d.Now().UTC(),
		WithSecrets: withSecrets, Agents: make([]TransferEntry, len(ags)), Connections: make([]TransferEntry, len(conns))}
	for i, a := range ags {
		doc.Agents[i] = TransferEntry{Connection: a}
	}
	for i, c := range conns {
		doc.Connections[i] = TransferEntry{Connection: c}
	}
	if !withSecrets {
		return doc, nil
	}
	all := append(append([]vault.Connection{}, ags...), conns...)
	read := e.readSecrets(all)
	var failed []string
	var first error
	fill := func(list []TransferEntry) {
		for i := range list {
			r := read[list[i].ID]
			if r.Err != nil {
				failed = append(failed, list[i].Name)
				first = cmpErr(first, r.Err)
				continue
			}
			if len(r.Values) > 0 {
				list[i].Secrets = r.Values
			}
		}
	}
	fill(doc.Agents)
	fill(doc.Connections)
	if len(failed) > 0 {
		return transferDoc{}, fmt.Errorf("the secrets of %s could not be read from the keychain, so nothing was exported (%v): unlock the keychain, or edit them and enter their secrets again, or export without secrets", quoteAll(failed), first)
	}
	return doc, nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// readSecrets reads the secrets of cs by ID, in one batch where the store
// reads many at once (the vault over the Secret Service).
func (e *Engine) readSecrets(cs []vault.Connection) map[string]vault.SecretsRead {
	return e.d.Store.SecretsMany(cs)
}

// seal encrypts plain for passphrase, armored.
func seal(plain []byte, passphrase string, workFactor int) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	if workFactor > 0 {
		r.SetWorkFactor(workFactor)
	}
	var out bytes.Buffer
	a := armor.NewWriter(&out)
	w, err := age.Encrypt(a, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := a.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writeNewFile writes data to path in one step, 0600: a temporary file
// beside it, then a hard link that fails if path exists (so a file that
// appeared meanwhile is not clobbered either). File systems without hard
// links (FAT on a USB stick) get a check, then a rename.
func writeNewFile(path string, data []byte, replace bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // 0600
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // gone after the link or the rename; after a failure too
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if !replace {
		err := os.Link(name, path)
		if errors.Is(err, fs.ErrExist) {
			return existsError(path)
		}
		if err == nil {
			return nil
		}
		if _, serr := os.Lstat(path); serr == nil {
			return existsError(path)
		}
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
