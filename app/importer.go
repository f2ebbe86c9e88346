package app

// importer.go: a connector's Importer (the Upgates installation request)
// fills the pane from a file or pasted text plus the importer's own fields.

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/forms"
)

// ImportDialog asks for the data and the importer's parameters.
type ImportDialog struct {
	Dialog *dialog.CustomDialog
	// Paste takes the data as text, drawn as dots since it may carry secrets;
	// OpenFileButton reads it from a file instead.
	Paste          *forms.Input
	Params         *forms.Form
	OpenFileButton *widget.Button
	ImportButton   *widget.Button
	Message        *widget.Label
	data           []byte // read from a file; Paste wins when filled
}

// OpenImporter shows the import dialog of the pane's application.
func (p *Pane) OpenImporter() {
	imp := p.Info.Importer
	if imp == nil || p.busy() {
		return
	}
	d := &ImportDialog{Message: wrapped("", widget.DangerImportance)}
	d.Message.Hide()
	env := forms.Env{Window: p.Window}
	d.Paste = forms.NewInput(connectors.Field{Key: "data", Label: "Pasted text", Kind: connectors.KindMultilineSecret}, env)
	d.Params = forms.New(connectors.Info{ID: p.Info.ID + "-import", Fields: imp.Params}, env)
	loaded := widget.NewLabel("")
	d.OpenFileButton = widget.NewButtonWithIcon("Open file...", theme.FolderOpenIcon(), func() {
		dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, 1<<20))
			if err != nil {
				d.say("Could not read the file: " + err.Error())
				return
			}
			d.data = data
			loaded.SetText(fmt.Sprintf("Loaded %s (%d bytes).", r.URI().Name(), len(data)))
		}, p.Window).Show()
	})
	d.ImportButton = widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), func() { p.runImport(d) })
	d.ImportButton.Importance = widget.HighImportance
	intro := wrapped("Open the saved file, or paste its text below. The form is filled from it; check the values, then Save.", widget.MediumImportance)
	content := container.NewVBox(intro, container.NewHBox(d.OpenFileButton, loaded), d.Paste.Object, d.Params.Content, d.Message)
	d.Dialog = dialog.NewCustomWithoutButtons(strings.TrimSuffix(strings.TrimSpace(imp.Label), "..."), container.NewVScroll(content), p.Window)
	d.Dialog.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Dialog.Hide() }), d.ImportButton})
	d.Dialog.Resize(fyne.NewSize(600, 500))
	p.Importer = d
	d.Dialog.Show()
}

func (d *ImportDialog) say(msg string) {
	d.Message.SetText(msg)
	d.Message.Show()
}

func (p *Pane) runImport(d *ImportDialog) {
	data := d.data
	if pasted := d.Paste.Value(); strings.TrimSpace(pasted) != "" {
		data = []byte(pasted)
	}
	if len(data) == 0 {
		d.say("Open a file or paste the text first.")
		return
	}
	if errs := d.Params.Validate(); len(errs) > 0 {
		d.say(errs[0].Error())
		return
	}
	params := d.Params.Values()
	d.ImportButton.Disable()
	imp, ctx := p.Info.Importer, p.ui.ctx
	go func() {
		values, err := imp.Import(ctx, data, params, p.ui.eng.ImportEnv())
		p.ui.do(func() {
			d.ImportButton.Enable()
			if err != nil {
				p.ui.log.WithField("app", p.Info.ID).WithError(err).Warn("import refused")
				d.say("Not imported: " + err.Error())
				return
			}
			d.Dialog.Hide()
			p.Form.Fill(values)
			p.say(fmt.Sprintf("Filled %d fields from the import. Check them, then Save.", len(values)), widget.MediumImportance)
		})
	}()
}
