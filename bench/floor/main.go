// Command floor is the toolkit's floor for Storelink's benchmarks: a bare
// Fyne window with a two-field form, built with the same Fyne version and
// flags (make bench builds it), so start-up time, memory and binary size are
// measured against what Fyne itself costs.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.storelink.floor")
	w := a.NewWindow("Floor")
	form := widget.NewForm(
		widget.NewFormItem("Name", widget.NewEntry()),
		widget.NewFormItem("Store URL", widget.NewEntry()),
	)
	form.OnSubmit = func() {}
	w.SetContent(form)
	w.Resize(fyne.NewSize(900, 600))
	w.ShowAndRun()
}
