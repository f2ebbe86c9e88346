// Package forms turns connectors' field declarations into checked values
// (validate.go, Fyne-free) and into Fyne widgets (the rest of the package).
package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"storelink/connectors"
)

// FieldError is one problem with one field, in words a store owner reads.
type FieldError struct {
	Key     string
	Label   string
	Message string // without the label
}

// Error reads "Store URL: enter the address without http://".
func (e FieldError) Error() string { return e.Label + ": " + e.Message }

// Validate checks values against info's fields, honouring the visible-when
// and required-when conditions. Hidden fields are never checked.
func Validate(info connectors.Info, values connectors.Values) []FieldError {
	var errs []FieldError
	for _, f := range info.Fields {
		if msg := CheckField(f, values); msg != "" {
			errs = append(errs, FieldError{Key: f.Key, Label: f.Label, Message: msg})
		}
	}
	return errs
}

// CheckField returns what is wrong with one field's value, or "".
func CheckField(f connectors.Field, values connectors.Values) string {
	if !f.VisibleIn(values) {
		return ""
	}
	v := fieldValue(f, values)
	if strings.TrimSpace(v) == "" { // a secret of blanks is no secret either
		if f.RequiredIn(values) {
			return "required; " + requiredHint(f)
		}
		return ""
	}
	switch f.Kind {
	case connectors.KindNumber:
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
	case connectors.KindChoice:
		if f.ChoicesFrom == "" && len(f.Choices) > 0 && !slices.Contains(f.ChoiceValues(), v) {
			return "choose one of " + strings.Join(f.ChoiceValues(), ", ")
		}
	case connectors.KindBool:
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

// fieldValue is the value checks see: trimmed, except secrets, which are
// used exactly as typed.
func fieldValue(f connectors.Field, values connectors.Values) string {
	if f.IsSecret() {
		return values[f.Key]
	}
	return strings.TrimSpace(values[f.Key])
}

func requiredHint(f connectors.Field) string {
	switch f.Kind {
	case connectors.KindChoice:
		return "choose one"
	case connectors.KindBool:
		return "choose yes or no"
	default:
		return "enter a value"
	}
}

// Defaults fills in each field's default where values has none.
func Defaults(info connectors.Info, values connectors.Values) connectors.Values {
	out := values.Clone()
	for _, f := range info.Fields {
		if _, ok := out[f.Key]; !ok && f.Default != "" {
			out[f.Key] = f.Default
		}
	}
	return out
}

// Normalize applies each visible field's Normalize and returns the notes made.
func Normalize(info connectors.Info, values connectors.Values) (connectors.Values, []string) {
	out := values.Clone()
	var notes []string
	for _, f := range info.Fields {
		if f.Normalize == nil || !f.VisibleIn(out) || strings.TrimSpace(out[f.Key]) == "" {
			continue
		}
		n, note := f.Normalize(out[f.Key])
		out[f.Key] = n
		if note != "" {
			notes = append(notes, f.Label+": "+note)
		}
	}
	return out, notes
}

// Warnings returns each visible field's warnings about accepted values.
func Warnings(info connectors.Info, values connectors.Values) []FieldError {
	var out []FieldError
	for _, f := range info.Fields {
		v := fieldValue(f, values)
		if f.Warn == nil || !f.VisibleIn(values) || strings.TrimSpace(v) == "" {
			continue
		}
		if w := f.Warn(v); w != "" {
			out = append(out, FieldError{Key: f.Key, Label: f.Label, Message: w})
		}
	}
	return out
}

// SplitSecrets separates keychain values from the ones saved in the JSON file,
// dropping hidden fields so nothing stale is kept.
func SplitSecrets(info connectors.Info, values connectors.Values) (plain, secret connectors.Values) {
	plain, secret = connectors.Values{}, connectors.Values{}
	for _, f := range info.Fields {
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
