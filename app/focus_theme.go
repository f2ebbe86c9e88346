package app

// focus_theme.go: a focus highlight that shows on every button. Fyne's
// focus colour is the primary blue, half transparent, blended over the
// button: over the blue (high importance) Save button it vanishes, so the
// keyboard user cannot tell Save has the focus. Here the focus colour is a
// shade that contrasts with the primary colour in either variant: darker
// in the light variant, lighter in the dark one.

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// focusTheme is base with a focus colour visible over every button.
type focusTheme struct{ fyne.Theme }

func (t focusTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n != theme.ColorNameFocus {
		return t.Theme.Color(n, v)
	}
	if v == theme.VariantDark {
		return color.NRGBA{R: 0xe8, G: 0xf0, B: 0xff, A: 0x70}
	}
	return color.NRGBA{R: 0x00, G: 0x14, B: 0x40, A: 0x70}
}

// useFocusRing makes the app's theme draw a visible focus highlight.
func useFocusRing(a fyne.App) {
	s := a.Settings()
	if _, done := s.Theme().(focusTheme); done {
		return
	}
	s.SetTheme(focusTheme{s.Theme()})
}
