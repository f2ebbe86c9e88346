package connectors

// check.go: what a form and a command line both do with typed values:
// defaults, tidying pasted values up, validation in plain words, warnings,
// and splitting secrets from settings. Pure Go; forms only draws the result.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"storelink/names"
)

// FieldError is one problem with one field, in words a store owner reads.
type FieldError struct {
	Key     string
	Label   string
	Message string // without the label
}

// Error reads "Store URL: enter the address without http://".
func (e FieldError) Error() string { return e.Label + ": " + e.Message }

// Validate checks values against the fields, honouring the visible-when and
// required-when conditions. Hidden fields are never checked.
func (i Info) Validate(values Values) []FieldError {
	var errs []FieldError
	for _, f := range i.Fields {
		if msg := f.Check(values); msg != "" {
			errs = append(errs, FieldError{Key: f.Key, Label: f.Label, Message: msg})
		}
	}
	return errs
}

// Check returns what is wrong with the field's value among values, or "".
func (f Field) Check(values Values) string {
	if !f.VisibleIn(values) {
		return ""
	}
	v := f.valueIn(values)
	if strings.TrimSpace(v) == "" { // a secret of blanks is no secret either
		if f.RequiredIn(values) {
			return "required; " + f.requiredHint()
		}
		return ""
	}
	switch f.Kind {
	case KindNumber:
		n, err := strconv.Atoi(v)
		if err != nil {
			return "enter a whole number"
		}
		switch {
		case f.Min == 0 && f.Max == 0: // no range
		case f.Min > 0 && f.Max == 0: // only a minimum: Min..0 would be empty
			if n < f.Min {
				return fmt.Sprintf("enter a number of at least %d", f.Min)
			}
		case n < f.Min || n > f.Max:
			return fmt.Sprintf("enter a number from %d to %d", f.Min, f.Max)
		}
	case KindChoice:
		if f.ChoicesFrom == "" && len(f.Choices) > 0 && !slices.Contains(f.ChoiceValues(), v) {
			return "choose one of " + strings.Join(f.ChoiceValues(), ", ")
		}
	case KindBool:
		if _, err := strconv.ParseBool(v); err != nil {
			return "must be true or false"
		}
	}
	if f.Validate != nil {
		if err := f.Validate(v); err != nil {
			return err.Error()
		}
	}
	return ""
}

// valueIn is the value checks see: trimmed, except secrets, which are used
// exactly as typed.
func (f Field) valueIn(values Values) string {
	if f.IsSecret() {
		return values[f.Key]
	}
	return strings.TrimSpace(values[f.Key])
}

func (f Field) requiredHint() string {
	switch f.Kind {
	case KindChoice:
		return "choose one"
	case KindBool:
		return "choose yes or no"
	default:
		return "enter a value"
	}
}

// Defaults fills in each field's default where values has none.
func (i Info) Defaults(values Values) Values {
	out := values.Clone()
	for _, f := range i.Fields {
		if _, ok := out[f.Key]; !ok && f.Default != "" {
			out[f.Key] = f.Default
		}
	}
	return out
}

// Tidy applies the field's Normalize to its value among values when the
// field is shown and filled; it returns the value to keep and what changed
// ("" when nothing).
func (f Field) Tidy(values Values) (value, note string) {
	v := values[f.Key]
	if f.Normalize == nil || strings.TrimSpace(v) == "" || !f.VisibleIn(values) {
		return v, ""
	}
	return f.Normalize(v)
}

// Normalize tidies every shown value up and returns the notes made, each
// after its field's label.
func (i Info) Normalize(values Values) (Values, []string) {
	out := values.Clone()
	var notes []string
	for _, f := range i.Fields {
		if _, ok := out[f.Key]; !ok {
			continue
		}
		n, note := f.Tidy(out)
		out[f.Key] = n
		if note != "" {
			notes = append(notes, f.Label+": "+note)
		}
	}
	return out, notes
}

// Warning returns the field's warning about an accepted value, or "".
func (f Field) Warning(values Values) string {
	v := f.valueIn(values)
	if f.Warn == nil || !f.VisibleIn(values) || strings.TrimSpace(v) == "" {
		return ""
	}
	return f.Warn(v)
}

// Warnings returns each shown field's warning about an accepted value.
func (i Info) Warnings(values Values) []FieldError {
	var out []FieldError
	for _, f := range i.Fields {
		if w := f.Warning(values); w != "" {
			out = append(out, FieldError{Key: f.Key, Label: f.Label, Message: w})
		}
	}
	return out
}

// SplitSecrets separates keychain values from the ones saved in the settings
// file, dropping hidden fields so nothing stale is kept.
func (i Info) SplitSecrets(values Values) (plain, secret Values) {
	plain, secret = Values{}, Values{}
	for _, f := range i.Fields {
		v, ok := values[f.Key]
		if !ok || !f.VisibleIn(values) {
			continue
		}
		if f.IsSecret() {
			if strings.TrimSpace(v) != "" {
				secret[f.Key] = v
			}
			continue
		}
		plain[f.Key] = strings.TrimSpace(v)
	}
	return plain, secret
}

// SecretValues lists the non-empty values of the secret fields, for a
// redactor to mask.
func (i Info) SecretValues(values Values) []string {
	var out []string
	for _, f := range i.Fields {
		if v := values[f.Key]; f.IsSecret() && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// CheckName says what is wrong with a name for a connection or an agent, or
// "": control characters, text direction overrides, invisible characters
// and invalid UTF-8 (which can fake rows, colours or a second name that
// looks like the first) are refused. See package names.
func CheckName(name string) string { return names.Check(name) }

// isBidiControl: the characters that reorder displayed text.
func isBidiControl(r rune) bool { return names.IsBidiControl(r) }

// Printable escapes what a terminal would act on instead of showing:
// control characters (but line breaks and tabs), text direction overrides
// and invalid UTF-8.
func Printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || isBidiControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
