package app

// trust.go: what Storelink asks before it trusts something it cannot check
// by itself (an agent's SSH host key, a store's own certificate), and the
// two small dialogs every screen asks and tells with, Esc giving the safe
// answer.

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// question is a dialog that asks before acting. Safe is its answer to Esc
// (Cancel, Keep it) and has the focus when it opens, so Enter and Space
// give it too; Do acts.
type question struct {
	dialog   *dialog.CustomDialog
	safe, do *widget.Button
}

// questionSpec says what a question asks.
type questionSpec struct {
	title    string
	content  fyne.CanvasObject
	safe, do string // button labels
	onDo     func()
	danger   bool // Do destroys something (Delete)
	size     fyne.Size
}

// ask shows the question s on w.
func ask(w fyne.Window, s questionSpec) *question {
	var d *dialog.CustomDialog
	safe := func() { d.Hide() }
	safeButton := newDialogButton(s.safe, safe, safe)
	doButton := newDialogButton(s.do, func() {
		d.Hide()
		s.onDo()
	}, safe)
	doButton.Importance = widget.HighImportance
	if s.danger {
		doButton.Importance = widget.DangerImportance
	}
	d = dialog.NewCustomWithoutButtons(s.title, s.content, w)
	d.SetButtons([]fyne.CanvasObject{safeButton, doButton})
	d.Resize(s.size)
	showDialog(w, d, safe)
	w.Canvas().Focus(safeButton)
	return &question{dialog: d, safe: &safeButton.Button, do: &doButton.Button}
}

// tell shows content on w with a Close button, which Esc, Enter and Space press.
func tell(w fyne.Window, title string, content fyne.CanvasObject, size fyne.Size) *dialog.CustomDialog {
	d := dialog.NewCustomWithoutButtons(title, content, w)
	closeButton := newDialogButton("Close", d.Hide, d.Hide)
	d.SetButtons([]fyne.CanvasObject{closeButton})
	d.Resize(size)
	showDialog(w, d, d.Hide)
	w.Canvas().Focus(closeButton)
	return d
}

// copyable is a value to compare or copy: selectable, in a fixed-width font.
func copyable(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Selectable = true
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// hostKeyCheck is how the owner reads the key's fingerprint on the server itself.
const hostKeyCheck = "ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub"

// hostKeyShown is a host key an agent's SSH server at addr showed for the
// first time; trust pins it.
type hostKeyShown struct {
	agent, addr, fingerprint string
	trust                    func()
}

// askHostKey shows the fingerprint, with how to check it on the server;
// trust runs on "Trust this key", Cancel (and Esc) trusts nothing.
func askHostKey(w fyne.Window, k hostKeyShown) *question {
	agent, addr, fingerprint := k.agent, k.addr, k.fingerprint
	intro := wrapped("The SSH server of the agent \""+agent+"\" ("+addr+") shows this host key, which Storelink has not seen before:", widget.MediumImportance)
	check := wrapped("Before you trust it, compare it with what the server itself prints for its key (as root, on the server):", widget.MediumImportance)
	other := wrapped("Other key types: ssh_host_ecdsa_key.pub or ssh_host_rsa_key.pub. If the fingerprints differ, do not trust this key: "+
		"something may stand between this computer and the server. Once trusted, the key is pinned: a different one is refused.", widget.MediumImportance)
	content := container.NewVBox(intro, copyable(fingerprint), check, copyable(hostKeyCheck), other)
	return ask(w, questionSpec{
		title: "Trust this host key?", content: content,
		safe: "Cancel", do: "Trust this key", onDo: k.trust,
		size: fyne.NewSize(560, 380),
	})
}

// AskTrustCertificate shows the certificate a tls failure saw: subject,
// issuer, validity in local dates and its SHA-256 fingerprint. Trusting it
// puts the fingerprint in the Advanced section's tls_fingerprint field and
// runs the test again; any other certificate will be refused.
func (p *Pane) AskTrustCertificate(c connectors.CertificateInfo) {
	if p.busy() || p.closed {
		return
	}
	now := time.Now()
	row := func(label string, value fyne.CanvasObject) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), value}
	}
	var cells []fyne.CanvasObject
	cells = append(cells, row("Subject", wrapped(c.Subject, widget.MediumImportance))...)
	cells = append(cells, row("Issuer", wrapped(issuerWords(c), widget.MediumImportance))...)
	cells = append(cells, row("Valid", wrapped(validityWords(c, now), validityImportance(c, now)))...)
	cells = append(cells, row("SHA-256", copyable(c.SHA256))...)

	intro := wrapped("The store's certificate is not one this computer trusts. If this is your own store (a shop in Docker, on the office network), "+
		"you may trust exactly this certificate for this connection: any other will be refused. Compare the fingerprint with the store's "+
		"(on the server: openssl x509 -noout -fingerprint -sha256 -in its certificate file).", widget.MediumImportance)
	objs := []fyne.CanvasObject{intro, container.New(layout.NewFormLayout(), cells...)}
	if old := p.Form.Input(connectors.FieldTLSFingerprint).Value(); old != "" && !sameFingerprint(old, c.SHA256) {
		objs = append(objs, wrapped("This replaces the certificate trusted until now. The store's certificate changed: trust the new one only if you know why "+
			"(it was renewed, say).", widget.WarningImportance))
	}
	p.certificateQuestion = ask(p.Window, questionSpec{
		title: "Trust this certificate?", content: container.NewVBox(objs...),
		safe: "Cancel", do: "Trust and test again", onDo: func() { p.trustCertificate(c) },
		size: fyne.NewSize(600, 420),
	})
}

// trustCertificate pins c and tests again (saving again, if the test was a Save).
func (p *Pane) trustCertificate(c connectors.CertificateInfo) {
	f, _ := p.Info.Field(connectors.FieldTLSFingerprint)
	p.Form.Fill(connectors.Values{connectors.FieldTLSFingerprint: c.SHA256}) // opens Advanced: the user sees what changed
	p.Form.SetNote(connectors.FieldTLSFingerprint, "The certificate you trusted; any other is refused.")
	p.ui.log.WithField("app", p.Info.ID).Info(f.Label + " set from the certificate shown")
	p.start(p.last, false)
}

func issuerWords(c connectors.CertificateInfo) string {
	if c.Issuer == c.Subject {
		return c.Issuer + " (self-signed: it vouches for itself)"
	}
	return c.Issuer
}

// validityWords: "from 1 Mar 2026 to 1 Mar 2027", local dates, and whether it holds now.
func validityWords(c connectors.CertificateInfo, now time.Time) string {
	const day = "2 Jan 2006"
	s := "from " + c.NotBefore.Local().Format(day) + " to " + c.NotAfter.Local().Format(day)
	switch {
	case now.After(c.NotAfter):
		s += " (expired)"
	case now.Before(c.NotBefore):
		s += " (not valid yet)"
	}
	return s
}

func validityImportance(c connectors.CertificateInfo, now time.Time) widget.Importance {
	if now.After(c.NotAfter) || now.Before(c.NotBefore) {
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// sameFingerprint compares fingerprints as the field reads them (colons and case ignored).
func sameFingerprint(a, b string) bool {
	na, errA := connectors.NormalizeFingerprint(a)
	nb, errB := connectors.NormalizeFingerprint(b)
	return errA == nil && errB == nil && na == nb
}
