package forms

// form.go: a connector's fields laid out as a required section and a
// collapsible Advanced section, checked live once the user has edited a field.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// Row is one field on the form: heading, input, and one line below it that
// shows the message, else the note, else the hint. The line keeps its height
// whichever it shows, so an error appearing moves nothing below it.
type Row struct {
	Input   *Input
	Label   *widget.Label // "Store URL (required)"; empty for a check box
	Hint    *widget.Label // the field's Hint(); hidden while a note or message takes its place
	Note    *widget.Label // a fact about the value (stored in the keychain, tidied up)
	Message *widget.Label // what is wrong, or a warning, in words
	Box     *fyne.Container

	edited bool // changed by the user, filled or validated: say "required" now
	// kept is the hint of a secret with a saved value: left empty, it keeps it.
	kept string
}

// Visible reports whether the row is shown.
func (r *Row) Visible() bool { return r.Box.Visible() }

// Form is a connector's form. Values flow through Inputs; Required and
// Advanced are the two sections, Content both.
type Form struct {
	Info     connectors.Info
	Required *fyne.Container
	Advanced *widget.Accordion // nil when the connector has no advanced field
	Content  fyne.CanvasObject
	// OnChanged is called after each change the user makes.
	OnChanged func()
	// OnFocus is called when an input of row gains the focus (Tab,
	// Shift+Tab, a click, FocusFirstError), so the screen can bring the row
	// into view.
	OnFocus func(row *Row)
	// OnScrolled gets the wheel events over a text field, for the screen's
	// scroller (Fyne's entries would swallow them).
	OnScrolled func(*fyne.ScrollEvent)

	rows     []*Row
	byKey    map[string]*Row
	baseline connectors.Values
}

// New builds the form for info with every field's default filled in.
func New(info connectors.Info, env Env) *Form {
	f := &Form{Info: info, byKey: map[string]*Row{}}
	var required, advanced []fyne.CanvasObject
	for _, field := range info.Fields {
		r := f.newRow(field, env)
		f.rows = append(f.rows, r)
		f.byKey[field.Key] = r
		if field.Advanced {
			advanced = append(advanced, r.Box)
		} else {
			required = append(required, r.Box)
		}
	}
	f.Required = container.NewVBox(required...)
	content := container.NewVBox(f.Required)
	if len(advanced) > 0 {
		f.Advanced = widget.NewAccordion(widget.NewAccordionItem("Advanced", container.NewVBox(advanced...)))
		content.Add(f.Advanced)
	}
	f.Content = content
	f.SetValues(info.Defaults(connectors.Values{}))
	return f
}

func (f *Form) newRow(field connectors.Field, env Env) *Row {
	in := NewInput(field, env)
	r := &Row{
		Input:   in,
		Label:   widget.NewLabelWithStyle(field.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Hint:    small(field.Hint(), widget.MediumImportance),
		Note:    small("", widget.HighImportance),
		Message: small("", widget.DangerImportance),
	}
	if field.Kind == connectors.KindBool {
		r.Label.Hide() // the check box carries the label
	}
	r.arrange()
	line := container.New(lineLayout{}, r.Hint, r.Note, r.Message)
	r.Box = container.NewVBox(r.Label, in.Object, line)
	in.changed = func() { f.changed(r) }
	in.blurred = func() { f.left(r) }
	in.focused = func() {
		if f.OnFocus != nil {
			f.OnFocus(r)
		}
	}
	in.report = func(msg string) { r.setNote(sentence(msg)) }
	in.scrolled = func(ev *fyne.ScrollEvent) {
		if f.OnScrolled != nil {
			f.OnScrolled(ev)
		}
	}
	return r
}

// arrange shows the message, else the note, else the hint in the row's line.
func (r *Row) arrange() {
	msg, note := r.Message.Text != "", r.Note.Text != ""
	showIf(r.Message, msg)
	showIf(r.Note, note && !msg)
	showIf(r.Hint, r.Hint.Text != "" && !msg && !note)
}

func (r *Row) setNote(text string) {
	setText(r.Note, text)
	r.arrange()
}

func (r *Row) setMessage(text string, imp widget.Importance) {
	switch m := r.Message; {
	case m.Text != text:
		m.Importance = imp
		m.SetText(text)
	case text != "" && m.Importance != imp:
		m.Importance = imp
		m.Refresh()
	}
	r.arrange()
}

// lineLayout puts the hint, note and message in one place, as tall as the
// tallest of them (hidden ones count, and an empty label is one line tall),
// so one replacing another moves nothing. Only a message longer than the
// hint grows the line.
type lineLayout struct{}

func (lineLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

func (lineLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects { // hidden ones too: their height counts in MinSize
		o.Resize(size)
		o.Move(fyne.Position{})
	}
}

func small(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	l.Importance = imp
	return l
}

// Row returns the row of the field key, or nil.
func (f *Form) Row(key string) *Row { return f.byKey[key] }

// Input returns the input of the field key, or nil.
func (f *Form) Input(key string) *Input {
	if r := f.byKey[key]; r != nil {
		return r.Input
	}
	return nil
}

// Rows lists the rows in field order.
func (f *Form) Rows() []*Row { return f.rows }

// InsertAfter places obj in the required section just after the row of key
// (the pane shows Application after Name, as the seeds do).
func (f *Form) InsertAfter(key string, obj fyne.CanvasObject) {
	objs := f.Required.Objects
	for i, o := range objs {
		if r := f.byKey[key]; r != nil && o == r.Box {
			f.Required.Objects = append(objs[:i+1], append([]fyne.CanvasObject{obj}, objs[i+1:]...)...)
			f.Required.Refresh()
			return
		}
	}
	f.Required.Add(obj)
}

// AllValues reads every input, hidden ones included.
func (f *Form) AllValues() connectors.Values {
	v := connectors.Values{}
	for _, r := range f.rows {
		v[r.Input.Field.Key] = r.Input.Value()
	}
	return v
}

// Values reads the inputs of the fields shown for the current values: what
// is tested and saved.
func (f *Form) Values() connectors.Values {
	all := f.AllValues()
	out := connectors.Values{}
	for _, r := range f.rows {
		if r.Input.Field.VisibleIn(all) {
			out[r.Input.Field.Key] = all[r.Input.Field.Key]
		}
	}
	return out
}

// SetValues shows values (missing keys keep their input) and makes them the
// baseline Dirty compares with.
func (f *Form) SetValues(values connectors.Values) {
	f.Fill(values)
	f.MarkClean()
}

// Fill shows values like a user would have typed them (an import, a moved
// address), leaving the baseline alone. An advanced value that differs from
// its default opens the Advanced section, so it is not hidden.
func (f *Form) Fill(values connectors.Values) {
	for k, v := range values {
		if r := f.byKey[k]; r != nil {
			r.Input.SetValue(v)
			if v != "" {
				r.edited = true
			}
		}
	}
	f.update()
	for k := range values {
		if r := f.byKey[k]; r != nil && r.Visible() && r.Input.Value() != r.Input.Field.Default {
			f.openAdvancedFor(r)
		}
	}
}

// MarkClean makes the current values the baseline: nothing typed since.
func (f *Form) MarkClean() { f.baseline = f.AllValues() }

// Dirty reports whether anything was typed or chosen since the baseline.
func (f *Form) Dirty() bool {
	now := f.AllValues()
	for k, v := range now {
		if f.baseline[k] != v {
			return true
		}
	}
	return false
}

// KeepSaved marks the secret field key as holding a saved value that is
// never shown: left empty it keeps that value (no "required"), typing
// replaces it; hint takes the place of the field's own and of its
// placeholder. An empty hint asks for the value again.
func (f *Form) KeepSaved(key, hint string) {
	r := f.byKey[key]
	if r == nil {
		return
	}
	r.kept = hint
	if hint == "" {
		hint = r.Input.Field.Placeholder
	}
	r.Input.SetPlaceHolder(hint)
	f.update()
}

// Kept reports whether the field key is empty and keeps its saved value.
func (f *Form) Kept(key string) bool {
	r := f.byKey[key]
	return r != nil && r.kept != "" && r.Input.Value() == ""
}

// SetNote shows a fact under the field key, in place of its hint ("" hides it).
func (f *Form) SetNote(key, note string) {
	if r := f.byKey[key]; r != nil {
		r.setNote(note)
	}
}

// ShowError puts msg at the field key, as Validate would.
func (f *Form) ShowError(key, msg string) {
	if r := f.byKey[key]; r != nil {
		r.edited = true
		r.setMessage(sentence(msg), widget.DangerImportance)
		f.openAdvancedFor(r)
	}
}

// Validate checks every shown field, puts each problem at its field and
// returns them; the Advanced section opens when one is in it.
func (f *Form) Validate() []connectors.FieldError {
	for _, r := range f.rows {
		r.edited = true
	}
	f.update()
	var errs []connectors.FieldError
	for _, e := range f.Info.Validate(f.Values()) {
		if !f.Kept(e.Key) {
			errs = append(errs, e)
		}
	}
	for _, e := range errs {
		f.openAdvancedFor(f.byKey[e.Key])
	}
	return errs
}

// Normalize tidies each shown value up (a pasted full address, for
// instance), shows what changed at the field and returns the notes.
func (f *Form) Normalize() []string {
	var notes []string
	for _, r := range f.rows {
		if n := f.normalize(r); n != "" {
			notes = append(notes, r.Input.Field.Label+": "+n)
		}
	}
	return notes
}

func (f *Form) normalize(r *Row) string {
	v := r.Input.Value()
	n, note := r.Input.Field.Tidy(f.AllValues())
	if n != v {
		r.Input.SetValue(n)
	}
	if note != "" {
		r.setNote(sentence(note))
	}
	return note
}

// FocusFirstError focuses the first field with a message shown.
func (f *Form) FocusFirstError(c fyne.Canvas) {
	for _, r := range f.rows {
		if r.Visible() && r.Message.Visible() && r.Message.Importance == widget.DangerImportance {
			if fo := r.Input.Focusable(); fo != nil && c != nil {
				c.Focus(fo)
			}
			return
		}
	}
}

func (f *Form) openAdvancedFor(r *Row) {
	if f.Advanced != nil && r != nil && r.Input.Field.Advanced {
		f.Advanced.Open(0)
	}
}

// changed: the user typed or chose; conditions and messages follow at once.
func (f *Form) changed(r *Row) {
	r.edited = true
	r.setNote("") // a note about the previous value no longer holds
	f.update()
	if f.OnChanged != nil {
		f.OnChanged()
	}
}

// left: leaving a field tidies its value up. Leaving a field the user never
// edited says nothing: "required" waits for an edit or for Validate.
func (f *Form) left(r *Row) {
	if f.normalize(r) != "" && f.OnChanged != nil {
		f.OnChanged()
	}
	f.update()
}

// update applies the visible-when and required-when conditions and
// refreshes each message.
func (f *Form) update() {
	values := f.AllValues()
	for _, r := range f.rows {
		field := r.Input.Field
		if field.VisibleIn(values) {
			r.Box.Show()
		} else {
			r.Box.Hide()
		}
		label := field.Label
		if field.RequiredIn(values) {
			label += " (required)"
		}
		if r.Label.Text != label {
			r.Label.SetText(label)
		}
		if r.kept != "" {
			setText(r.Hint, r.kept)
		} else {
			setText(r.Hint, hint(field, values))
		}
		f.message(r, values)
	}
}

func (f *Form) message(r *Row, values connectors.Values) {
	field := r.Input.Field
	msg := field.Check(values)
	if msg != "" && values[field.Key] == "" && (!r.edited || r.kept != "") {
		msg = "" // say "required" once the user has edited the field, not before
	}
	if msg != "" {
		r.setMessage(sentence(msg), widget.DangerImportance)
		return
	}
	if w := field.Warning(values); w != "" {
		r.setMessage(sentence(w), widget.WarningImportance)
		return
	}
	r.setMessage("", widget.DangerImportance)
}

// hint is the first sentence of the chosen option's Help when it has one
// (the hint follows the choice), else of the field's.
func hint(field connectors.Field, values connectors.Values) string {
	v := values[field.Key]
	if v == "" {
		v = field.Default
	}
	for _, c := range field.Choices {
		if c.Value == v && c.Help != "" {
			return connectors.Field{Help: c.Help}.Hint()
		}
	}
	return field.Hint()
}

// setText changes a label's text; Row.arrange decides what is shown. A
// hidden label keeps no old text, which would keep its line tall.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// sentence capitalises the first letter: messages are written to follow a label.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
