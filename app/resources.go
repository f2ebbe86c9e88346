package app

// resources.go: Resources > Agents, and the list of every other kind the
// engine has beyond connections (resourcesFor): the saved ones with what
// the kind shows beside the name and the status in words (status.go), a
// filter box and a sort, and Edit, Test and Delete on each; Add opens the
// kind's pane. Its rows, filter and sort are the connections table's
// (rows.go); what a kind adds comes from its descriptor.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
	namespkg "storelink/names"
	"storelink/vault"
)

// resourcesUI is what a kind's list needs of the window.
type resourcesUI interface {
	runner
	window() fyne.Window
	add(d *descriptor)
	edit(d *descriptor, name string)
	ShowConnections()
}

// resourcesEngine is what a kind's list needs of the engine beside the
// kind's own flow.
type resourcesEngine interface {
	changes
	Redact(s string) string
	List() ([]vault.Connection, error) // the saved connections, for an agent's users
}

// sortChoices are the list's orders, as the connections table's columns sort.
var sortChoices = []Column{ColumnName, ColumnStatus, ColumnLastTest}

// ResourcesScreen lists the saved resources of one kind.
type ResourcesScreen struct {
	ui   resourcesUI
	eng  resourcesEngine
	kind *descriptor
	res  engine.Resources
	// explain says what the kind is.
	explain   *widget.Label
	addButton *widget.Button
	filter    *widget.Entry
	sort      *widget.Select
	// status says how the last Test or Delete went, in words.
	status *widget.Label
	// empty shows instead of list with none saved; noMatch when the filter hides all.
	empty, noMatch *widget.Label
	list           *widget.List
	content        *fyne.Container
	// The dialogs, once shown: Delete asks first; acceptQuestion is the
	// kind's own (an agent's host key to trust); inUseDialog names the
	// connections that keep an agent from being deleted.
	deleteQuestion, acceptQuestion *question
	inUseDialog                    *dialog.CustomDialog
	details                        *DetailsDialog

	rowSet
	sortCol Column
	testing map[string]bool
	items   map[fyne.CanvasObject]*listItem // the rows the list made, by their object
	reloads reloader
}

// listItem is one resource in the list: name, detail, status, its buttons.
type listItem struct {
	name, detail, status                 *widget.Label
	icon                                 *widget.Icon
	editButton, testButton, deleteButton *widget.Button
	detailsButton                        *widget.Button // the last test in detail; disabled when never tested
	shows                                string         // the name shown, "" before the list binds the row
	onEdit, onTest, onDelete, onDetails  func()
}

func newResourcesScreen(u resourcesUI, eng resourcesEngine, d *descriptor, res engine.Resources) *ResourcesScreen {
	s := &ResourcesScreen{ui: u, eng: eng, kind: d, res: res, rowSet: newRowSet(), testing: map[string]bool{}, items: map[fyne.CanvasObject]*listItem{}}
	title := widget.NewLabelWithStyle(d.plural, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	s.explain = wrapped(d.explain, widget.MediumImportance)
	s.addButton = widget.NewButtonWithIcon(d.create, theme.ContentAddIcon(), func() { u.add(d) })
	s.addButton.Importance = widget.HighImportance
	s.filter = widget.NewEntry()
	s.filter.SetPlaceHolder("Filter by name, " + d.noun + " or status")
	s.filter.OnChanged = func(string) { s.refilter() }
	labels := make([]string, len(sortChoices))
	for i, c := range sortChoices {
		labels[i] = c.String()
	}
	s.sort = widget.NewSelect(labels, func(label string) {
		for _, c := range sortChoices {
			if c.String() == label {
				s.sortCol = c
			}
		}
		s.sortBy(s.sortCol, false, s.statusOf)
		s.refilter()
	})
	s.sort.Selected = labels[0] // the store's order, without sorting before the list exists
	s.status = wrapped("", widget.MediumImportance)
	s.status.Hide()
	s.empty = wrapped(d.empty, widget.MediumImportance)
	s.noMatch = wrapped("", widget.MediumImportance)
	s.noMatch.Hide()
	s.list = widget.NewList(func() int { return len(s.shown) }, s.newItem, s.updateItem)
	s.list.OnSelected = func(widget.ListItemID) { s.list.UnselectAll() } // the buttons act; a row needs no selection
	head := container.NewBorder(nil, nil, nil, s.addButton, title)
	tools := container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewLabel("Sort by"), s.sort), s.filter)
	back := widget.NewButton("Back to connections", u.ShowConnections)
	top := container.NewVBox(head, s.explain, tools, s.status, s.noMatch, widget.NewSeparator())
	s.content = container.NewBorder(top, container.NewHBox(back, layout.NewSpacer()), nil, nil, container.NewStack(s.empty, s.list))
	s.reloads = reloader{do: u.post, reload: s.Reload}
	listen(u.runContext(), eng, u.post, func(c engine.Change) {
		if c.Kind == d.id {
			s.reloads.soon()
		}
	})
	return s
}

// statusOf is what the status of r says: "Verified · 3 min ago".
func (s *ResourcesScreen) statusOf(r *row) (string, statusKind) {
	return statusWhen(r.c.Last, s.testing[r.c.Name], time.Now())
}

// Reload reads the saved ones again.
func (s *ResourcesScreen) Reload() {
	cs, err := s.res.List()
	if err != nil {
		s.say("Could not read the "+s.kind.noun+"s: "+s.eng.Redact(err.Error()), widget.DangerImportance)
		cs = nil
	}
	s.load(cs, s.newRow)
	s.sortBy(s.sortCol, false, s.statusOf)
	s.refilter()
}

func (s *ResourcesScreen) newRow(c vault.Connection) *row {
	detail := s.kind.detailOf(c)
	return &row{c: c, title: detail, key: strings.ToLower(c.Name), hay: strings.ToLower(c.Name + "\n" + detail)}
}

// refilter shows what the filter lets through, or why nothing shows.
func (s *ResourcesScreen) refilter() {
	s.applyFilter(s.filter.Text, nil, s.statusOf)
	for _, it := range s.items {
		it.shows = "" // bound again below to what is shown
	}
	switch {
	case len(s.rows) == 0:
		s.list.Hide()
		s.noMatch.Hide()
		s.empty.Show()
	case len(s.shown) == 0:
		s.noMatch.SetText(fmt.Sprintf("No %s matches %q. Clear the filter to see all %d.", s.kind.noun, s.filter.Text, len(s.rows)))
		s.noMatch.Show()
		s.empty.Hide()
	default:
		s.noMatch.Hide()
		s.empty.Hide()
		s.list.Show()
	}
	s.list.Refresh()
}

// Names lists the ones shown, in order.
func (s *ResourcesScreen) Names() []string { return s.names() }

// Row is the list row showing name, nil when it is not on screen.
func (s *ResourcesScreen) Row(name string) *listItem {
	for _, it := range s.items {
		if it.shows != "" && strings.EqualFold(it.shows, name) {
			return it
		}
	}
	return nil
}

func (s *ResourcesScreen) say(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
	s.status.Show()
}

func (s *ResourcesScreen) newItem() fyne.CanvasObject {
	it := &listItem{
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
		status: widget.NewLabel(""),
		icon:   widget.NewIcon(nil),
	}
	it.name.Truncation = fyne.TextTruncateEllipsis
	it.detail.Truncation = fyne.TextTruncateEllipsis
	it.editButton = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), func() { it.onEdit() })
	it.testButton = widget.NewButtonWithIcon("Test", theme.MediaPlayIcon(), func() { it.onTest() })
	it.deleteButton = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { it.onDelete() })
	it.detailsButton = widget.NewButtonWithIcon("", theme.InfoIcon(), func() { it.onDetails() })
	status := container.NewBorder(nil, nil, it.icon, nil, it.status)
	text := container.NewGridWithColumns(3, it.name, it.detail, status)
	obj := container.NewBorder(nil, nil, nil, container.NewHBox(it.editButton, it.testButton, it.deleteButton, it.detailsButton), text)
	s.items[obj] = it
	return obj
}

func (s *ResourcesScreen) updateItem(id widget.ListItemID, obj fyne.CanvasObject) {
	it := s.items[obj]
	if id >= len(s.shown) || it == nil {
		return
	}
	r := s.shown[id]
	name := r.c.Name
	it.shows = name
	it.name.SetText(name)
	it.detail.SetText(r.title)
	text, kind := s.statusOf(r)
	it.status.SetText(text)
	it.icon.SetResource(statusIcons()[kind])
	it.onEdit = func() { s.ui.edit(s.kind, name) }
	it.onTest = func() { s.Test(name) }
	it.onDelete = func() { s.AskDelete(name) }
	it.onDetails = func() { s.ShowDetails(name) }
	enable(it.testButton, !s.testing[name])
	enable(it.detailsButton, r.c.Last != nil)
}

// ShowDetails opens the details of the last test of name, as the
// connections table does; nothing when it was never tested.
func (s *ResourcesScreen) ShowDetails(name string) {
	r := s.byName[name]
	if r == nil || r.c.Last == nil {
		return
	}
	text, kind := statusOf(r.c.Last, false)
	res, whole := recordedResult(r.c, s.res.LastResult)
	s.details = showLastTest(s.ui.window(), lastTest{
		name: name, v: r.c.Last, headline: text, icon: statusIcons()[kind], res: res, whole: whole,
		test: func() { s.Test(name) }, edit: func() { s.ui.edit(s.kind, name) }, cannotRetest: s.testing[name],
		history: func() ([]vault.HistoryEntry, error) { return s.res.History(name) }, post: s.ui.post,
	})
}

// Test tests the saved name and records how it went; a result the kind
// asks about itself (an agent's new host key) is its descriptor's to answer.
func (s *ResourcesScreen) Test(name string) {
	if s.testing[name] {
		return
	}
	s.testing[name] = true
	s.list.Refresh()
	res := s.res
	start(s.ui, job[outcome]{
		work: func(ctx context.Context, _ func(string)) outcome {
			t := res.TestSaved(ctx, name, engine.TestOptions{})
			return outcome{checked: engine.Checked{Name: t.Name}, result: &t.Result, detail: t.Detail}
		},
		finish: func(out outcome, _ bool) {
			delete(s.testing, name)
			s.tested(name, out)
		},
	})
}

func (s *ResourcesScreen) tested(name string, out outcome) {
	s.list.Refresh() // no longer "Testing…"; the recorded outcome reloads the list
	noun := capitalize(s.kind.noun)
	switch r := out.result; {
	case out.err != nil:
		s.say(fmt.Sprintf("%s %q was not tested: %s", noun, name, s.eng.Redact(out.err.Error())), widget.DangerImportance)
	case r == nil:
	case r.OK:
		s.say(fmt.Sprintf("%s %q works: %s (%s).", noun, name, r.Message, tookWords(r.Duration)), widget.SuccessImportance)
	case s.kind.listAnswer != nil && s.kind.listAnswer(s, name, out):
	default:
		s.say(fmt.Sprintf("%s %q failed: %s", noun, name, connectors.Describe(*r)), widget.DangerImportance)
	}
}

// accept saves name with the value the user accepted after its test (the
// kind's Accept field: an agent's host key), after a test with it; the
// saved settings and secrets are kept. works words the success.
func (s *ResourcesScreen) accept(name, value string, works func(saved string) string) {
	s.testing[name] = true
	s.list.Refresh()
	res := s.res
	start(s.ui, job[outcome]{
		work: func(ctx context.Context, _ func(string)) outcome {
			return outcomeOf(res.Save(ctx, engine.Draft{Values: connectors.Values{}},
				engine.SaveOptions{Editing: name, KeepSaved: true, Accept: value}))
		},
		finish: func(out outcome, _ bool) {
			delete(s.testing, name)
			if out.saved {
				s.list.Refresh()
				s.say(works(out.name), widget.SuccessImportance)
				return
			}
			if out.checked.Name == "" {
				out.checked.Name = name
			}
			s.tested(name, out)
		},
	})
}

// AskDelete asks before deleting name (Esc keeps it). An agent that
// connections or other agents go through cannot be deleted: that is said
// at once, instead of asking "This cannot be undone" and then refusing.
func (s *ResourcesScreen) AskDelete(name string) {
	if users := s.agentUsers(name); len(users) > 0 {
		s.showInUse(&vault.InUseError{Agent: name, Connections: users})
		return
	}
	s.deleteQuestion = askDelete(s.ui.window(), s.kind.noun, name, func() { s.delete(name) })
}

// agentUsers are the connections, and the agents ("agent Jump"), that go
// through the agent name, as the vault's refusal names them; none for
// another kind, or when they cannot be read (the delete itself refuses then).
func (s *ResourcesScreen) agentUsers(name string) []string {
	if s.kind.id != engine.KindAgent {
		return nil
	}
	var users []string
	cs, err := s.eng.List()
	if err != nil {
		return nil
	}
	for _, c := range cs {
		if namespkg.Equal(c.Values[connectors.FieldAgent], name) {
			users = append(users, c.Name)
		}
	}
	agents, err := s.res.List()
	if err != nil {
		return nil
	}
	for _, a := range agents {
		if namespkg.Equal(a.Values[vault.FieldVia], name) {
			users = append(users, "agent "+a.Name)
		}
	}
	slices.Sort(users)
	return users
}

func (s *ResourcesScreen) delete(name string) {
	res, noun := s.res, capitalize(s.kind.noun)
	start(s.ui, job[error]{
		work: func(context.Context, func(string)) error { return res.Delete(name) }, // the keychain may be slow
		finish: func(err error, _ bool) {
			var inUse *vault.InUseError
			switch {
			case errors.As(err, &inUse):
				s.showInUse(inUse)
			case err != nil:
				s.say(fmt.Sprintf("%s %q was not deleted: %s", noun, name, s.eng.Redact(err.Error())), widget.DangerImportance)
			default:
				s.say(fmt.Sprintf("%s %q deleted.", noun, name), widget.MediumImportance)
			}
		},
	})
}

// showInUse says which connections (and agents jumping through it) keep the
// agent from being deleted, and what to do.
func (s *ResourcesScreen) showInUse(e *vault.InUseError) {
	var lines []string
	for _, c := range e.Connections {
		lines = append(lines, "• "+c)
	}
	msg := wrapped(fmt.Sprintf("The agent %q is still used by:", e.Agent), widget.MediumImportance)
	what := wrapped("Edit them to choose another agent (or Mode: Cloud), or delete them, then delete the agent.", widget.MediumImportance)
	s.inUseDialog = tell(s.ui.window(), "Agent not deleted", container.NewVBox(msg, widget.NewLabel(strings.Join(lines, "\n")), what), fyne.NewSize(460, 240))
	s.say(fmt.Sprintf("Agent %q was not deleted: it is still used by %s.", e.Agent, strings.Join(e.Connections, ", ")), widget.DangerImportance)
}
