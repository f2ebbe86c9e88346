package engine

// doctor.go: `storelink doctor` and Help > Diagnostics. Each check says ok
// or what the problem is and what to do.

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"storelink/vault"
)

// Diagnosis is one check of Doctor; the JSON keys are a public contract.
type Diagnosis struct {
	Check   string `json:"check"` // keychain, settings, journal, logs, permissions, certificates
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// Doctor checks the keychain (a write, read and delete of a test item), the
// settings file, the keychain journal (cleaning what crashes left), the log
// folder, the modes of the home, settings, state and logs (tightening what
// others may read or write) and the system's certificate store.
func (e *Engine) Doctor() []Diagnosis {
	ds := []Diagnosis{e.checkKeychain(), e.checkSettings(), e.checkJournal(), e.checkLogs(), e.checkModes(), checkCertificates()}
	e.d.Redactor.Walk(&ds)
	return ds
}

func (e *Engine) checkKeychain() Diagnosis {
	d := Diagnosis{Check: "keychain"}
	if e.d.Keychain == nil {
		d.Message, d.Hint = "No keychain was given to check.", "This is a bug in Storelink; please report it."
		return d
	}
	k := vault.Operation(e.d.Keychain) // a frozen keychain is waited for once

	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported systems
	key, value := "doctor/"+hex.EncodeToString(b), "storelink-doctor-"+hex.EncodeToString(b)
	fail := func(step string, err error) Diagnosis {
		d.Message = fmt.Sprintf("The keychain failed to %s a test item: %v", step, err)
		var ke *vault.KeychainError
		if errors.As(err, &ke) && ke.Hint != "" {
			d.Hint = ke.Hint
		} else {
			d.Hint = "Unlock the keychain (log in to the desktop session) and run `storelink doctor` again."
		}
		return d
	}
	if err := k.Set(key, value); err != nil {
		return fail("store", err)
	}
	got, err := k.Get(key)
	if err != nil {
		_ = k.Delete(key) // best effort; the read failure is what to report
		return fail("read back", err)
	}
	if err := k.Delete(key); err != nil {
		return fail("delete", err)
	}
	if got != value {
		d.Message, d.Hint = "The keychain gave back a different value than was stored.", "Check which keychain service answers (another program may hold its name)."
		return d
	}
	d.OK, d.Message = true, "Reachable and unlocked: a test item was stored in "+e.d.Paths.Keychain+", read back and deleted."
	return d
}

func (e *Engine) checkSettings() Diagnosis {
	d := Diagnosis{Check: "settings"}
	cs, err := e.d.Store.List()
	if err != nil {
		d.Message, d.Hint = err.Error(), "Restore the file from a backup, or move it away to start afresh; Storelink never overwrites it."
		return d
	}
	agents, _ := e.d.Store.ListAgents()
	d.OK, d.Message = true, fmt.Sprintf("%s holds %s and %s.", e.d.Paths.Connections, countOf(len(cs), "connection"), countOf(len(agents), "agent"))
	return d
}

// countOf is n and the noun, plural unless n is 1: "1 agent", "3 agents".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func (e *Engine) checkJournal() Diagnosis {
	d := Diagnosis{Check: "journal"}
	cleaner, ok := e.d.Store.(interface{ Clean() (int, int, error) })
	if !ok {
		d.OK, d.Message = true, "This store keeps no keychain journal."
		return d
	}
	temps := ""
	if lo, ok := e.d.Store.(interface{ RemoveLeftovers() (int, error) }); ok {
		n, err := lo.RemoveLeftovers()
		switch {
		case err != nil:
			temps = fmt.Sprintf("Removed %d temporary files left by interrupted writes; others could not be removed (%v). ", n, err)
		case n > 0:
			temps = fmt.Sprintf("Removed %d temporary files left by interrupted writes. ", n)
		}
	}
	removed, pending, err := cleaner.Clean()
	switch {
	case err != nil && pending == 0:
		d.Message, d.Hint = "Could not read the keychain journal: "+err.Error(), "Move the file away and run `storelink doctor` again."
	case pending > 0:
		d.Message = fmt.Sprintf("Removed %d keychain items left by interrupted saves; %d sets could not be removed yet (%v).", removed, pending, err)
		d.Hint = "Unlock the keychain and run `storelink doctor` again."
	default:
		d.OK, d.Message = true, fmt.Sprintf("Removed %d keychain items left by interrupted saves or deletes; none are pending.", removed)
	}
	d.Message = temps + d.Message
	return d
}

func (e *Engine) checkLogs() Diagnosis {
	d := Diagnosis{Check: "logs"}
	dir := filepath.Dir(e.d.Paths.Logs)
	if e.d.Paths.Logs == "" {
		d.OK, d.Message = true, "Logging to a file is off."
		return d
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		d.Message, d.Hint = "The log folder cannot be written: "+err.Error(), "Make "+dir+" writable for your user, or set STORELINK_HOME to a folder that is."
		return d
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	d.OK, d.Message = true, "Logs are written to "+e.d.Paths.Logs+" (secrets masked; rotated at 5 MB, 3 kept)."
	return d
}

func checkCertificates() Diagnosis {
	d := Diagnosis{Check: "certificates"}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		d.Message = fmt.Sprintf("The system's certificate store could not be read (%v): HTTPS stores with public certificates cannot be verified.", err)
		d.Hint = "Install the system's CA certificates (Debian/Ubuntu: apt-get install ca-certificates)."
		return d
	}
	d.OK, d.Message = true, "The system's certificate store can be read."
	return d
}
