package app

// transfer_export.go: File > Export..., the saved connections and agents
// written to one file for another computer: the settings alone, or the
// settings and secrets encrypted with a passphrase typed twice. The window
// only chooses the path; the engine writes the file (a file dialog would
// create it, or empty an old one, before the export even ran).

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
	"storelink/forms"
)

// The export form's fields and the values of its first.
const (
	exportContents       = "contents"
	exportPassphrase     = "passphrase"
	exportPassphraseTwin = "passphrase_again"
	exportFile           = "file"

	exportSettingsOnly = "settings"
	exportWithSecrets  = "secrets"
)

// transfer is what File > Export and File > Import keep between dialogs.
type transfer struct {
	// pickImport asks for the file to import and calls done with its path
	// (a file dialog); the tests give the path themselves.
	pickImport func(done func(path string))
	// workFactor is scrypt's cost for an export (0: age's default, about a
	// second); the tests lower it.
	workFactor int

	export     *ExportDialog
	passphrase *PassphraseDialog
	conflicts  *ConflictDialog
	busy       *dialog.CustomDialog
	// summary is the last export's or import's closing words.
	summary *widget.Label
}

// ExportDialog is File > Export...: what to export, the passphrase twice
// for secrets, and the file to write.
type ExportDialog struct {
	dialog                                   *dialog.CustomDialog
	form                                     *forms.Form
	message                                  *widget.Label
	activity                                 *widget.Activity
	exportButton, cancelButton, folderButton *widget.Button
	// replace asks before an existing file is replaced.
	replace *question
	run     *verification
	ui      *UI
}

func exportInfo() connectors.Info {
	secrets := []connectors.Condition{{Field: exportContents, Values: []string{exportWithSecrets}}}
	long := func(v string) error {
		if len([]rune(v)) < engine.MinPassphraseLength {
			return fmt.Errorf("use at least %d characters: it alone protects every secret in the file", engine.MinPassphraseLength)
		}
		return nil
	}
	return connectors.Info{ID: "export", Fields: []connectors.Field{
		{Key: exportContents, Label: "What to export", Kind: connectors.KindChoice, Required: true, Default: exportSettingsOnly, Choices: []connectors.Choice{
			{Value: exportSettingsOnly, Label: "Settings only", Help: "Addresses and options, no secrets: on the other computer, you enter each connection's keys again."},
			{Value: exportWithSecrets, Label: "Settings and secrets (encrypted)", Help: "Everything, the secrets encrypted with a passphrase you choose: keep the passphrase apart from the file."},
		}},
		{Key: exportPassphrase, Label: "Passphrase", Kind: connectors.KindSecret, VisibleWhen: secrets, RequiredWhen: secrets, Validate: long,
			Help: fmt.Sprintf("At least %d characters; the file cannot be opened without it, so keep it somewhere safe.", engine.MinPassphraseLength)},
		{Key: exportPassphraseTwin, Label: "The same passphrase again", Kind: connectors.KindSecret, VisibleWhen: secrets, RequiredWhen: secrets,
			Help: "Type it once more, so a typing mistake cannot lock the file."},
		{Key: exportFile, Label: "Save as", Kind: connectors.KindText, Required: true,
			Help: "The file to write: type its path, or pick its folder with the button below."},
	}}
}

// ExportFile opens File > Export...
func (u *UI) ExportFile() {
	d := &ExportDialog{ui: u, message: wrapped("", widget.MediumImportance), activity: widget.NewActivity()}
	d.message.Hide()
	d.activity.Hide()
	cancel := d.cancel
	env := forms.Env{Window: u.Window, Escape: cancel, Clipboard: u.clipboard}
	d.form = forms.New(exportInfo(), env)
	d.form.Fill(connectors.Values{exportFile: defaultExportPath(time.Now(), false)})
	contents := exportSettingsOnly
	d.form.OnChanged = func() {
		if now := d.form.AllValues()[exportContents]; now != contents {
			contents = now
			d.swapExtension(now == exportWithSecrets)
		}
	}
	folder := newDialogButton("Choose folder...", d.chooseFolder, cancel)
	folder.Icon = theme.FolderOpenIcon()
	d.form.InsertAfter(exportFile, container.NewHBox(folder))
	export := newDialogButton("Export", d.submit, cancel)
	export.Icon, export.Importance = theme.DocumentSaveIcon(), widget.HighImportance
	cancelButton := newDialogButton("Cancel", cancel, cancel)
	d.exportButton, d.cancelButton, d.folderButton = &export.Button, &cancelButton.Button, &folder.Button
	intro := wrapped("Every saved connection and agent goes into one file. On the other computer, choose File > Import... and that file.", widget.MediumImportance)
	status := container.NewBorder(nil, nil, d.activity, nil, d.message)
	content := container.NewBorder(container.NewVBox(intro, status), nil, nil, nil, container.NewVScroll(d.form.Content))
	d.dialog = dialog.NewCustomWithoutButtons("Export connections", content, u.Window)
	d.dialog.SetButtons([]fyne.CanvasObject{cancelButton, export})
	d.dialog.Resize(fyne.NewSize(600, 520))
	u.transfer.export = d
	showDialog(u.Window, d.dialog, cancel)
	u.Window.Canvas().Focus(d.form.Input(exportContents).Focusable())
}

// defaultExportPath is a dated file in the home folder: .json for settings
// alone, .age (the encryption's format) with secrets.
func defaultExportPath(now time.Time, secrets bool) string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, "storelink-export-"+now.Format("2006-01-02")+exportExt(secrets))
}

func exportExt(secrets bool) string {
	if secrets {
		return ".age"
	}
	return ".json"
}

// swapExtension follows the choice in a file name that still ends as the
// other choice's would; a name the owner typed otherwise stays.
func (d *ExportDialog) swapExtension(secrets bool) {
	in := d.form.Input(exportFile)
	name := in.Value()
	if old := exportExt(!secrets); strings.HasSuffix(name, old) {
		in.SetValue(strings.TrimSuffix(name, old) + exportExt(secrets))
	}
}

// chooseFolder keeps the file's name and puts it in the folder chosen.
func (d *ExportDialog) chooseFolder() {
	fd := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		in := d.form.Input(exportFile)
		in.SetValue(filepath.Join(dir.Path(), filepath.Base(in.Value())))
	}, d.ui.Window)
	fd.Show()
}

func (d *ExportDialog) say(text string, imp widget.Importance) {
	d.message.Importance = imp
	d.message.SetText(text)
	d.message.Show()
}

// cancel closes the dialog; an export already writing cannot be stopped
// half-way, so Cancel waits for it (its button is disabled meanwhile).
func (d *ExportDialog) cancel() {
	if d.run != nil {
		return
	}
	d.dialog.Hide()
}

// submit checks the form, asks before replacing a file, then exports.
func (d *ExportDialog) submit() {
	if d.run != nil {
		return
	}
	errs := d.form.Validate()
	v := d.form.Values()
	secrets := v[exportContents] == exportWithSecrets
	if len(errs) == 0 && secrets && v[exportPassphrase] != v[exportPassphraseTwin] {
		d.form.ShowError(exportPassphraseTwin, "does not match the passphrase above: type the same one in both")
		errs = append(errs, connectors.FieldError{Key: exportPassphraseTwin})
	}
	path := strings.TrimSpace(v[exportFile])
	if len(errs) == 0 {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			d.form.ShowError(exportFile, "is a folder: add a file name at its end")
			errs = append(errs, connectors.FieldError{Key: exportFile})
		}
	}
	if len(errs) > 0 {
		d.say("Fix the fields marked in red first.", widget.DangerImportance)
		d.form.FocusFirstError(d.ui.Window.Canvas())
		return
	}
	o := engine.ExportOptions{WithSecrets: secrets, Passphrase: v[exportPassphrase], WorkFactor: d.ui.transfer.workFactor}
	if _, err := os.Lstat(path); err == nil {
		d.replace = ask(d.ui.Window, questionSpec{
			title:   "Replace the file?",
			content: wrapped(fmt.Sprintf("%s already exists. Replace it? What it holds now is lost.", path), widget.MediumImportance),
			safe:    "Keep it", do: "Replace it", danger: true, size: fyne.NewSize(460, 200),
			onDo: func() {
				o.Replace = true
				d.export(path, o)
			},
		})
		return
	}
	d.export(path, o)
}

type exported struct {
	sum engine.ExportSummary
	err error
}

// export writes the file in the background, with progress.
func (d *ExportDialog) export(path string, o engine.ExportOptions) {
	eng := d.ui.eng
	d.exportButton.Disable()
	d.cancelButton.Disable()
	d.folderButton.Disable()
	d.activity.Show()
	d.activity.Start()
	working := "Exporting..."
	if o.WithSecrets {
		working = "Encrypting and exporting (this takes a few seconds)..."
	}
	d.say(working, widget.MediumImportance)
	d.run = start(d.ui, job[exported]{
		work: func(context.Context, func(string)) exported {
			sum, err := eng.ExportFile(path, o)
			return exported{sum, err}
		},
		tick: func(t time.Duration) { d.message.SetText(fmt.Sprintf("%s %.0f s", working, t.Seconds())) },
		finish: func(out exported, _ bool) {
			d.run = nil
			d.activity.Stop()
			d.activity.Hide()
			d.exportButton.Enable()
			d.cancelButton.Enable()
			d.folderButton.Enable()
			d.finished(out)
		},
	})
}

func (d *ExportDialog) finished(out exported) {
	var ie *engine.InputError
	switch {
	case errors.As(out.err, &ie):
		for _, f := range ie.Fields {
			d.form.ShowError(f.Key, f.Message)
		}
		d.say("Fix the fields marked in red first.", widget.DangerImportance)
		d.form.FocusFirstError(d.ui.Window.Canvas())
	case out.err != nil:
		d.ui.log.WithError(out.err).Warn("export failed")
		d.say(sentenceOf(d.ui.eng.Redact(out.err.Error())), widget.DangerImportance)
	default:
		d.dialog.Hide()
		s := out.sum
		what := "Settings only, no secrets: on the other computer, enter each connection's secrets after importing."
		if s.WithSecrets {
			what = "Settings and secrets, encrypted with your passphrase: keep the passphrase apart from the file."
		}
		d.ui.tellTransfer("Exported", fmt.Sprintf("Exported %s and %s to %s.\n\n%s\n\nOn the other computer, choose File > Import... and this file.",
			plural(s.Connections, "connection"), plural(s.Agents, "agent"), connectors.Printable(s.Path), what))
	}
}

// sentenceOf starts text with a capital letter and ends it with a full stop.
func sentenceOf(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return text
	}
	r := []rune(text)
	text = strings.ToUpper(string(r[0])) + string(r[1:])
	if !strings.HasSuffix(text, ".") {
		text += "."
	}
	return text
}

// tellTransfer shows an export's or import's closing words.
func (u *UI) tellTransfer(title, text string) {
	u.transfer.summary = wrapped(text, widget.MediumImportance)
	tell(u.Window, title, container.NewVScroll(u.transfer.summary), fyne.NewSize(520, 320))
}
