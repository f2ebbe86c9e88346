package app

// pane_names.go: a name already taken is flagged at the Name field while
// it is typed, by the rule Save applies (names.LookAlike: "Shop", "shop"
// and "Ѕhop" with a Cyrillic Ѕ are one name).

import (
	"fmt"

	"storelink/connectors"
	namerule "storelink/names" // app tests have a helper called names
)

// takenName is the message for the name typed when another saved one of
// the pane's kind looks the same, "" when it is free.
func (p *Pane) takenName() string {
	in := p.Form.Input(connectors.FieldName)
	if in == nil {
		return ""
	}
	typed := namerule.Tidy(in.Value())
	if typed == "" {
		return ""
	}
	saved, err := p.ui.eng.Of(p.desc.id).Names()
	if err != nil {
		return ""
	}
	for _, s := range saved {
		if p.Editing != "" && namerule.Equal(s, p.Editing) {
			continue
		}
		if !namerule.LookAlike(s, typed) {
			continue
		}
		if namerule.Equal(s, typed) {
			return fmt.Sprintf("a %s named %q already exists; choose another name", p.desc.noun, s)
		}
		return fmt.Sprintf("%q looks the same as the %s named %q that already exists; choose a name that looks different", typed, p.desc.noun, s)
	}
	return ""
}

// flagTakenName shows takenName at the Name field; it reports whether it did.
func (p *Pane) flagTakenName() bool {
	msg := p.takenName()
	if msg != "" {
		p.Form.ShowError(connectors.FieldName, msg)
	}
	return msg != ""
}
