package app

// focus_theme_test.go: Fyne's own focus differs from the blue by 0.007 in
// brightness; the window's must show.

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// over is c drawn over bg, as a button blends its focus colour.
func over(c, bg color.Color) [3]float64 {
	cr, cg, cb, ca := c.RGBA()
	br, bgg, bb, _ := bg.RGBA()
	a := float64(ca) / 0xffff
	mix := func(f, b uint32) float64 { return float64(f)/0xffff + (1-a)*float64(b)/0xffff }
	return [3]float64{mix(cr, br), mix(cg, bgg), mix(cb, bb)}
}

func luminance(c [3]float64) float64 { return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2] }

func TestTheFocusShowsOnTheBlueButton(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	if _, ok := e.ui.App.Settings().Theme().(focusTheme); !ok {
		t.Fatal("the window does not use the focus theme")
	}
	brightnessGap(t, focusTheme{theme.DefaultTheme()})
}

// brightnessGap fails when a focused button looks like an unfocused one.
func brightnessGap(t *testing.T, th fyne.Theme) {
	t.Helper()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, bgName := range []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameButton} {
			bg := th.Color(bgName, v)
			r, g, b, _ := bg.RGBA()
			plain := [3]float64{float64(r) / 0xffff, float64(g) / 0xffff, float64(b) / 0xffff}
			focused := over(th.Color(theme.ColorNameFocus, v), bg)
			if d := luminance(focused) - luminance(plain); d < 0.08 && d > -0.08 {
				t.Errorf("variant %v: a focused %s button differs from an unfocused one by %.3f in brightness, too little to see", v, bgName, d)
			}
		}
	}
}
