package app

// transfer_import.go: File > Import..., an export file read back: its
// passphrase asked when it is encrypted (a wrong one says so and lets the
// owner try again), the names already saved here listed with a choice
// (skip, new names, replace, or cancel: a saved one is never overwritten
// silently), then what was imported. The lists hear the engine's changes.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
	"storelink/forms"
)

// ImportFile is File > Import...: a file dialog, then the import.
func (u *UI) ImportFile() { u.transfer.pickImport(u.importPath) }

// pickImportFile asks for the file with a file dialog.
func (u *UI) pickImportFile(done func(path string)) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close() // the engine reads the file itself, bounded
		done(path)
	}, u.Window)
	fd.SetFilter(regularFiles{storage.NewExtensionFileFilter([]string{".json", ".age"})})
	fd.Show()
}

// opened is a file read (and decrypted), with the names it holds that are
// taken here.
type opened struct {
	im        *engine.Import
	conflicts *engine.ConflictError
	err       error
}

func (u *UI) openImport(path, passphrase string) opened {
	im, err := u.eng.OpenImport(path, func() (string, error) { return passphrase, nil })
	if err != nil {
		return opened{err: err}
	}
	ce, err := u.eng.ImportConflicts(im)
	return opened{im: im, conflicts: ce, err: err}
}

// importPath reads the file at path in the background; an encrypted one
// asks for its passphrase first.
func (u *UI) importPath(path string) {
	hide := u.showBusy("Import", "Reading "+connectors.Printable(path)+"...")
	start(u, job[opened]{
		work: func(context.Context, func(string)) opened { return u.openImport(path, "") },
		finish: func(out opened, _ bool) {
			hide()
			switch {
			case errors.Is(out.err, engine.ErrNoPassphrase):
				u.askPassphrase(path)
			case out.err != nil:
				u.showError("Import", out.err)
			default:
				u.importOpened(out)
			}
		},
	})
}

// showBusy shows a progress dialog without buttons; hide closes it.
func (u *UI) showBusy(title, text string) (hide func()) {
	a := widget.NewActivity()
	a.Start()
	d := dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, nil, a, nil, wrapped(text, widget.MediumImportance)), u.Window)
	d.Resize(fyne.NewSize(420, 120))
	u.transfer.busy = d
	d.Show()
	return func() {
		a.Stop()
		d.Hide()
	}
}

// PassphraseDialog asks for the passphrase of an encrypted export file.
type PassphraseDialog struct {
	dialog                   *dialog.CustomDialog
	form                     *forms.Form
	message                  *widget.Label
	activity                 *widget.Activity
	openButton, cancelButton *widget.Button
	path                     string
	run                      *verification
	ui                       *UI
}

func (u *UI) askPassphrase(path string) {
	d := &PassphraseDialog{ui: u, path: path, message: wrapped("", widget.DangerImportance), activity: widget.NewActivity()}
	d.message.Hide()
	d.activity.Hide()
	cancel := d.cancel
	d.form = forms.New(connectors.Info{ID: "import-passphrase", Fields: []connectors.Field{
		{Key: exportPassphrase, Label: "Passphrase", Kind: connectors.KindSecret, Required: true,
			Help: "The one chosen when the file was exported."},
	}}, forms.Env{Window: u.Window, Escape: cancel, Clipboard: u.clipboard})
	if e := d.form.Input(exportPassphrase).Entry(); e != nil {
		e.OnSubmitted = func(string) { d.submit() }
	}
	open := newDialogButton("Open", d.submit, cancel)
	open.Icon, open.Importance = theme.ConfirmIcon(), widget.HighImportance
	cancelButton := newDialogButton("Cancel", cancel, cancel)
	d.openButton, d.cancelButton = &open.Button, &cancelButton.Button
	intro := wrapped(fmt.Sprintf("%s holds secrets, encrypted with a passphrase. Type it to import the file.", connectors.Printable(path)), widget.MediumImportance)
	content := container.NewVBox(intro, d.form.Content, container.NewBorder(nil, nil, d.activity, nil, d.message))
	d.dialog = dialog.NewCustomWithoutButtons("Passphrase", content, u.Window)
	d.dialog.SetButtons([]fyne.CanvasObject{cancelButton, open})
	d.dialog.Resize(fyne.NewSize(480, 280))
	u.transfer.passphrase = d
	showDialog(u.Window, d.dialog, cancel)
	u.Window.Canvas().Focus(d.form.Input(exportPassphrase).Focusable())
}

func (d *PassphraseDialog) cancel() {
	if d.run != nil {
		d.run.abandon() // decrypting saves nothing; its outcome is dropped
		d.run = nil
	}
	d.dialog.Hide()
}

// submit decrypts the file in the background (scrypt takes a second or so).
func (d *PassphraseDialog) submit() {
	if d.run != nil {
		return
	}
	if errs := d.form.Validate(); len(errs) > 0 {
		d.form.FocusFirstError(d.ui.Window.Canvas())
		return
	}
	passphrase := d.form.Values()[exportPassphrase]
	d.openButton.Disable()
	d.activity.Show()
	d.activity.Start()
	d.message.Importance = widget.MediumImportance
	d.message.SetText("Decrypting...")
	d.message.Show()
	u, path := d.ui, d.path
	d.run = start(u, job[opened]{
		work: func(context.Context, func(string)) opened { return u.openImport(path, passphrase) },
		finish: func(out opened, abandoned bool) {
			if abandoned {
				return
			}
			d.run = nil
			d.activity.Stop()
			d.activity.Hide()
			d.openButton.Enable()
			switch {
			case errors.Is(out.err, engine.ErrWrongPassphrase):
				d.message.Importance = widget.DangerImportance
				d.message.SetText("This passphrase does not open the file; nothing was imported. Check it (capitals, spaces) and try again: it is the one chosen when the file was exported.")
				d.form.Input(exportPassphrase).SetValue("")
				u.Window.Canvas().Focus(d.form.Input(exportPassphrase).Focusable())
			case out.err != nil:
				d.dialog.Hide()
				u.showError("Import", out.err)
			default:
				d.dialog.Hide()
				u.importOpened(out)
			}
		},
	})
}

// importOpened imports a file whose names are all free, or asks first.
func (u *UI) importOpened(out opened) {
	if out.conflicts == nil {
		u.runImport(out.im, engine.ConflictRefuse)
		return
	}
	u.askConflicts(out.im, out.conflicts)
}

// ConflictDialog lists the file's names that are taken here and asks what
// to do with them; Cancel, which Esc presses, imports nothing.
type ConflictDialog struct {
	dialog                                                *dialog.CustomDialog
	text                                                  *widget.Label
	cancelButton, skipButton, renameButton, replaceButton *widget.Button
}

func (u *UI) askConflicts(im *engine.Import, ce *engine.ConflictError) {
	d := &ConflictDialog{}
	cancel := func() { d.dialog.Hide() }
	choose := func(on engine.Conflict) func() {
		return func() {
			d.dialog.Hide()
			u.runImport(im, on)
		}
	}
	var lines []string
	for _, n := range ce.Connections {
		lines = append(lines, fmt.Sprintf("Connection %q", connectors.Printable(n)))
	}
	for _, n := range ce.Agents {
		lines = append(lines, fmt.Sprintf("Agent %q", connectors.Printable(n)))
	}
	d.text = wrapped(fmt.Sprintf("%s holds %s whose names are already saved here:", connectors.Printable(im.Path), plural(len(lines), "entry")), widget.MediumImportance)
	if len(lines) == 1 {
		d.text.SetText(fmt.Sprintf("%s holds an entry whose name is already saved here:", connectors.Printable(im.Path)))
	}
	list := wrapped("• "+strings.Join(lines, "\n• "), widget.MediumImportance)
	how := wrapped("Skip them (the saved ones stay), import them under new names, or replace the saved ones with the file's. The others are imported as they are.", widget.MediumImportance)
	cancelButton := newDialogButton("Cancel", cancel, cancel)
	skip := newDialogButton("Skip them", choose(engine.ConflictSkip), cancel)
	rename := newDialogButton("Import under new names", choose(engine.ConflictRename), cancel)
	rename.Importance = widget.HighImportance
	replace := newDialogButton("Replace the saved ones", choose(engine.ConflictReplace), cancel)
	replace.Importance = widget.DangerImportance
	d.cancelButton, d.skipButton, d.renameButton, d.replaceButton = &cancelButton.Button, &skip.Button, &rename.Button, &replace.Button
	d.dialog = dialog.NewCustomWithoutButtons("Names already saved", container.NewVScroll(container.NewVBox(d.text, list, how)), u.Window)
	d.dialog.SetButtons([]fyne.CanvasObject{cancelButton, skip, rename, replace})
	d.dialog.Resize(fyne.NewSize(640, 340))
	u.transfer.conflicts = d
	showDialog(u.Window, d.dialog, cancel)
	u.Window.Canvas().Focus(cancelButton)
}

type imported struct {
	rep engine.ImportReport
	err error
}

// runImport saves the file's entries in the background, then says what it did.
func (u *UI) runImport(im *engine.Import, on engine.Conflict) {
	hide := u.showBusy("Import", "Importing "+connectors.Printable(im.Path)+"...")
	start(u, job[imported]{
		work: func(context.Context, func(string)) imported {
			rep, err := u.eng.Import(im, on)
			return imported{rep, err}
		},
		finish: func(out imported, _ bool) {
			hide()
			var ce *engine.ConflictError
			switch {
			case errors.As(out.err, &ce): // a name was taken meanwhile
				u.askConflicts(im, ce)
			case out.err != nil:
				u.showError("Import", out.err)
			default:
				u.tellTransfer("Imported", importWords(im, out.rep))
			}
		},
	})
}

// importWords says what an import did, entry by entry, and what comes next.
func importWords(im *engine.Import, rep engine.ImportReport) string {
	var lines []string
	saved := 0
	for _, it := range rep.Items {
		kind := "Connection"
		if it.Kind == "agent" {
			kind = "Agent"
		}
		name := connectors.Printable(it.Name)
		switch it.Action {
		case "renamed":
			lines = append(lines, fmt.Sprintf("%s %q imported as %q.", kind, name, connectors.Printable(it.SavedAs)))
		case "skipped":
			lines = append(lines, fmt.Sprintf("%s %q skipped: the saved one stays.", kind, name))
			continue
		case "replaced":
			lines = append(lines, fmt.Sprintf("%s %q replaced the saved one.", kind, name))
		default:
			lines = append(lines, fmt.Sprintf("%s %q added.", kind, name))
		}
		saved++
	}
	next := "They are not tested yet: select each and Test, or choose File > Test all."
	if !im.WithSecrets() {
		next = "The file held no secrets: edit each connection to enter its secrets, then test it."
	}
	if saved == 0 {
		next = "Nothing was changed."
	}
	return fmt.Sprintf("Imported %d of %d from %s.\n\n%s\n\n%s", saved, len(rep.Items), connectors.Printable(rep.Path), strings.Join(lines, "\n"), next)
}
