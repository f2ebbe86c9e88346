package app

// pane_secrets.go: an edit keeps the saved secrets it leaves empty (never
// shown), and asks before they go to a store address other than the one
// they were saved for.

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"storelink/engine"
)

// keepSaved marks the secret fields saved in the keychain: left empty they
// keep their saved values.
func (p *Pane) keepSaved(secrets []string) {
	for _, f := range p.Info.Fields {
		if f.IsSecret() && slices.Contains(secrets, f.Key) {
			p.Form.KeepSaved(f.Key, keptSecretHint)
		}
	}
}

// Words of the new-address question; {from}/{to} are the old and new
// addresses, {field} the address field's label, {secrets} the secrets kept.
const (
	newAddressTitle = "Send the saved key to the new address?"
	newAddressText  = "The {field} changed from {from} to {to}. The saved {secrets} was meant for {from}; nothing has been sent to {to} yet.\n\n" +
		"Send the saved key to {to}, or type it again."
	newAddressSent = "Type the {secrets} again: the saved one is not sent to {to} unless you choose \"Send the saved key\"."
)

// askNewAddress asks whether the saved secrets may go to the store's new
// address: "Send the saved key" runs the same test or save again with the
// owner's word; "Type it again" (also Esc) asks for them at their fields.
func (p *Pane) askNewAddress(why purpose, opts engine.SaveOptions, moved *engine.AddressChangeError) {
	change := moved.Changes[0]
	labels := make([]string, len(moved.Secrets))
	for i, s := range moved.Secrets {
		labels[i] = s.Label
	}
	words := strings.NewReplacer("{field}", change.Label, "{from}", shownAddress(change.From), "{to}", shownAddress(change.To),
		"{secrets}", strings.Join(labels, " and "))
	p.say(words.Replace(newAddressSent), widget.WarningImportance)
	q := ask(p.Window, questionSpec{
		title: newAddressTitle, content: wrapped(words.Replace(newAddressText), widget.MediumImportance),
		safe: "Type it again", do: "Send the saved key",
		onDo: func() {
			opts.KeepSecretsForNewAddress = true
			step := "Starting the test..."
			if opts.NoVerify {
				step = "Saving (secrets go to the OS keychain)..."
			}
			p.begin(why, opts, step)
		},
		size: fyne.NewSize(480, 220),
	})
	q.safe.OnTapped = func() {
		q.dialog.Hide()
		p.typeAgain(moved)
	}
	p.newAddressQuestion = q
}

// typeAgain asks for the secrets the new address needs at their fields.
func (p *Pane) typeAgain(moved *engine.AddressChangeError) {
	for _, s := range moved.Secrets {
		p.Form.KeepSaved(s.Key, "")
		p.Form.ShowError(s.Key, s.Message)
	}
	if len(moved.Secrets) > 0 {
		if fo := p.Form.Input(moved.Secrets[0].Key).Focusable(); fo != nil {
			p.Window.Canvas().Focus(fo)
		}
	}
}

// shownAddress is an address in a sentence: "(empty)" when there is none.
func shownAddress(a string) string {
	if a == "" {
		return "(empty)"
	}
	return fmt.Sprintf("%q", a)
}
