// Package forms maps connectors' fields to Fyne widgets: one input per field
// kind, laid out as a required and an Advanced section. The checks the
// widgets show live in connectors (check.go), shared with the command line.
package forms

// widgets.go: NewInput, the one place a connectors.Field becomes a widget.

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// Env is what inputs need from the screen they live on.
type Env struct {
	// Window parents the file dialog of a file field and the question
	// Generate asks before replacing a value.
	Window fyne.Window
	// Choices lists the values of a ChoicesFrom source (connection names, agents).
	Choices func(source string) []string
	// Shortcut is offered the key combinations a focused entry does not use
	// itself (Ctrl+S, Ctrl+Enter), so the screen's shortcuts work while typing;
	// it reports whether it handled one.
	Shortcut func(fyne.Shortcut) bool
	// Escape is called when Esc is pressed in an input.
	Escape func()
	// Clipboard is where Copy puts a secret and clears it again; nil: one of
	// the input's own over the app's clipboard (nothing clears it on quit).
	Clipboard *SecretClipboard
	// OpenFile, when set, stands in for the file dialog of Browse...: it
	// calls picked with the chosen path (tests choose without a dialog).
	OpenFile func(picked func(path string))
}

// escape passes Esc on to the screen; it reports whether it did. Every
// input's TypedKey asks it first, since Fyne gives a focused widget's keys
// to that widget only.
func (env *Env) escape(k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape || env == nil || env.Escape == nil {
		return false
	}
	env.Escape()
	return true
}

// Input is one field's widget and the way to read and write its value.
type Input struct {
	Field connectors.Field
	// Widget is the entry, select, radio group or check holding the value.
	Widget fyne.CanvasObject
	// Object is Widget with its buttons, what a form lays out.
	Object fyne.CanvasObject
	// Generate is the field's generator button (nil without a Generator); Copy
	// copies a generated secret to the clipboard without showing it.
	Generate, Copy *widget.Button
	// Browse opens a file dialog for a file field (nil otherwise).
	Browse *widget.Button
	// ReplaceDialog asks before Generate replaces a value the user entered;
	// Keep (also Esc) and Replace are its buttons. Nil until first asked.
	ReplaceDialog *dialog.CustomDialog
	Keep, Replace *widget.Button

	get      func() string
	set      func(string)
	changed  func()                  // the form's reaction to a change by the user
	blurred  func()                  // the form's reaction to leaving the input
	focused  func()                  // the form's reaction to the input gaining the focus
	report   func(string)            // shows a message at the field
	scrolled func(*fyne.ScrollEvent) // the form's scroller, for the wheel over an entry
	setPlace func(string)            // placeholder, for entries
}

// Value is the input's current value as the connector reads it.
func (in *Input) Value() string { return in.get() }

// SetValue shows v without counting as a change by the user.
func (in *Input) SetValue(v string) { in.set(v) }

// Entry is the text entry of a text-like field, or nil.
func (in *Input) Entry() *widget.Entry {
	if e, ok := in.Widget.(*entry); ok {
		return &e.Entry
	}
	return nil
}

// Focusable is what Tab and test.Type reach first in this input.
func (in *Input) Focusable() fyne.Focusable {
	if g, ok := in.Widget.(*radioGroup); ok && len(g.items) > 0 {
		if o := g.Option(g.Selected); o != nil {
			return o
		}
		return g.items[0]
	}
	if f, ok := in.Widget.(fyne.Focusable); ok {
		return f
	}
	return nil
}

// Options lists what a list offers now, as shown (nil for other widgets).
func (in *Input) Options() []string {
	if s, ok := in.Widget.(*choiceSelect); ok {
		return append([]string(nil), s.Options...)
	}
	return nil
}

// SetPlaceHolder changes an entry's placeholder (no-op for other widgets).
func (in *Input) SetPlaceHolder(s string) {
	if in.setPlace != nil {
		in.setPlace(s)
	}
}

func (in *Input) onChanged() {
	if in.changed != nil {
		in.changed()
	}
}

func (in *Input) onScrolled(ev *fyne.ScrollEvent) {
	if in.scrolled != nil {
		in.scrolled(ev)
	}
}

func (in *Input) onFocus() {
	if in.focused != nil {
		in.focused()
	}
}

func (in *Input) onBlur() {
	if in.blurred != nil {
		in.blurred()
	}
}

func (in *Input) say(msg string) {
	if in.report != nil {
		in.report(msg)
	}
}

// NewInput maps a field to its widget: secret -> password entry; multi-line
// secret -> multi-line password entry (each drawn as dots, with Fyne's eye
// to show what is being typed); choice -> radio group (2-3 fixed options) or
// select; number, url, text -> entry; bool -> check; file -> entry with
// Browse...; a Generator adds a button beside the field.
func NewInput(f connectors.Field, env Env) *Input {
	in := &Input{Field: f}
	switch f.Kind {
	case connectors.KindChoice:
		choiceInput(in, env)
	case connectors.KindBool:
		boolInput(in, env)
	default:
		entryInput(in, env)
	}
	in.Object = in.Widget
	if e, ok := in.Widget.(*entry); ok {
		var follow func()
		in.Object, follow = withWheel(e, in.onScrolled)
		follow()
		e.follow = follow
	}
	var buttons []fyne.CanvasObject
	if f.Kind == connectors.KindFile {
		in.Browse = widget.NewButtonWithIcon("Browse...", theme.FolderOpenIcon(), func() { browse(in, env) })
		buttons = append(buttons, in.Browse)
	}
	if g := f.Generator; g != nil {
		in.Generate = widget.NewButtonWithIcon(g.Label, theme.ViewRefreshIcon(), func() { in.generate(env) })
		buttons = append(buttons, in.Generate)
		if f.IsSecret() {
			// A secret is drawn as dots, so the way to hand it to the store's back office is the clipboard.
			in.Copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { in.copySecret(&env) })
			buttons = append(buttons, in.Copy)
		}
	}
	if len(buttons) > 0 {
		in.Object = container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), in.Object)
	}
	return in
}

// copySecret puts the secret on the clipboard, to be cleared ClearAfter
// later, and says so at the field.
func (in *Input) copySecret(env *Env) {
	v := in.get()
	if v == "" {
		return
	}
	if env.Clipboard == nil {
		env.Clipboard = NewSecretClipboard(fyne.CurrentApp().Clipboard(), nil)
	}
	env.Clipboard.Copy(v, func(cleared bool) {
		if cleared {
			in.say(clearedNote)
		}
	})
	in.say(copiedNote())
}

// generate fills the field from its Generator, asking first when it
// already holds a value (a key the user pasted would be lost).
func (in *Input) generate(env Env) {
	if strings.TrimSpace(in.get()) == "" {
		in.fillGenerated()
		return
	}
	if env.Window == nil {
		in.say("clear the field first to generate a new value")
		return
	}
	in.askReplace(env.Window)
}

func (in *Input) fillGenerated() {
	v, err := in.Field.Generator.Make()
	if err != nil {
		in.say("could not generate a value: " + err.Error())
		return
	}
	in.set(v)
	in.onChanged()
	if in.Field.IsSecret() {
		in.say("generated; use Copy to paste it where the store asks for it")
	}
}

// askReplace asks whether to replace the value. Fyne's custom dialogs
// ignore Esc, so Esc means Keep: from the focused button, or from the
// canvas while nothing in the dialog is focused (the pane's own Esc handler
// would close the pane); the canvas handler comes back when it closes.
func (in *Input) askReplace(w fyne.Window) {
	what := "value"
	if in.Field.IsSecret() {
		what = "key"
	}
	c := w.Canvas()
	before := c.OnTypedKey()
	var d *dialog.CustomDialog
	closed := false
	answer := func(replace bool) {
		if closed {
			return
		}
		closed = true
		d.Hide()
		c.SetOnTypedKey(before)
		if replace {
			in.fillGenerated()
		}
	}
	keep := newEscButton("Keep mine", func() { answer(false) }, func() { answer(false) })
	replace := newEscButton("Replace", func() { answer(true) }, func() { answer(false) })
	replace.Importance = widget.HighImportance
	text := widget.NewLabel("What you entered in " + in.Field.Label + " is lost if you replace it.\n" +
		"A new " + what + " works only once the store has it too.")
	d = dialog.NewCustomWithoutButtons("Replace the "+what+" you entered with a new one?", text, w)
	d.SetButtons([]fyne.CanvasObject{keep, replace})
	in.ReplaceDialog, in.Keep, in.Replace = d, &keep.Button, &replace.Button
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			answer(false)
		} else if before != nil {
			before(k)
		}
	})
	d.Show()
	c.Focus(keep) // Esc, Enter and Space answer Keep, the safe answer
}

// escButton is a dialog button that answers Esc with esc; Enter taps it,
// as Space does.
type escButton struct {
	widget.Button
	esc func()
}

func newEscButton(label string, tapped, esc func()) *escButton {
	b := &escButton{esc: esc}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *escButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		b.esc()
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	default:
		b.Button.TypedKey(k)
	}
}

// entry is widget.Entry that reports leaving it and passes the screen's
// shortcuts and Esc on, which a focused entry would otherwise swallow.
type entry struct {
	widget.Entry
	env    *Env
	in     *Input
	follow func() // the wheel layer follows the text's length
}

// multiLineRows is how many lines a multi-line entry shows.
const multiLineRows = 4

func (e *entry) FocusGained() {
	e.Entry.FocusGained()
	e.in.onFocus()
}

func (e *entry) FocusLost() {
	e.Entry.FocusLost()
	e.in.onBlur()
}

func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if _, custom := s.(*desktop.CustomShortcut); custom && e.env.Shortcut != nil && e.env.Shortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if !e.env.escape(k) {
		e.Entry.TypedKey(k)
	}
}

func entryInput(in *Input, env Env) {
	f := in.Field
	e := &entry{env: &env, in: in}
	switch f.Kind {
	case connectors.KindSecret:
		e.Password = true
		e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	case connectors.KindMultilineSecret:
		e.Password = true
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapOff
		e.SetMinRowsVisible(multiLineRows)
	}
	e.PlaceHolder = f.Placeholder
	e.ExtendBaseWidget(e)
	setting := false
	e.OnChanged = func(string) {
		if e.follow != nil {
			e.follow()
		}
		if !setting {
			in.onChanged()
		}
	}
	in.Widget = e
	in.get = func() string { return e.Text }
	in.set = func(v string) {
		setting = true
		e.SetText(v)
		setting = false
	}
	in.setPlace = e.SetPlaceHolder
}

// choiceSelect is widget.Select passing Esc on to the screen. A list fed
// from a source (agents, connections) is read again each time it opens, so
// an agent added while the pane was open is there to choose.
type choiceSelect struct {
	widget.Select
	env    *Env
	in     *Input
	reload func() // nil for a field's own fixed choices
}

func (s *choiceSelect) Tapped(e *fyne.PointEvent) {
	if s.reload != nil {
		s.reload()
	}
	s.Select.Tapped(e)
}

func (s *choiceSelect) FocusGained() {
	s.Select.FocusGained()
	s.in.onFocus()
}

func (s *choiceSelect) TypedKey(k *fyne.KeyEvent) {
	if s.env.escape(k) {
		return
	}
	if s.reload != nil && (k.Name == fyne.KeySpace || k.Name == fyne.KeyUp || k.Name == fyne.KeyDown) {
		s.reload() // the keys that open the list or move in it
	}
	s.Select.TypedKey(k)
}

const noneLabel = "(none)"

// NoAgentsYet is what an empty Agent list says: where agents will come from.
const NoAgentsYet = "No agents yet: see Resources > Agents"

func choiceInput(in *Input, env Env) {
	f := in.Field
	labels := map[string]string{} // value -> label
	values := map[string]string{} // label -> value
	var opts []string
	setOptions := func(choices []connectors.Choice) {
		clear(labels)
		clear(values)
		opts = opts[:0]
		if f.ChoicesFrom != "" && !f.Required && len(choices) > 0 {
			// "(none)" alone would read like an agent called "none".
			values[noneLabel] = ""
			opts = append(opts, noneLabel)
		}
		for _, c := range choices {
			l := c.Label
			if l == "" {
				l = c.Value
			}
			labels[c.Value], values[l] = l, c.Value
			opts = append(opts, l)
		}
	}
	fromSource := func() []connectors.Choice {
		var cs []connectors.Choice
		if env.Choices != nil {
			for _, v := range env.Choices(f.ChoicesFrom) {
				cs = append(cs, connectors.Choice{Value: v})
			}
		}
		return cs
	}
	if f.ChoicesFrom != "" {
		setOptions(fromSource())
	} else {
		setOptions(f.Choices)
	}
	setting := false
	changed := func(string) {
		if !setting {
			in.onChanged()
		}
	}
	if f.ChoicesFrom == "" && len(f.Choices) >= 2 && len(f.Choices) <= 3 {
		r := newRadioGroup(append([]string(nil), opts...), &env, changed)
		r.focused = in.onFocus
		r.Required = f.Required || f.Default != ""
		in.Widget = r
		in.get = func() string { return values[r.Selected] }
		in.set = func(v string) {
			setting = true
			r.SetSelected(labels[v])
			setting = false
		}
		return
	}
	s := &choiceSelect{env: &env, in: in}
	placeholder := func() string {
		switch {
		case f.ChoicesFrom == connectors.ChoicesAgents && len(opts) == 0:
			return NoAgentsYet
		case f.ChoicesFrom != "" && len(opts) == 0:
			return "(none yet)"
		}
		return "(choose one)"
	}
	s.Options = append([]string(nil), opts...)
	s.OnChanged = changed
	s.PlaceHolder = placeholder()
	if f.ChoicesFrom != "" {
		s.reload = func() {
			chosen := values[s.Selected]
			setOptions(fromSource())
			s.Options = append([]string(nil), opts...)
			s.PlaceHolder = placeholder()
			if l, ok := labels[chosen]; ok && chosen != "" {
				s.Selected = l
			} else if _, none := values[noneLabel]; none && s.Selected == noneLabel {
				s.Selected = noneLabel
			} else if chosen != "" {
				s.ClearSelected() // its agent or connection is gone: the value changes
			}
			s.Refresh()
		}
	}
	s.ExtendBaseWidget(s)
	in.Widget = s
	in.get = func() string { return values[s.Selected] }
	in.set = func(v string) {
		setting = true
		if l, ok := labels[v]; ok {
			s.SetSelected(l)
		} else if _, none := values[noneLabel]; v == "" && none {
			s.SetSelected(noneLabel)
		} else {
			s.ClearSelected()
		}
		setting = false
	}
}

// boolCheck is widget.Check passing Esc on to the screen.
type boolCheck struct {
	widget.Check
	env *Env
	in  *Input
}

func (c *boolCheck) FocusGained() {
	c.Check.FocusGained()
	c.in.onFocus()
}

func (c *boolCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.env.escape(k) {
		c.Check.TypedKey(k)
	}
}

func boolInput(in *Input, env Env) {
	c := &boolCheck{env: &env, in: in}
	c.Text = in.Field.Label
	setting := false
	c.OnChanged = func(bool) {
		if !setting {
			in.onChanged()
		}
	}
	c.ExtendBaseWidget(c)
	in.Widget = c
	in.get = func() string {
		if c.Checked {
			return "true"
		}
		return "false"
	}
	in.set = func(v string) {
		setting = true
		c.SetChecked(strings.EqualFold(strings.TrimSpace(v), "true"))
		setting = false
	}
}

func browse(in *Input, env Env) {
	picked := func(path string) {
		in.set(path)
		in.onChanged()
		in.onBlur()
	}
	if env.OpenFile != nil {
		env.OpenFile(picked)
		return
	}
	if env.Window == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			in.say("could not open the file: " + err.Error())
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		if err := r.Close(); err != nil {
			in.say("could not read the file: " + err.Error())
		}
		picked(path)
	}, env.Window)
	d.Show()
}
