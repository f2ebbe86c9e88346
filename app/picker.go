package app

// picker.go: "+ Create connection" first asks which application; typing
// filters the list, Enter picks the first match and Esc closes it.

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
)

// Picker is the application list shown before the Create connection pane.
type Picker struct {
	ui *UI
	// Search is focused while the picker is open; Esc in it closes the picker.
	Search *escEntry
	// Buttons choose an application, by ID; Rows hold them with icon and description.
	buttons      map[string]*widget.Button
	rows         map[string]*fyne.Container
	noMatch      *widget.Label
	dialog       *dialog.CustomDialog
	cancelButton *widget.Button
	apps         []connectors.Info
}

// CreateConnection opens the application picker.
func (u *UI) CreateConnection() {
	p := &Picker{ui: u, apps: u.eng.Registry().All(), buttons: map[string]*widget.Button{}, rows: map[string]*fyne.Container{}}
	p.Search = newEscEntry(p.Close)
	p.Search.SetPlaceHolder("Search applications")
	p.Search.OnChanged = func(string) { p.filter() }
	p.Search.OnSubmitted = func(string) { p.chooseFirst() }
	list := container.NewVBox()
	for _, info := range p.apps {
		info := info
		title := widget.NewLabelWithStyle(info.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		desc := widget.NewLabel(info.Description)
		desc.Truncation = fyne.TextTruncateEllipsis
		icon := container.NewCenter(container.NewGridWrap(fyne.NewSize(40, 40), widget.NewIcon(assets.Icon(info.Icon))))
		b := newDialogButton("", func() { p.choose(info) }, p.Close)
		row := container.NewStack(b, container.NewBorder(nil, nil, icon, nil, container.NewVBox(title, desc)))
		p.buttons[info.ID], p.rows[info.ID] = &b.Button, row
		list.Add(row)
	}
	p.noMatch = widget.NewLabel("No application matches. Storelink connects to " + titles(p.apps) + ".")
	p.noMatch.Wrapping = fyne.TextWrapWord
	p.noMatch.Hide()
	intro := widget.NewLabel("Which application does the store run? Type to search, Enter picks the first match.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(container.NewVBox(intro, p.Search), nil, nil, nil,
		container.NewVScroll(container.NewVBox(list, p.noMatch)))
	cancel := newDialogButton("Cancel", p.Close, p.Close)
	p.cancelButton = &cancel.Button
	p.dialog = dialog.NewCustomWithoutButtons("Create connection: choose the application", content, u.Window)
	p.dialog.SetButtons([]fyne.CanvasObject{cancel})
	p.dialog.SetOnClosed(func() {
		if u.Picker == p {
			u.Picker = nil
		}
	})
	p.dialog.Resize(fyne.NewSize(560, 440))
	u.Picker = p
	showDialog(u.Window, p.dialog, p.Close)
	u.Window.Canvas().Focus(p.Search)
}

// Close closes the picker without choosing (Cancel, Esc).
func (p *Picker) Close() { p.dialog.Hide() }

// titles lists the applications in words: "Magento 2, PrestaShop or Upgates".
func titles(apps []connectors.Info) string {
	var t []string
	for _, a := range apps {
		t = append(t, a.Title)
	}
	if len(t) < 2 {
		return strings.Join(t, "")
	}
	return strings.Join(t[:len(t)-1], ", ") + " or " + t[len(t)-1]
}

func (p *Picker) matches(info connectors.Info) bool {
	q := strings.ToLower(strings.TrimSpace(p.Search.Text))
	return q == "" || strings.Contains(strings.ToLower(info.Title+" "+info.ID+" "+info.Description), q)
}

func (p *Picker) filter() {
	shown := 0
	for _, info := range p.apps {
		if p.matches(info) {
			p.rows[info.ID].Show()
			shown++
		} else {
			p.rows[info.ID].Hide()
		}
	}
	if shown == 0 {
		p.noMatch.Show()
	} else {
		p.noMatch.Hide()
	}
}

func (p *Picker) chooseFirst() {
	for _, info := range p.apps {
		if p.matches(info) {
			p.choose(info)
			return
		}
	}
}

func (p *Picker) choose(info connectors.Info) {
	p.dialog.Hide()
	p.ui.openPane(p.ui.kind(engine.KindConnection), opening{info: info})
}
