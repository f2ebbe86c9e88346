package engine

// doctor_modes.go: the doctor's "permissions" check. Settings, state and
// logs name every shop a user reaches (never a secret, but still private):
// the home and its folders must be 0700, their files 0600. A mode that lets
// other users read or write is said and tightened.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// modeTarget is a file or folder the permissions check looks at.
type modeTarget struct {
	path string
	what string // "The Storelink folder", in messages
}

func (e *Engine) modeTargets() []modeTarget {
	var out []modeTarget
	seen := map[string]bool{}
	add := func(path, what string) {
		if path != "" && !seen[path] {
			seen[path] = true
			out = append(out, modeTarget{path, what})
		}
	}
	folder := func(dir, what, files string) {
		add(dir, what)
		entries, _ := os.ReadDir(dir) // a missing folder has nothing to check
		for _, en := range entries {
			if en.Type().IsRegular() {
				add(filepath.Join(dir, en.Name()), files)
			}
		}
	}
	p := e.d.Paths
	if p.Connections != "" {
		add(p.Connections, "The settings file") // a link: its target
	}
	if p.Home != "" {
		folder(p.Home, "The Storelink folder", "The file")
		folder(filepath.Join(p.Home, "state"), "The state folder", "The state file")
	}
	if p.Logs != "" {
		folder(filepath.Dir(p.Logs), "The log folder", "The log file")
	}
	return out
}

func (e *Engine) checkModes() Diagnosis {
	d := Diagnosis{Check: "permissions"}
	if runtime.GOOS == "windows" {
		d.OK, d.Message = true, "Windows guards these files with access lists; their modes are not checked."
		return d
	}
	var said, failed []string
	for _, t := range e.modeTargets() {
		fi, err := os.Stat(t.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s %s cannot be checked: %v.", t.what, t.path, err))
			continue
		}
		old := fi.Mode().Perm()
		if old&0o077 == 0 {
			continue
		}
		tight := old &^ 0o077
		if err := os.Chmod(t.path, tight); err != nil {
			failed = append(failed, fmt.Sprintf("%s %s is %s by other users (mode %04o) and could not be tightened: %v.", t.what, t.path, exposure(old), old, err))
			continue
		}
		said = append(said, fmt.Sprintf("%s %s was %s by other users (mode %04o); it was tightened to %04o.", t.what, t.path, exposure(old), old, tight))
	}
	switch {
	case len(failed) > 0:
		d.Message = strings.Join(append(failed, said...), " ")
		d.Hint = "Make them yours alone (chmod 700 for folders, chmod 600 for files) as the user who owns them, then run `storelink doctor` again."
	case len(said) > 0:
		d.OK, d.Message = true, strings.Join(said, " ")
		d.Hint = "Something loosened these modes (a copy, a backup restore, a sync tool); check that it keeps them private."
	default:
		d.OK, d.Message = true, "The Storelink folder, its settings, state and logs are private to your user."
	}
	return d
}

// exposure says in words what a mode lets other users do.
func exposure(mode fs.FileMode) string {
	r, w := mode&0o044 != 0, mode&0o022 != 0
	switch {
	case r && w:
		return "readable and writable"
	case w:
		return "writable"
	case r:
		return "readable"
	}
	return "searchable" // execute only: a folder others may pass through
}
