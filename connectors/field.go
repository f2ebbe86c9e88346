// Package connectors holds what every platform connector shares: the field
// model forms are built from, the registry, test results with their failure
// codes, and the HTTP client connectors talk to stores with. It imports no Fyne.
package connectors

import (
	"slices"
	"strconv"
	"strings"
)

// Kind says what sort of input a field takes, and so which widget shows it.
type Kind string

const (
	KindText            Kind = "text"
	KindURL             Kind = "url"
	KindSecret          Kind = "secret"
	KindChoice          Kind = "choice"
	KindNumber          Kind = "number"
	KindMultilineSecret Kind = "multiline_secret" // a PEM key, for instance
	KindFile            Kind = "file"
	KindBool            Kind = "bool"
)

// Sources of choices that only exist at run time.
const (
	ChoicesConnections = "connections" // other saved connections
	ChoicesAgents      = "agents"      // configured on-premise agents
)

// Choice is one option of a choice field.
type Choice struct {
	Value string
	Label string
	// Help, when set, is the hint shown while this option is chosen, in
	// place of the field's own.
	Help string
}

// Condition holds when the field named Field has one of Values.
type Condition struct {
	Field  string
	Values []string
}

// Holds reports whether the condition is met by values.
func (c Condition) Holds(values Values) bool {
	return slices.Contains(c.Values, values[c.Field])
}

// Generator makes a value for a field, offered as a button beside it.
type Generator struct {
	Label string
	Make  func() (string, error)
}

// Field declares one input of a connection form.
type Field struct {
	Key         string // snake_case, part of the public contract
	Label       string
	Help        string // first sentence is the hint shown under the field
	Placeholder string
	Kind        Kind
	Choices     []Choice
	ChoicesFrom string // ChoicesConnections or ChoicesAgents: filled in at run time
	Default     string
	Required    bool
	Advanced    bool
	// Address marks a field that says where requests go (the store's URL,
	// its scheme): an edit that changes one does not send saved secrets to
	// the new place without the owner's word (Info.AddressChanges).
	Address  bool
	Min, Max int // for KindNumber; both zero means no range

	// Validate checks the format of a non-empty value; the error text is in
	// plain words without the label, which the caller puts in front.
	Validate func(value string) error
	// Warn returns a warning about an acceptable value, or "".
	Warn func(value string) string
	// Normalize rewrites a pasted value into the canonical form and says what
	// it changed ("" when nothing).
	Normalize func(value string) (normalized, note string)
	Generator *Generator

	VisibleWhen  []Condition // all must hold for the field to show
	RequiredWhen []Condition // all must hold for the field to be required
}

// IsSecret reports whether the value belongs in the keychain.
func (f Field) IsSecret() bool {
	return f.Kind == KindSecret || f.Kind == KindMultilineSecret
}

// Hint is the first sentence of Help, shown under the widget: up to the
// first '.', '?' or '!' followed by a space or a line break.
func (f Field) Hint() string {
	h := strings.TrimSpace(f.Help)
	for i := 0; i+1 < len(h); i++ {
		if strings.IndexByte(".?!", h[i]) >= 0 && strings.IndexByte(" \t\r\n", h[i+1]) >= 0 {
			return h[:i+1]
		}
	}
	return h
}

// VisibleIn reports whether the field is shown for these values.
func (f Field) VisibleIn(values Values) bool {
	for _, c := range f.VisibleWhen {
		if !c.Holds(values) {
			return false
		}
	}
	return true
}

// RequiredIn reports whether the field must have a value, given the others.
func (f Field) RequiredIn(values Values) bool {
	if !f.VisibleIn(values) {
		return false
	}
	if f.Required {
		return true
	}
	if len(f.RequiredWhen) == 0 {
		return false
	}
	for _, c := range f.RequiredWhen {
		if !c.Holds(values) {
			return false
		}
	}
	return true
}

// ChoiceValues lists the values a static choice field accepts.
func (f Field) ChoiceValues() []string {
	out := make([]string, len(f.Choices))
	for i, c := range f.Choices {
		out[i] = c.Value
	}
	return out
}

// Values are a connection's field values by key, secrets included when a
// connector is tested.
type Values map[string]string

// String returns the trimmed value of key.
func (v Values) String(key string) string { return strings.TrimSpace(v[key]) }

// Bool reads "true"/"false"; anything else gives def.
func (v Values) Bool(key string, def bool) bool {
	b, err := strconv.ParseBool(v.String(key))
	if err != nil {
		return def
	}
	return b
}

// Int reads a whole number; an empty or malformed value gives def.
func (v Values) Int(key string, def int) int {
	n, err := strconv.Atoi(v.String(key))
	if err != nil {
		return def
	}
	return n
}

// Clone returns a copy that can be changed freely.
func (v Values) Clone() Values {
	out := make(Values, len(v))
	for k, val := range v {
		out[k] = val
	}
	return out
}
