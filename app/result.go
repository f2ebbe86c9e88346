package app

// result.go: the outcome of a test in the pane, read in ten seconds: a
// one-line headline and any warnings first, the reason in a sentence or two,
// numbered steps (result_steps.go), what answered and what the credentials
// may do; codes, the names the API uses (ACL resource IDs, raw server
// values), timings and the requests made wait under a closed "Technical
// details" (result_technical.go; secrets already masked by the client).

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
)

// ResultPanel shows the last test's result under the form, read top down:
// the headline, any warnings, the reason, what to do (numbered, with Copy),
// the fixes and other offers, what answered, then the permissions and the
// collapsed Technical details.
type ResultPanel struct {
	pane *Pane
	// noun is what was tested: "connection" or "agent" (which sends no HTTP request).
	noun          string
	box           *fyne.Container
	headlineLabel *widget.Label
	// warnings holds one label per warning, right under the headline; nil
	// without warnings.
	warnings *fyne.Container
	body     *widget.Label // the reason in a sentence or two (a pass: its message)
	// steps are the numbered things to do; nil when there are none.
	steps *fyne.Container
	// copyButtons sit beside the steps' texts to paste, in order.
	copyButtons []*widget.Button
	// facts: what answered, labelled in words ("Requests left this hour").
	facts   *fyne.Container
	details *widget.Accordion
	// technical is the "Technical details" item, closed until opened.
	technical *widget.AccordionItem
	// Offered actions, right under the steps; nil when they do not apply
	// to the result shown. actionsBox lays them out, wrapping when narrow.
	saveAnywayButton, sendAnywayButton, useLocationButton *widget.Button
	trustCertificateButton                                *widget.Button
	fixButtons                                            []*widget.Button
	actionsBox                                            *fyne.Container
	Result                                                *connectors.Result
	// Presentation is what the panel shows of Result (connectors.Present).
	Presentation connectors.Presentation
}

func newResultPanel(p *Pane) *ResultPanel {
	rp := &ResultPanel{pane: p, noun: p.desc.noun, box: container.NewVBox()}
	rp.box.Hide()
	return rp
}

func (rp *ResultPanel) clear() {
	rp.box.Objects = nil
	rp.saveAnywayButton, rp.sendAnywayButton, rp.useLocationButton, rp.trustCertificateButton, rp.Result = nil, nil, nil, nil, nil
	rp.warnings, rp.actionsBox, rp.facts, rp.steps, rp.technical = nil, nil, nil, nil, nil
	rp.copyButtons, rp.fixButtons, rp.Presentation = nil, nil, connectors.Presentation{}
	rp.box.Hide()
}

// disableActions: while a test or save runs, nothing the result offers may start another.
func (rp *ResultPanel) disableActions() {
	if rp.actionsBox == nil {
		return
	}
	for _, o := range rp.actionsBox.Objects {
		if d, ok := o.(fyne.Disableable); ok {
			d.Disable()
		}
	}
}

// savedAnyway: after a save the offer to save without verifying is spent.
func (rp *ResultPanel) savedAnyway() {
	if rp.saveAnywayButton != nil {
		rp.saveAnywayButton.Hide()
	}
}

func wrapped(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}

// warningCount is "1 warning", "2 warnings".
func warningCount(n int) string {
	if n == 1 {
		return "1 warning"
	}
	return fmt.Sprintf("%d warnings", n)
}

// show replaces the panel with r; onSave offers "Save without verifying"
// when the test that failed was a Save.
func (rp *ResultPanel) show(r connectors.Result, onSave bool) {
	rp.clear()
	rp.Result = &r
	rp.Presentation = connectors.Present(r)
	pres := rp.Presentation
	now := time.Now()
	objs := []fyne.CanvasObject{widget.NewSeparator(), rp.headline(r)}
	if len(r.Warnings) > 0 {
		rp.warnings = container.NewVBox()
		for _, w := range r.Warnings {
			rp.warnings.Add(container.NewBorder(nil, nil, warningIcon(), nil, wrapped(w.Message, widget.WarningImportance)))
		}
		objs = append(objs, rp.warnings)
	}
	rp.body = wrapped(rp.reason(r), widget.MediumImportance)
	if rp.body.Text == "" {
		rp.body.Hide()
	}
	objs = append(objs, rp.body)
	if len(pres.Steps) > 0 {
		rp.steps = rp.stepsView(pres.Steps)
		objs = append(objs, rp.steps)
	}
	if actions := rp.actions(r, onSave); len(actions) > 0 {
		rp.actionsBox = container.New(layout.NewRowWrapLayout(), actions...)
		objs = append(objs, rp.actionsBox)
	}
	rp.facts = container.New(layout.NewFormLayout(), facts(r, pres, now)...)
	objs = append(objs, rp.facts)

	var accordion []*widget.AccordionItem
	if len(r.Permissions) > 0 {
		item := widget.NewAccordionItem(fmt.Sprintf("Permissions (%d resources)", len(r.Permissions)), permissionsTable(r.Permissions))
		item.Open = len(r.Permissions) <= 12
		accordion = append(accordion, item)
	}
	rp.technical = widget.NewAccordionItem("Technical details", rp.technicalView(r, pres))
	accordion = append(accordion, rp.technical)
	rp.details = widget.NewAccordion(accordion...)
	rp.details.MultiOpen = true
	for i, it := range accordion {
		if it.Open {
			rp.details.Open(i)
		}
	}
	objs = append(objs, rp.details)

	rp.box.Objects = objs
	rp.box.Show()
	rp.box.Refresh()
}

// reason is the line under the headline: a pass's own message (it names
// the shop), a failure's reason.
func (rp *ResultPanel) reason(r connectors.Result) string {
	if r.OK {
		return strings.TrimSpace(r.Message)
	}
	return rp.Presentation.Reason
}

// headlineText is the one line that says how the test went; a pass with
// warnings says so, never as a plain pass.
func (rp *ResultPanel) headlineText(r connectors.Result) string {
	switch {
	case r.OK && len(r.Warnings) > 0:
		return connectors.Text("Passed with {warnings}", "warnings", warningCount(len(r.Warnings)))
	case r.OK:
		return connectors.Text("The {noun} works", "noun", rp.noun)
	case r.Code == connectors.CodeCanceled:
		return "The test was cancelled"
	}
	if h := rp.Presentation.Headline; h != "" {
		return h
	}
	return "The test failed"
}

// Headline is the one line of the result shown, which the footer repeats.
func (rp *ResultPanel) Headline() string {
	if rp.headlineLabel == nil || rp.Result == nil {
		return ""
	}
	return rp.headlineLabel.Text
}

// headline shows headlineText in the result's colour, with its icon.
func (rp *ResultPanel) headline(r connectors.Result) fyne.CanvasObject {
	imp := widget.SuccessImportance
	icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	switch {
	case r.OK && len(r.Warnings) > 0, r.Code == connectors.CodeCanceled:
		imp, icon = widget.WarningImportance, warningIcon()
	case !r.OK:
		imp = widget.DangerImportance
		icon = widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	}
	rp.headlineLabel = widget.NewLabelWithStyle(rp.headlineText(r), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	rp.headlineLabel.Wrapping = fyne.TextWrapWord
	rp.headlineLabel.Importance = imp
	return container.NewBorder(nil, nil, icon, nil, rp.headlineLabel)
}

func warningIcon() *widget.Icon {
	return widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
}

// actions are the buttons the result offers, under the steps that explain
// them: the one-click fixes first.
func (rp *ResultPanel) actions(r connectors.Result, onSave bool) []fyne.CanvasObject {
	p := rp.pane
	actions := rp.fixes(r)
	if r.Forceable {
		b := p.actionButton("Send anyway", func() { p.start(p.last, true) })
		b.Importance = widget.WarningImportance
		rp.sendAnywayButton = &b.Button
		actions = append(actions, b)
	}
	if r.Code == connectors.CodeTLS && r.Certificate != nil {
		if _, ok := p.Info.Field(connectors.FieldTLSFingerprint); ok {
			cert := *r.Certificate
			b := p.actionButton("Trust this certificate…", func() { p.AskTrustCertificate(cert) })
			rp.trustCertificateButton = &b.Button
			actions = append(actions, b)
		}
	}
	if onSave && !r.OK && !p.desc.asked(r) {
		b := p.actionButton("Save without verifying", p.SaveWithoutVerifying)
		b.Importance = widget.WarningImportance
		rp.saveAnywayButton = &b.Button
		actions = append(actions, b)
	}
	return actions
}

// revealButton is a button that asks to be scrolled into view when Tab
// reaches it.
type revealButton struct {
	widget.Button
	reveal func(fyne.CanvasObject)
}

func (b *revealButton) FocusGained() {
	b.Button.FocusGained()
	if b.reveal != nil {
		b.reveal(b)
	}
}

func (p *Pane) actionButton(label string, tapped func()) *revealButton {
	b := &revealButton{reveal: p.reveal}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// facts are what answered, as label/value pairs for a form layout: the
// server, its details in words, and the agent that carried the test.
func facts(r connectors.Result, pres connectors.Presentation, now time.Time) []fyne.CanvasObject {
	var cells []fyne.CanvasObject
	fact := func(label, value string) {
		if value != "" {
			cells = append(cells, widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), wrapped(value, widget.MediumImportance))
		}
	}
	fact("Platform", r.Server.Platform)
	fact("Version", r.Server.Version)
	fact("Shop name", r.Server.ShopName)
	fact("API address", r.Server.URL)
	for _, d := range ServerDetails(r.Server.Extra, now) {
		fact(d.Label, d.Value)
	}
	for _, d := range pres.Technical {
		if d.Label == engine.DetailAgent {
			fact("Through agent", d.Value)
		}
	}
	return cells
}

// Detail is one server detail in words.
type Detail struct{ Key, Label, Value string }

// serverDetail says how to put one Server.Extra key into words.
type serverDetail struct {
	key, label string
	value      func(v string, now time.Time) string // nil: the value as it is
}

// serverDetails lists every key a connector puts in Server.Extra, in the
// order they are shown.
var serverDetails = []serverDetail{
	{"store_code", "Store view code", nil},
	{"base_url", "Store address", nil},
	{"secure_base_url", "Secure store address", nil},
	{"locale", "Locale", nil},
	{"language", "Language", nil},
	{"currency", "Base currency", nil},
	{"display_currency", "Display currency", nil},
	{"timezone", "Time zone", nil},
	{"patch", "Partial updates", nil},
	{"rate_limit_hour", "Requests allowed per hour", nil},
	{"rate_limit_hour_remaining", "Requests left this hour", nil},
	{"rate_limit_day", "Requests allowed per day", nil},
	{"rate_limit_day_remaining", "Requests left today", nil},
	{"rate_limit_total_remaining", "Requests left in total", nil},
	{"retry_after", "Try again at", timeWords},
	{"safe_after", "Safe to try again at", timeWords},
}

// ServerDetails puts a result's Server.Extra into words: a label for every
// key (known ones in a fixed order, others after them by name) and times in
// the local time zone of now; a value the platform has words for in those words.
func ServerDetails(extra map[string]string, now time.Time) []Detail {
	var out []Detail
	known := map[string]bool{}
	words := connectors.Words()
	for _, d := range serverDetails {
		known[d.key] = true
		v, ok := extra[d.key]
		if !ok || v == "" {
			continue
		}
		if w, ok := words.Value(d.key, v); ok {
			v = w
		} else if d.value != nil {
			v = d.value(v, now)
		}
		out = append(out, Detail{d.key, d.label, v})
	}
	var rest []string
	for k, v := range extra {
		if !known[k] && v != "" {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		v, ok := words.Value(k, extra[k])
		if !ok {
			v = timeWords(v, now)
		}
		out = append(out, Detail{k, keyWords(k), v})
	}
	return out
}

// keyWords turns an unknown snake_case key into a label: "max_items" -> "Max items".
func keyWords(k string) string {
	s := strings.TrimSpace(strings.ReplaceAll(k, "_", " "))
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return k
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// timeWords shows an RFC 3339 time as a local clock time (with the day
// when it is not today) and how far off it is; other values stay as they are.
func timeWords(v string, now time.Time) string {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return v
	}
	return LocalTime(t, now)
}

// LocalTime is t on the clock of now's time zone: "14:05 (in 12 min)", or
// "Tue 3 Mar 09:00" on another day.
func LocalTime(t, now time.Time) string {
	t = t.In(now.Location())
	s := t.Format("15:04")
	ty, tm, td := t.Date()
	if ny, nm, nd := now.Date(); ty != ny || tm != nm || td != nd {
		s = t.Format("Mon 2 Jan 15:04")
	}
	if d := t.Sub(now); d > 0 {
		s += " (in " + roughly(d) + ")"
	}
	return s
}

// roughly is a wait in words: "40 s", "12 min", "2 h 5 min".
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int((d+time.Second-1)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int((d+time.Minute-1)/time.Minute))
	default:
		m := int((d + time.Minute - 1) / time.Minute)
		if m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		}
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
}

// tookWords: "350 ms", "2.4 s".
func tookWords(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// allowedWords says what a permission allows, in the platforms' own words
// (connectors.Info.Words).
func allowedWords(p connectors.Permission, words connectors.ResultWords) string {
	var parts []string
	if p.Privilege != "" {
		parts = append(parts, words.Privilege(p.Privilege))
	}
	for _, m := range p.Methods {
		parts = append(parts, words.Method(m))
	}
	return strings.Join(parts, ", ")
}

// permissionsTable shows each resource by its title (Magento's "Stores >
// Settings > All Stores") and what it allows; the IDs are in Technical details.
func permissionsTable(perms []connectors.Permission) fyne.CanvasObject {
	cells := []fyne.CanvasObject{
		widget.NewLabelWithStyle("Resource", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Allowed", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	}
	words := connectors.Words()
	for _, perm := range perms {
		name := perm.Resource
		if perm.Title != "" {
			name = perm.Title
		}
		cells = append(cells, wrapped(name, widget.MediumImportance), wrapped(allowedWords(perm, words), widget.MediumImportance))
	}
	return container.NewGridWithColumns(2, cells...)
}
