package app

// pane_layout.go: the pane's readable column and its scrolling: whatever
// gets the focus (Tab, Shift+Tab, a shortcut, the first field in error) and
// a new result's headline are brought into view.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	// ReadableWidth is the widest the pane's column grows: on a wide window
	// fields stay a readable length and the buttons stay next to them.
	ReadableWidth float32 = 720
	// paneMinScrollHeight keeps a few fields in view at the smallest window.
	paneMinScrollHeight float32 = 180
)

// readable centres obj in a column at most ReadableWidth wide.
func readable(obj fyne.CanvasObject) *fyne.Container {
	return container.New(readableLayout{}, obj)
}

// readableLayout lays its objects out at most ReadableWidth wide (never
// narrower than they need), centred, like libadwaita's AdwClamp.
type readableLayout struct{}

func (readableLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

func (l readableLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := fyne.Min(size.Width, fyne.Max(ReadableWidth, l.MinSize(objects).Width))
	for _, o := range objects {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

// reveal scrolls the pane just enough to show obj (its top, when it is
// taller than the view). Objects outside the scrolled content are left alone.
func (p *Pane) reveal(obj fyne.CanvasObject) {
	if p.scroll == nil {
		return // focus given while the pane is being built
	}
	p.settle()
	top, ok := positionIn(p.scroll.Content, obj)
	if !ok {
		return
	}
	pad := theme.Padding()
	view := p.scroll.Size().Height
	y := p.scroll.Offset.Y
	switch bottom := top.Y + obj.Size().Height; {
	case top.Y-pad < y:
		y = top.Y - pad
	case bottom+pad > y+view:
		y = fyne.Min(top.Y-pad, bottom+pad-view)
	default:
		return
	}
	p.scrollTo(y)
}

// focusFirstError focuses the first field in error and shows it, also
// when it had the focus already (Fyne then reports no focus change).
func (p *Pane) focusFirstError() {
	c := p.Window.Canvas()
	p.Form.FocusFirstError(c)
	for _, r := range p.Form.Rows() {
		if fo := r.Input.Focusable(); fo != nil && fo == c.Focused() {
			p.reveal(r.Box)
			return
		}
	}
}

// revealTop scrolls so obj starts at the top of the view, as far as the
// content allows: a new result shows its headline and warnings first.
func (p *Pane) revealTop(obj fyne.CanvasObject) {
	p.settle()
	if top, ok := positionIn(p.scroll.Content, obj); ok {
		p.scrollTo(top.Y)
	}
}

func (p *Pane) scrollTo(y float32) {
	limit := p.scroll.Content.MinSize().Height - p.scroll.Size().Height
	y = fyne.Max(0, fyne.Min(y, limit))
	p.scroll.ScrollToOffset(fyne.NewPos(p.scroll.Offset.X, y))
}

// settle lays the scrolled content out for its current state before it is
// measured: a message or result that just appeared has no place yet, and
// wrapped text knows its height only once it knows its width (hence twice).
func (p *Pane) settle() {
	for range 2 {
		p.scroll.Refresh()
	}
}

// positionIn is where obj sits inside root, through containers and the
// open items of accordions (the Advanced section, the result's details).
func positionIn(root, obj fyne.CanvasObject) (fyne.Position, bool) {
	if root == obj {
		return fyne.Position{}, true
	}
	var children []fyne.CanvasObject
	switch o := root.(type) {
	case *fyne.Container:
		children = o.Objects
	case *widget.Accordion:
		for _, it := range o.Items {
			if it.Open && it.Detail != nil {
				children = append(children, it.Detail)
			}
		}
	}
	for _, c := range children {
		if c == nil || !c.Visible() {
			continue
		}
		if pos, ok := positionIn(c, obj); ok {
			return c.Position().Add(pos), true
		}
	}
	return fyne.Position{}, false
}
