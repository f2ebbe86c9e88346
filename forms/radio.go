package forms

// radio.go: the radio group for 2-3 fixed choices. Fyne's RadioGroup keeps
// its options' key events to itself, so Esc pressed after clicking "Cloud"
// did nothing; these options pass Esc on to the screen like every other
// input, and Tab still stops at each option.

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// radioGroup shows its options side by side; one at most is selected.
type radioGroup struct {
	widget.BaseWidget
	Options  []string
	Selected string
	// Required: tapping the selected option does not clear it.
	Required  bool
	OnChanged func(string)

	env      *Env
	focused  func() // an option gained the focus
	disabled bool
	items    []*radioOption
}

var (
	_ fyne.Disableable = (*radioGroup)(nil)
	_ fyne.Focusable   = (*radioOption)(nil)
	_ fyne.Tappable    = (*radioOption)(nil)
)

func newRadioGroup(options []string, env *Env, changed func(string)) *radioGroup {
	g := &radioGroup{Options: options, OnChanged: changed, env: env}
	for _, o := range options {
		opt := &radioOption{group: g, label: o}
		opt.ExtendBaseWidget(opt)
		g.items = append(g.items, opt)
	}
	g.ExtendBaseWidget(g)
	return g
}

func (g *radioGroup) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(g.items))
	for i, it := range g.items {
		objs[i] = it
	}
	return widget.NewSimpleRenderer(container.NewHBox(objs...))
}

// SetSelected selects the option labelled label ("" clears) and tells
// OnChanged when that changes the selection.
func (g *radioGroup) SetSelected(label string) {
	if g.Selected == label {
		return
	}
	g.Selected = label
	for _, it := range g.items {
		it.Refresh()
	}
	if g.OnChanged != nil {
		g.OnChanged(label)
	}
}

func (g *radioGroup) Enable()        { g.setDisabled(false) }
func (g *radioGroup) Disable()       { g.setDisabled(true) }
func (g *radioGroup) Disabled() bool { return g.disabled }

func (g *radioGroup) setDisabled(off bool) {
	g.disabled = off
	for _, it := range g.items {
		it.Refresh()
	}
}

// Option returns the option widget labelled label, for tests.
func (g *radioGroup) Option(label string) *radioOption {
	for _, it := range g.items {
		if it.label == label {
			return it
		}
	}
	return nil
}

func (g *radioGroup) choose(label string) {
	if g.disabled {
		return
	}
	if g.Selected == label {
		if !g.Required {
			g.SetSelected("")
		}
		return
	}
	g.SetSelected(label)
}

// radioOption is one option: a ring with a dot when selected, and its label.
type radioOption struct {
	widget.BaseWidget
	group            *radioGroup
	label            string
	focused, hovered bool
}

func (o *radioOption) Tapped(*fyne.PointEvent) {
	if o.group.disabled {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil && !fyne.CurrentDevice().IsMobile() {
		c.Focus(o)
	}
	o.group.choose(o.label)
}

func (o *radioOption) FocusGained() {
	o.focused = true
	o.Refresh()
	if o.group.focused != nil {
		o.group.focused()
	}
}

func (o *radioOption) FocusLost() { o.focused = false; o.Refresh() }

func (o *radioOption) TypedRune(r rune) {
	if r == ' ' {
		o.group.choose(o.label)
	}
}

func (o *radioOption) TypedKey(k *fyne.KeyEvent) {
	o.group.env.escape(k)
}

func (o *radioOption) MouseIn(*desktop.MouseEvent)    { o.hovered = !o.group.disabled; o.Refresh() }
func (o *radioOption) MouseMoved(*desktop.MouseEvent) {}
func (o *radioOption) MouseOut()                      { o.hovered = false; o.Refresh() }

func (o *radioOption) CreateRenderer() fyne.WidgetRenderer {
	r := &radioRenderer{o: o, halo: &canvas.Circle{}, dot: &canvas.Image{}, ring: &canvas.Image{},
		text: &canvas.Text{Text: o.label}}
	r.update()
	return r
}

type radioRenderer struct {
	o         *radioOption
	halo      *canvas.Circle // focus or hover
	dot, ring *canvas.Image
	text      *canvas.Text
}

func (r *radioRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.halo, r.dot, r.ring, r.text}
}

func (r *radioRenderer) Destroy() {}

func (r *radioRenderer) MinSize() fyne.Size {
	th := r.o.Theme()
	inner := th.Size(theme.SizeNameInnerPadding)
	return r.text.MinSize().AddWidthHeight(2*inner+th.Size(theme.SizeNameInlineIcon)+th.Size(theme.SizeNamePadding), 2*inner)
}

func (r *radioRenderer) Layout(size fyne.Size) {
	th := r.o.Theme()
	inner, border := th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNameInputBorder)
	icon := th.Size(theme.SizeNameInlineIcon)
	halo := fyne.NewSquareSize(icon + inner)
	r.halo.Resize(halo)
	r.halo.Move(fyne.NewPos(border, (size.Height-halo.Height)/2))
	at := fyne.NewPos(inner/2+border, (size.Height-icon)/2)
	for _, img := range []*canvas.Image{r.dot, r.ring} {
		img.Resize(fyne.NewSquareSize(icon))
		img.Move(at)
	}
	r.text.Resize(size)
	r.text.Move(fyne.NewPos(halo.Width+th.Size(theme.SizeNamePadding), 0))
}

func (r *radioRenderer) Refresh() {
	r.update()
	r.halo.Refresh()
	r.text.Refresh()
}

// update follows Fyne's own radio colours, so the look does not change.
func (r *radioRenderer) update() {
	th, v := r.o.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	selected, off := r.o.group.Selected == r.o.label, r.o.group.disabled
	r.text.TextSize = th.Size(theme.SizeNameText)
	r.text.Color = th.Color(theme.ColorNameForeground, v)
	ring := theme.NewThemedResource(th.Icon(theme.IconNameRadioButton))
	dot := theme.NewThemedResource(th.Icon(theme.IconNameRadioButtonFill))
	ring.ColorName, dot.ColorName = theme.ColorNameInputBorder, theme.ColorNameInputBackground
	if selected {
		ring.ColorName, dot.ColorName = theme.ColorNameForeground, theme.ColorNamePrimary
	}
	if off {
		r.text.Color = th.Color(theme.ColorNameDisabled, v)
		ring.ColorName, dot.ColorName = theme.ColorNameDisabled, theme.ColorNameBackground
		if selected {
			dot.ColorName = theme.ColorNameDisabled
		}
	}
	r.ring.Resource, r.dot.Resource = ring, dot
	r.ring.Refresh()
	r.dot.Refresh()
	switch {
	case off:
		r.halo.FillColor = color.Transparent
	case r.o.focused:
		r.halo.FillColor = th.Color(theme.ColorNameFocus, v)
	case r.o.hovered:
		r.halo.FillColor = th.Color(theme.ColorNameHover, v)
	default:
		r.halo.FillColor = color.Transparent
	}
}
