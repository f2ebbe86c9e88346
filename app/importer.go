package app

// importer.go: a connector's Importer (the Upgates installation request)
// fills the pane from a file or pasted text plus the importer's own fields.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/forms"
)

// ImportDialog asks for the data and the importer's parameters.
type ImportDialog struct {
	dialog *dialog.CustomDialog
	// Content is the dialog's content: Message first, so a refusal shows
	// at the top whatever the scroll, then the scrolled inputs.
	content *fyne.Container
	// Paste takes the data as text, drawn as dots since it may carry secrets;
	// OpenFileButton reads it from a file instead, offering FileFilter's files.
	Paste          *forms.Input
	Params         *forms.Form
	openFileButton *widget.Button
	FileFilter     storage.FileFilter
	importButton   *widget.Button
	cancelButton   *widget.Button
	message        *widget.Label
	data           []byte // read from a file; Paste wins when filled
	loaded         *widget.Label
}

// OpenImporter shows the import dialog of the pane's application. Esc, in
// the dialog or any of its inputs, is Cancel: the pane stays open.
func (p *Pane) OpenImporter() {
	imp := p.Info.Importer
	if imp == nil || p.busy() {
		return
	}
	d := &ImportDialog{message: wrapped("", widget.DangerImportance), FileFilter: regularFiles{storage.NewExtensionFileFilter([]string{".json"})}}
	d.message.Hide()
	cancel := func() { d.dialog.Hide() }
	env := forms.Env{Window: p.Window, Escape: cancel, Clipboard: p.ui.clipboard}
	d.Paste = forms.NewInput(connectors.Field{Key: "data", Label: "Pasted text", Kind: connectors.KindMultilineSecret}, env)
	d.Params = forms.New(connectors.Info{ID: p.Info.ID + "-import", Fields: imp.Params}, env)
	d.loaded = widget.NewLabel("")
	openFile := newDialogButton("Open file...", func() {
		fd := dialog.NewFileOpen(d.loadFile, p.Window)
		fd.SetFilter(d.FileFilter)
		fd.Show()
	}, cancel)
	openFile.Icon = theme.FolderOpenIcon()
	importButton := newDialogButton("Import", func() { p.runImport(d) }, cancel)
	importButton.Icon, importButton.Importance = theme.ConfirmIcon(), widget.HighImportance
	cancelButton := newDialogButton("Cancel", cancel, cancel)
	d.openFileButton, d.importButton, d.cancelButton = &openFile.Button, &importButton.Button, &cancelButton.Button
	intro := wrapped("Open the saved .json file, or paste its text below. The form is filled from it; check the values, then Save.", widget.MediumImportance)
	inputs := container.NewVScroll(container.NewVBox(intro, container.NewHBox(openFile, d.loaded), d.Paste.Object, d.Params.Content))
	d.content = container.New(layout.NewBorderLayout(d.message, nil, nil, nil), d.message, inputs)
	d.dialog = dialog.NewCustomWithoutButtons(strings.TrimSuffix(strings.TrimSpace(imp.Label), "..."), d.content, p.Window)
	d.dialog.SetButtons([]fyne.CanvasObject{cancelButton, importButton})
	d.dialog.Resize(fyne.NewSize(600, 500))
	p.Importer = d
	showDialog(p.Window, d.dialog, cancel)
}

// loadFile is the file dialog's answer: the chosen file, read bounded.
func (d *ImportDialog) loadFile(r fyne.URIReadCloser, err error) {
	if err != nil {
		d.say("The file could not be opened (" + err.Error() + "): choose it again, or paste its text instead.")
		return
	}
	if r == nil {
		return // cancelled
	}
	defer r.Close()
	data, err := readImportFile(r)
	var lfe *connectors.LocalFileError
	switch {
	case errors.As(err, &lfe):
		d.say(err.Error() + ", or paste its text instead.")
		return
	case err != nil:
		d.say("The file could not be read (" + err.Error() + "): choose it again, or paste its text instead.")
		return
	}
	d.data = data
	d.message.Hide()
	d.loaded.SetText(fmt.Sprintf("Loaded %s (%d bytes).", r.URI().Name(), len(data)))
}

// importFileLabel names the file in a refusal.
const importFileLabel = "Installation request file"

// readImportFile reads the chosen file, at most MaxImportFileSize: by its
// path where it has one, so only a regular file is read (the dialog has
// opened it already, but reading a device or a pipe is what would hang).
func readImportFile(r fyne.URIReadCloser) ([]byte, error) {
	if u := r.URI(); u.Scheme() == "file" {
		return connectors.ReadLocalFile(importFileLabel, u.Path(), connectors.MaxImportFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(r, connectors.MaxImportFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > connectors.MaxImportFileSize {
		return nil, &connectors.LocalFileError{Label: importFileLabel, Path: r.URI().Name(), Err: connectors.ErrFileTooLarge, Limit: connectors.MaxImportFileSize}
	}
	return data, nil
}

// regularFiles offers only regular files (and what does not exist yet): a
// pipe or a device named request.json is not even listed, since the file
// dialog opens the file it returns, and opening a pipe waits for a writer.
type regularFiles struct{ storage.FileFilter }

func (f regularFiles) Matches(u fyne.URI) bool {
	if u.Scheme() == "file" {
		if st, err := os.Stat(u.Path()); err == nil && !st.Mode().IsRegular() {
			return false
		}
	}
	return f.FileFilter.Matches(u)
}

// say shows a refusal at the top of the dialog; it should say what to do next.
func (d *ImportDialog) say(msg string) {
	d.message.SetText(msg)
	d.message.Show()
}

func (p *Pane) runImport(d *ImportDialog) {
	data := d.data
	if pasted := d.Paste.Value(); strings.TrimSpace(pasted) != "" {
		data = []byte(pasted)
	}
	if len(data) == 0 {
		d.say("Nothing to import yet: open the saved file, or paste its text, then Import.")
		return
	}
	if errs := d.Params.Validate(); len(errs) > 0 {
		d.say("Not imported: " + errs[0].Error() + ", then Import again.")
		return
	}
	params := d.Params.Values()
	d.importButton.Disable()
	imp, ctx := p.Info.Importer, p.ui.ctx
	go func() {
		values, err := imp.Import(ctx, data, params, p.ui.eng.ImportEnv())
		p.ui.do(func() {
			d.importButton.Enable()
			if err != nil {
				p.ui.log.WithField("app", p.Info.ID).WithError(err).Warn("import refused")
				d.say("Not imported. " + sentence(p.ui.eng.Redact(err.Error())))
				return
			}
			d.dialog.Hide()
			p.fillImported(values)
		})
	}()
}

// fillImported fills the pane from an import. A name the user already
// typed (or the saved one, when editing) wins over the suggested one.
func (p *Pane) fillImported(values connectors.Values) {
	if strings.TrimSpace(p.Form.Input(connectors.FieldName).Value()) != "" {
		values = values.Clone()
		delete(values, connectors.FieldName)
	}
	p.Form.Fill(values)
	var labels []string
	for _, f := range p.Form.Rows() {
		if _, ok := values[f.Input.Field.Key]; ok {
			labels = append(labels, f.Input.Field.Label)
		}
	}
	p.say("Filled "+strings.Join(labels, ", ")+" from the import. Check them, then Save.", widget.MediumImportance)
}

// sentence capitalises msg and ends it with a full stop.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}
