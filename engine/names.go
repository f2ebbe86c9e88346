package engine

// names.go: the duplicate-name rule of every kind, the same one
// the vault applies again under its lock (package names): a name that looks
// the same as a saved one (case, composition, look-alike letters) is taken.

import (
	"fmt"

	"storelink/connectors"
	"storelink/names"
	"storelink/vault"
)

// takenName is the saved name among saved that looks like name, other than
// editing (the one being changed, which may keep or restyle its name).
func takenName(saved []string, name, editing string) (string, bool) {
	for _, s := range saved {
		if editing != "" && names.Equal(s, editing) {
			continue
		}
		if names.LookAlike(s, name) {
			return s, true
		}
	}
	return "", false
}

// nameTaken is the Name field's error for a name that looks like existing.
func nameTaken(noun, existing, name string) error {
	msg := fmt.Sprintf("%s named %q already exists; choose another name", noun, existing)
	if !names.Equal(existing, name) {
		msg = fmt.Sprintf("%q looks the same as %s named %q that already exists; choose a name that looks different", name, noun, existing)
	}
	return &InputError{[]connectors.FieldError{{Key: connectors.FieldName, Label: "Name", Message: msg}}}
}

// namesOf lists the saved resources' names.
func namesOf(cs []vault.Connection) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
