package app

// result.go: the outcome of a test in the pane, in words a shop owner
// knows: the headline and any warnings first, what to do next, what answered
// and what the credentials may do; the names the API uses (ACL resource IDs,
// raw server values) and the requests made wait under "Technical details"
// (secrets already masked by the client).

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
)

// ResultPanel shows the last test's result under the form.
type ResultPanel struct {
	pane *Pane
	// noun is what was tested: "connection" or "agent" (which sends no HTTP request).
	noun          string
	box           *fyne.Container
	headlineLabel *widget.Label
	// warnings holds one label per warning, right under the headline; nil
	// without warnings.
	warnings *fyne.Container
	body     *widget.Label // connectors.Describe: message, what to do, code
	// facts are the server details, labelled in words ("Requests left this hour").
	facts   *fyne.Container
	details *widget.Accordion
	// Offered actions, right under the message; nil when they do not apply
	// to the result shown. actionsBox lays them out, wrapping when narrow.
	saveAnywayButton, sendAnywayButton, useLocationButton *widget.Button
	trustCertificateButton                                *widget.Button
	actionsBox                                            *fyne.Container
	Result                                                *connectors.Result
}

func newResultPanel(p *Pane) *ResultPanel {
	rp := &ResultPanel{pane: p, noun: p.desc.noun, box: container.NewVBox()}
	rp.box.Hide()
	return rp
}

func (rp *ResultPanel) clear() {
	rp.box.Objects = nil
	rp.saveAnywayButton, rp.sendAnywayButton, rp.useLocationButton, rp.trustCertificateButton, rp.Result = nil, nil, nil, nil, nil
	rp.warnings, rp.actionsBox, rp.facts = nil, nil, nil
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
	now := time.Now()
	objs := []fyne.CanvasObject{widget.NewSeparator(), rp.headline(r)}
	if len(r.Warnings) > 0 {
		rp.warnings = container.NewVBox()
		for _, w := range r.Warnings {
			rp.warnings.Add(container.NewBorder(nil, nil, warningIcon(), nil, wrapped(w.Message, widget.WarningImportance)))
		}
		objs = append(objs, rp.warnings)
	}
	quiet := r
	quiet.Warnings = nil // shown above, each on its own line
	rp.body = wrapped(connectors.Describe(quiet), widget.MediumImportance)
	objs = append(objs, rp.body)
	if actions := rp.actions(r, onSave); len(actions) > 0 {
		rp.actionsBox = container.New(layout.NewRowWrapLayout(), actions...)
		objs = append(objs, rp.actionsBox)
	}
	rp.facts = container.New(layout.NewFormLayout(), facts(r, now, rp.noun != "agent")...)
	objs = append(objs, rp.facts)

	var accordion []*widget.AccordionItem
	if len(r.Permissions) > 0 {
		item := widget.NewAccordionItem(fmt.Sprintf("Permissions (%d resources)", len(r.Permissions)), permissionsTable(r.Permissions))
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
	if rp.noun != "agent" {
		details := technicalDetails(r)
		details.TextStyle = fyne.TextStyle{Monospace: true}
		accordion = append(accordion, widget.NewAccordionItem("Technical details", details))
	}
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

// headline says how the test went; a pass with warnings says so in the
// warning colour, never as a plain green pass.
func (rp *ResultPanel) headline(r connectors.Result) fyne.CanvasObject {
	text, imp := "The "+rp.noun+" works", widget.SuccessImportance
	icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	switch {
	case r.OK && len(r.Warnings) > 0:
		text, imp = "The "+rp.noun+" works, with "+warningCount(len(r.Warnings)), widget.WarningImportance
		icon = warningIcon()
	case r.Code == connectors.CodeCanceled:
		text, imp = "The test was cancelled", widget.WarningImportance
		icon = warningIcon()
	case !r.OK:
		text, imp = "The test failed", widget.DangerImportance
		icon = widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	}
	rp.headlineLabel = widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	rp.headlineLabel.Importance = imp
	return container.NewHBox(icon, rp.headlineLabel)
}

func warningIcon() *widget.Icon {
	return widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
}

// actions are the buttons the result offers, next to the message that
// explains them.
func (rp *ResultPanel) actions(r connectors.Result, onSave bool) []fyne.CanvasObject {
	p := rp.pane
	var actions []fyne.CanvasObject
	if r.Code == connectors.CodeMoved && r.Location != "" && r.LocationField != "" {
		if f, ok := p.Info.Field(r.LocationField); ok {
			loc, key := r.Location, r.LocationField
			b := p.actionButton("Use the new address in "+f.Label, func() {
				p.Form.Fill(connectors.Values{key: loc})
				p.say(f.Label+" now reads "+loc+". Test again to check it.", widget.MediumImportance)
			})
			rp.useLocationButton = &b.Button
			actions = append(actions, b)
		}
	}
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

// facts are the server details as label/value pairs for a form layout;
// requests counts the HTTP requests made (an agent's test makes none).
func facts(r connectors.Result, now time.Time, requests bool) []fyne.CanvasObject {
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
	fact("Took", tookWords(r.Duration))
	if requests {
		fact("Requests made", fmt.Sprint(r.Requests))
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
