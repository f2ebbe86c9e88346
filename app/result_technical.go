package app

// result_technical.go: the closed "Technical details" of a result, for a
// developer or support: the code and the connector's details (headers, ACL
// IDs), the time taken, the checks, and each request with its answer.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// technicalView is the Technical details item's content.
func (rp *ResultPanel) technicalView(r connectors.Result, pres connectors.Presentation) fyne.CanvasObject {
	var cells []fyne.CanvasObject
	fact := func(label, value string) {
		if value == "" {
			return
		}
		v := wrapped(value, widget.MediumImportance)
		v.Wrapping, v.Selectable, v.TextStyle = fyne.TextWrapBreak, true, fyne.TextStyle{Monospace: true}
		cells = append(cells, widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), v)
	}
	for _, d := range pres.Technical {
		fact(d.Label, d.Value)
	}
	fact("Took", tookWords(r.Duration))
	if rp.noun != "agent" {
		fact("Requests made", fmt.Sprint(r.Requests))
	}
	box := container.NewVBox(container.New(layout.NewFormLayout(), cells...))
	if len(r.Checks) > 0 {
		var lines []string
		for _, c := range r.Checks {
			mark := "✓"
			if !c.OK {
				mark = "✗"
			}
			line := mark + " " + c.Name
			if c.Detail != "" {
				line += ": " + c.Detail
			}
			lines = append(lines, line)
		}
		box.Add(widget.NewLabelWithStyle("Checks", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(wrapped(strings.Join(lines, "\n"), widget.MediumImportance))
	}
	if rp.noun != "agent" {
		box.Add(widget.NewLabelWithStyle("Requests", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		details := technicalDetails(r)
		details.TextStyle = fyne.TextStyle{Monospace: true}
		box.Add(details)
	}
	return box
}

// technicalDetails lists the requests made, statuses and short excerpts,
// then the permissions and server details as the API names them.
func technicalDetails(r connectors.Result) *widget.Label {
	var b strings.Builder
	if len(r.Exchanges) == 0 {
		b.WriteString("No HTTP request was made.")
	}
	for i, x := range r.Exchanges {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(x.Request)
		switch {
		case x.Error != "":
			b.WriteString("\n  -> " + x.Error)
		case x.Status != "":
			b.WriteString("\n  -> " + x.Status)
		}
		if x.Took > 0 {
			b.WriteString(fmt.Sprintf(" (%s)", x.Took.Round(time.Millisecond)))
		}
		if ex := strings.TrimSpace(x.Excerpt); ex != "" {
			if r := []rune(ex); len(r) > 600 {
				ex = string(r[:600]) + "..."
			}
			b.WriteString("\n  " + strings.ReplaceAll(ex, "\n", "\n  "))
		}
	}
	if len(r.Permissions) > 0 {
		b.WriteString("\n\nPermissions as the API names them:")
		for _, p := range r.Permissions {
			line := "\n  " + p.Resource
			if allowed := strings.TrimSpace(p.Privilege + " " + strings.Join(p.Methods, " ")); allowed != "" {
				line += ": " + allowed
			}
			if p.Title != "" {
				line += " (" + p.Title + ")"
			}
			b.WriteString(line)
		}
	}
	if len(r.Server.Extra) > 0 {
		keys := make([]string, 0, len(r.Server.Extra))
		for k := range r.Server.Extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("\n\nServer details as sent:")
		for _, k := range keys {
			b.WriteString("\n  " + k + " = " + r.Server.Extra[k])
		}
	}
	l := widget.NewLabel(b.String())
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	return l
}
