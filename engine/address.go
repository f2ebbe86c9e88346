package engine

// address.go: the one rule that guards saved secrets in an edit: when the
// store's address changes (an Address field: host, port, path or scheme),
// the saved secrets are not sent there, neither tested with nor saved with,
// until they are typed again or the owner confirms.

import (
	"errors"
	"fmt"
	"strings"

	"storelink/connectors"
)

// ErrSecretsForNewAddress is what an *AddressChangeError is (errors.Is).
var ErrSecretsForNewAddress = errors.New("saved secrets are not sent to a new address without the owner's word")

// AddressChangeError refuses an edit that points the store elsewhere and
// would send it saved secrets. The two ways out: type the secrets again
// (Secrets names their fields), or confirm with
// SaveOptions.KeepSecretsForNewAddress.
type AddressChangeError struct {
	// Changes are the address fields that point elsewhere, old and new.
	Changes []connectors.AddressChange
	// Secrets are the saved secrets that would go there, each worded for
	// its field ("type it again ...").
	Secrets []connectors.FieldError
}

// The refusal in words, one sentence each for one secret and several;
// {changes} is "Store URL: shop.example → new.example", {secrets} the labels.
const (
	addressChangedOne  = "The store's address changed ({changes}), so the saved {secrets} is not sent there. Type the {secrets} again, or confirm that the saved one may go to the new address."
	addressChangedMany = "The store's address changed ({changes}), so the saved {secrets} are not sent there. Type them again, or confirm that the saved ones may go to the new address."
	secretNotSent      = "type it again: the saved one is not sent to the new address ({to}) unless you confirm"
)

func newAddressChangeError(info connectors.Info, changes []connectors.AddressChange, kept []string) *AddressChangeError {
	e := &AddressChangeError{Changes: changes}
	to := changes[0].To
	for _, f := range info.Fields {
		for _, k := range kept {
			if f.Key == k {
				e.Secrets = append(e.Secrets, connectors.FieldError{Key: f.Key, Label: f.Label,
					Message: strings.ReplaceAll(secretNotSent, "{to}", to)})
			}
		}
	}
	return e
}

func (e *AddressChangeError) Error() string {
	changes := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		changes[i] = fmt.Sprintf("%s: %s → %s", c.Label, shown(c.From), shown(c.To))
	}
	labels := make([]string, len(e.Secrets))
	for i, s := range e.Secrets {
		labels[i] = s.Label
	}
	text := addressChangedMany
	if len(labels) == 1 {
		text = addressChangedOne
	}
	return strings.NewReplacer("{changes}", strings.Join(changes, "; "), "{secrets}", joinAnd(labels)).Replace(text)
}

// Is makes errors.Is(err, ErrSecretsForNewAddress) hold.
func (e *AddressChangeError) Is(target error) bool { return target == ErrSecretsForNewAddress }

// shown is an address value in a sentence: "(empty)" when there is none.
func shown(v string) string {
	if v == "" {
		return "(empty)"
	}
	return v
}

// joinAnd is "A", "A and B", "A, B and C".
func joinAnd(list []string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
