package app

// result.go: the outcome of a test in the pane: what answered and what the
// credentials may do, or what went wrong and what to do, with the requests
// made under "Technical details" (secrets already masked by the client).

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// ResultPanel shows the last test's result under the form.
type ResultPanel struct {
	pane     *Pane
	Box      *fyne.Container
	Headline *widget.Label
	Body     *widget.Label // connectors.Describe: message, what to do, code
	Details  *widget.Accordion
	// Offered actions; nil when they do not apply to the result shown.
	SaveAnywayButton, SendAnywayButton, UseLocationButton *widget.Button
	Result                                                *connectors.Result
}

func newResultPanel(p *Pane) *ResultPanel {
	rp := &ResultPanel{pane: p, Box: container.NewVBox()}
	rp.Box.Hide()
	return rp
}

func (rp *ResultPanel) clear() {
	rp.Box.Objects = nil
	rp.SaveAnywayButton, rp.SendAnywayButton, rp.UseLocationButton, rp.Result = nil, nil, nil, nil
	rp.Box.Hide()
}

func (rp *ResultPanel) disableActions() {
	for _, b := range []*widget.Button{rp.SaveAnywayButton, rp.SendAnywayButton, rp.UseLocationButton} {
		if b != nil {
			b.Disable()
		}
	}
}

// savedAnyway: after a save the offer to save without verifying is spent.
func (rp *ResultPanel) savedAnyway() {
	if rp.SaveAnywayButton != nil {
		rp.SaveAnywayButton.Hide()
	}
}

func wrapped(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}

// show replaces the panel with r; onSave offers "Save without verifying"
// when the test that failed was a Save.
func (rp *ResultPanel) show(r connectors.Result, onSave bool) {
	rp.clear()
	rp.Result = &r
	p := rp.pane
	var objs []fyne.CanvasObject
	if r.OK {
		rp.Headline = widget.NewLabelWithStyle("The connection works", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		rp.Headline.Importance = widget.SuccessImportance
	} else {
		head := "The test failed"
		if r.Code == connectors.CodeCanceled {
			head = "The test was cancelled"
		}
		rp.Headline = widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		rp.Headline.Importance = widget.DangerImportance
	}
	icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	if !r.OK {
		icon = widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	}
	objs = append(objs, widget.NewSeparator(), container.NewHBox(icon, rp.Headline))
	rp.Body = wrapped(connectors.Describe(r), widget.MediumImportance)
	objs = append(objs, rp.Body)

	var facts []fyne.CanvasObject
	fact := func(label, value string) {
		if value != "" {
			facts = append(facts, widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), wrapped(value, widget.MediumImportance))
		}
	}
	fact("Platform", r.Server.Platform)
	fact("Version", r.Server.Version)
	fact("Shop name", r.Server.ShopName)
	fact("API address", r.Server.URL)
	extra := make([]string, 0, len(r.Server.Extra))
	for k := range r.Server.Extra {
		extra = append(extra, k)
	}
	sort.Strings(extra)
	for _, k := range extra {
		fact(k, r.Server.Extra[k])
	}
	fact("Duration", r.Duration.Round(time.Millisecond).String())
	fact("Requests", fmt.Sprint(r.Requests))
	if !r.OK {
		fact("Code", string(r.Code))
	}
	objs = append(objs, container.New(layout.NewFormLayout(), facts...))

	var accordion []*widget.AccordionItem
	if len(r.Permissions) > 0 {
		cells := []fyne.CanvasObject{
			widget.NewLabelWithStyle("Resource", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabelWithStyle("Allowed", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		}
		for _, perm := range r.Permissions {
			allowed := strings.Join(perm.Methods, ", ")
			if perm.Privilege != "" {
				allowed = strings.TrimSpace(perm.Privilege + " " + allowed)
			}
			cells = append(cells, widget.NewLabel(perm.Resource), wrapped(allowed, widget.MediumImportance))
		}
		item := widget.NewAccordionItem(fmt.Sprintf("Permissions (%d resources)", len(r.Permissions)), container.NewGridWithColumns(2, cells...))
		item.Open = len(r.Permissions) <= 12
		accordion = append(accordion, item)
	}
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
		accordion = append(accordion, widget.NewAccordionItem("Checks", wrapped(strings.Join(lines, "\n"), widget.MediumImportance)))
	}
	details := technicalDetails(r)
	details.TextStyle = fyne.TextStyle{Monospace: true}
	accordion = append(accordion, widget.NewAccordionItem("Technical details", details))
	rp.Details = widget.NewAccordion(accordion...)
	rp.Details.MultiOpen = true
	for i, it := range accordion {
		if it.Open {
			rp.Details.Open(i)
		}
	}
	objs = append(objs, rp.Details)

	var actions []fyne.CanvasObject
	if r.Code == connectors.CodeMoved && r.Location != "" && r.LocationField != "" {
		if f, ok := p.Info.Field(r.LocationField); ok {
			loc, key := r.Location, r.LocationField
			rp.UseLocationButton = widget.NewButton("Use the new address in "+f.Label, func() {
				p.Form.Fill(connectors.Values{key: loc})
				p.say(f.Label+" now reads "+loc+". Test again to check it.", widget.MediumImportance)
			})
			actions = append(actions, rp.UseLocationButton)
		}
	}
	if r.Forceable {
		rp.SendAnywayButton = widget.NewButton("Send anyway", func() { p.start(p.last, true) })
		rp.SendAnywayButton.Importance = widget.WarningImportance
		actions = append(actions, rp.SendAnywayButton)
	}
	if onSave && !r.OK {
		rp.SaveAnywayButton = widget.NewButton("Save without verifying", p.SaveWithoutVerifying)
		rp.SaveAnywayButton.Importance = widget.WarningImportance
		actions = append(actions, rp.SaveAnywayButton)
	}
	if len(actions) > 0 {
		objs = append(objs, container.NewHBox(actions...))
	}
	rp.Box.Objects = objs
	rp.Box.Show()
	rp.Box.Refresh()
}

// technicalDetails lists the requests made, statuses and short excerpts.
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
	l := widget.NewLabel(b.String())
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	return l
}
