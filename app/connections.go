package app

// connections.go: the main screen. The saved connections in a table (see
// table.go) with their last test in words, a filter box, the actions on the
// selected row (Edit, Test, Clone, Delete, Details) and Test all with its
// progress, Cancel and summary.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// connectionsUI is what the connections screen needs of the window.
type connectionsUI interface {
	runner
	window() fyne.Window
	showError(title string, err error)
	CreateConnection()
	EditConnection(name string)
	CloneConnection(name string)
}

// connectionsEngine is what the connections screen needs of the engine.
type connectionsEngine interface {
	changes
	tryEngine
	List() ([]vault.Connection, error)
	Get(name string) (vault.Connection, error)
	Delete(name string) error
	TestMany(ctx context.Context, names []string, o engine.TestOptions, report func(engine.Event)) []engine.Tested
	LastResult(c vault.Connection) (connectors.Result, bool)
	Registry() *connectors.Registry
	Redact(s string) string
	Log() logrus.FieldLogger
	Watch(every time.Duration) (stop func())
	Of(kind string) engine.Resources
}

// watchEvery is how often the window looks whether another process (a
// second window, the command line, a cron job) changed the saved
// connections: one stat of the settings file.
const watchEvery = time.Second

// The preferences the table keeps across restarts.
const (
	prefSortColumn     = "connections.sort_column"
	prefSortDescending = "connections.sort_descending"
)

// ConnectionsScreen is the list of saved connections.
type ConnectionsScreen struct {
	ui  connectionsUI
	eng connectionsEngine
	// loading: the first read of the list is under way; loads counts reads,
	// so a background read overtaken by a Reload is dropped.
	loading bool
	loads   int
	filter  *widget.Entry
	// clearFilterButton is the filter's ×, shown while it holds text.
	clearFilterButton *widget.Button
	createButton      *widget.Button
	testAllButton     *widget.Button
	// The actions on the selected row; disabled while none is selected.
	editButton, testButton, cloneButton, deleteButton, detailsButton *widget.Button
	// empty explains what to do first when nothing is saved; noMatch when
	// the filter hides everything; problem when the settings cannot be read.
	empty   *fyne.Container
	noMatch *widget.Label
	problem *widget.Label
	content *fyne.Container

	// While tests run: "12 of 40 tested", a bar and Cancel; then the
	// summary ("38 passed, 2 failed") with Show failures and Close.
	progressText                       *widget.Label
	progressBar                        *widget.ProgressBar
	cancelButton                       *widget.Button
	summary                            *widget.Label
	failuresButton, closeSummaryButton *widget.Button

	// The open details of a last test, and the open delete confirmation, for tests.
	Details        *DetailsDialog
	Try            *TryRequest
	deleteQuestion *question

	table                                  *connTable
	tableBox, progressRow, summaryRow, bar *fyne.Container
	summaryIcon                            *widget.Icon
	icons                                  [numStatusKinds]fyne.Resource
	appIcons                               map[string]fyne.Resource
	widths                                 [numColumns]float32 // the columns' widths now
	userWidths                             map[Column]float32  // set by dragging a header's edge
	drag                                   columnDrag
	natural                                struct {
		size   float32
		widths [numColumns]float32
		// statuses: the Status column's need for the statuses shown (0: to
		// measure); statusHeader: its title's.
		statuses, statusHeader float32
	}

	rowSet       // every saved connection, and those the filter lets through
	selected     string
	sortCol      Column
	sortDesc     bool
	failuresOnly bool
	queued       map[string]bool // in a test run, started or not
	testing      map[string]bool // their test is under way
	run          *testRun
	cellsCreated int    // cells the table asked for: a few screens' worth, whatever the number of rows
	explain      func() // puts the empty state's mark and words in, the first time it shows
	reloads      reloader
	// fromElsewhere: another process changed the saved connections since
	// the last read (engine.Reloaded).
	fromElsewhere bool
	// fullNameBox shows a name the Name column cuts, while the pointer is over it.
	fullNameBox   *fyne.Container
	fullNameLabel *widget.Label
	// openAddress opens a web address in the browser (tests: records it).
	openAddress func(address string)
	// lasted is how long each connection's state has lasted, by ID, read
	// from the histories in the background (loadLasted); lastedLoads
	// counts those reads, so an overtaken one is dropped.
	lasted      map[string]lasted
	lastedLoads int
}

func newConnectionsScreen(u connectionsUI, eng connectionsEngine) *ConnectionsScreen {
	s := &ConnectionsScreen{ui: u, eng: eng, rowSet: newRowSet(), queued: map[string]bool{}, testing: map[string]bool{},
		icons: statusIcons(), appIcons: map[string]fyne.Resource{}, openAddress: openAddress}
	s.filter = widget.NewEntry()
	s.filter.SetPlaceHolder("Filter by name, application, mode or status")
	s.filter.OnSubmitted = func(string) { s.focusTable() }
	s.clearFilterButton = widget.NewButtonWithIcon("", theme.ContentClearIcon(), s.ClearFilter)
	s.clearFilterButton.Importance = widget.LowImportance
	s.clearFilterButton.Hide()
	s.filter.ActionItem = s.clearFilterButton
	s.filter.OnChanged = func(text string) {
		if text == "" {
			s.clearFilterButton.Hide()
		} else {
			s.clearFilterButton.Show()
		}
		s.refilter(true)
	}
	s.restoreSort()
	s.restoreColumnWidths()
	s.createButton = widget.NewButtonWithIcon("Create connection", theme.ContentAddIcon(), u.CreateConnection)
	s.createButton.Importance = widget.HighImportance
	s.testAllButton = widget.NewButtonWithIcon("Test all", theme.MediaPlayIcon(), s.TestAll)
	s.editButton = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), s.editSelected)
	s.testButton = widget.NewButtonWithIcon("Test", theme.MediaPlayIcon(), func() { s.Test(s.selected) })
	s.cloneButton = widget.NewButtonWithIcon("Clone", theme.ContentCopyIcon(), func() { s.ui.CloneConnection(s.selected) })
	s.deleteButton = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), s.deleteSelected)
	s.detailsButton = widget.NewButtonWithIcon("Details", theme.InfoIcon(), func() { s.ShowDetails(s.selected) })
	toolbar := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(s.testAllButton, s.createButton), s.filter),
		container.NewHBox(s.editButton, s.testButton, s.cloneButton, s.deleteButton, s.detailsButton))

	title := widget.NewLabelWithStyle("No connections yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	// The mark and the explanation's words are put in when the empty state
	// first shows: hidden objects are laid out too, and drawing the SVG mark
	// and measuring where the words wrap cost every start-up with saved
	// connections about 20 ms.
	explain := widget.NewLabel("")
	icon := widget.NewIcon(nil)
	s.explain = func() {
		if explain.Text == "" {
			icon.SetResource(assets.Icon(""))
			explain.SetText("A connection lets Storelink talk to your shop's API. Click \"+ Create connection\" (Ctrl+N), " +
				"pick your shop's platform (" + titles(eng.Registry().All()) + "), enter the shop's address and the API key or tokens " +
				"from its back office, then Save. Storelink tests the connection before saving it, and keeps the secrets in the OS keychain.")
		}
	}
	explain.Wrapping = fyne.TextWrapWord
	explain.Alignment = fyne.TextAlignCenter
	iconBox := container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), icon))
	start := widget.NewButtonWithIcon("Create connection", theme.ContentAddIcon(), u.CreateConnection)
	start.Importance = widget.HighImportance
	s.empty = container.NewVBox(layout.NewSpacer(), iconBox, title, explain, container.NewCenter(start), layout.NewSpacer())
	s.noMatch = widget.NewLabel("")
	s.noMatch.Wrapping = fyne.TextWrapWord
	s.noMatch.Hide()
	s.problem = widget.NewLabel("")
	s.problem.Wrapping = fyne.TextWrapWord
	s.problem.Importance = widget.DangerImportance
	s.problem.Hide()
	s.table = newConnTable(s)
	s.fullNameLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.fullNameBox = container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground)), s.fullNameLabel)
	s.fullNameBox.Hide()
	s.tableBox = container.New(columnsLayout{s}, s.table, container.NewWithoutLayout(s.fullNameBox))

	s.buildBar()

	body := container.NewBorder(container.NewVBox(s.problem, s.noMatch), nil, nil, nil,
		container.NewStack(s.tableBox, container.NewPadded(s.empty)))
	s.content = container.NewBorder(toolbar, s.bar, nil, nil, body)
	s.loading = true // until the first read (LoadInBackground or Reload): never the empty state meanwhile
	s.updateState()
	go s.keepTimesFresh()
	s.reloads = reloader{do: u.post, reload: s.Reload}
	listen(u.runContext(), eng, u.post, s.changed)
	context.AfterFunc(u.runContext(), eng.Watch(watchEvery)) // watching ends with the window
	return s
}

// ClearFilter empties the filter (its × button) and gives it the keyboard.
func (s *ConnectionsScreen) ClearFilter() {
	s.filter.SetText("")
	if c := s.ui.window().Canvas(); c != nil {
		c.Focus(s.filter)
	}
}

// restoreSort sorts as the table was sorted when Storelink last closed.
func (s *ConnectionsScreen) restoreSort() {
	p := fyne.CurrentApp().Preferences()
	if col := Column(p.IntWithFallback(prefSortColumn, int(ColumnName))); col >= 0 && col < numColumns {
		s.sortCol = col
	}
	s.sortDesc = p.Bool(prefSortDescending)
}

// changed reloads the list after a change of a connection, or of an agent
// (a renamed agent is renamed in the connections that use it). An outcome
// recorded by this screen's own tests is shown as each one ends instead.
func (s *ConnectionsScreen) changed(c engine.Change) {
	if c.Op == engine.Reloaded && c.Kind == engine.KindConnection {
		s.fromElsewhere = true // said in the log once read again
	}
	if c.Op == engine.Recorded && c.Kind == engine.KindConnection {
		s.refreshLasted(c.Name)
	}
	switch {
	case c.Op == engine.Recorded && (c.Kind == engine.KindAgent || s.queued[c.Name]):
	default:
		s.reloads.soon()
	}
}

// keepTimesFresh redraws the visible rows now and then, so "3 min ago" does
// not go stale while the window stays open.
func (s *ConnectionsScreen) keepTimesFresh() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.ui.runContext().Done():
			return
		case <-t.C:
			s.ui.post(s.table.Refresh)
		}
	}
}

// Reload reads the saved connections and shows them.
func (s *ConnectionsScreen) Reload() {
	s.loads++ // a read started in the background before this one is stale
	s.loading = false
	cs, err := s.eng.List()
	s.apply(cs, err)
	if s.fromElsewhere {
		s.fromElsewhere = false
		s.eng.Log().WithField("saved", len(cs)).Debug("connections reloaded: another process changed them")
	}
}

// LoadInBackground reads the saved connections off the UI goroutine, so the
// window shows at once however many there are; the table fills when they
// arrive ("Reading the saved connections..." meanwhile, never the empty
// state). A Reload meanwhile wins.
func (s *ConnectionsScreen) LoadInBackground() {
	s.loads++
	gen, eng := s.loads, s.eng
	s.loading = true
	s.updateState()
	go func() {
		cs, err := eng.List()
		s.ui.post(func() {
			if s.loads != gen {
				return
			}
			s.loading = false
			s.apply(cs, err)
		})
	}()
}

// Loading reports whether the first read of the saved connections is still
// under way.
func (s *ConnectionsScreen) Loading() bool { return s.loading }

// apply shows what a read of the saved connections gave.
func (s *ConnectionsScreen) apply(cs []vault.Connection, err error) {
	if err != nil {
		s.problem.SetText("Could not read the saved connections: " + err.Error())
		s.problem.Show()
		s.eng.Log().WithError(err).Error("cannot list connections")
	} else {
		s.problem.Hide()
	}
	s.load(cs, s.newRow)
	s.loadLasted(cs)
	s.sortRows()
	s.refilter(false)
	s.statusesChanged()
}

func (s *ConnectionsScreen) newRow(c vault.Connection) *row {
	title, iconName := c.App, ""
	if info, ok := s.eng.Registry().Lookup(c.App); ok {
		title, iconName = info.Title, info.Icon
	}
	icon, ok := s.appIcons[c.App]
	if !ok {
		icon = assets.Icon(iconName)
		s.appIcons[c.App] = icon
	}
	mode := modeTitle(c.Mode())
	return &row{c: c, title: title, icon: icon, mode: mode, key: strings.ToLower(c.Name),
		hay: strings.ToLower(c.Name + "\n" + title + "\n" + c.App + "\n" + mode)}
}

// SortBy sorts the table by col; sorting by the same column again reverses it.
func (s *ConnectionsScreen) SortBy(col Column) {
	if s.sortCol == col {
		s.sortDesc = !s.sortDesc
	} else {
		s.sortCol, s.sortDesc = col, false
	}
	p := fyne.CurrentApp().Preferences()
	p.SetInt(prefSortColumn, int(s.sortCol))
	p.SetBool(prefSortDescending, s.sortDesc)
	s.sortRows()
	s.refilter(false)
	if i, ok := s.index[s.selected]; ok {
		s.table.ScrollTo(widget.TableCellID{Row: i, Col: int(ColumnName)})
	}
}

// Sorting is the column the table is sorted by and whether it is reversed.
func (s *ConnectionsScreen) Sorting() (col Column, descending bool) { return s.sortCol, s.sortDesc }

// sortRows puts the rows in the order of the sort column, then by name.
func (s *ConnectionsScreen) sortRows() { s.sortBy(s.sortCol, s.sortDesc, s.status) }

// refilter shows the rows the filter lets through, in order.
func (s *ConnectionsScreen) refilter(scrollTop bool) {
	s.applyFilter(s.filter.Text, s.keep, s.filtered)
	if _, ok := s.index[s.selected]; !ok {
		s.selected = ""
	}
	if scrollTop {
		s.table.ScrollToTop()
	}
	s.table.Refresh()
	s.updateState()
}

// filtered is what the filter finds a row by besides its name: the Status
// cell's words ("Failed for 3 h"), the last test's verdict ("Failed: key
// refused"), which a long-lasting state no longer shows in the cell, and
// its message.
func (s *ConnectionsScreen) filtered(r *row) (string, statusKind) {
	text, kind := s.status(r)
	if said, _ := s.verdict(r); said != text {
		text += "\n" + said
	}
	if r.c.Last != nil && r.c.Last.Message != "" {
		text += "\n" + r.c.Last.Message
	}
	return text, kind
}

// keep: with Show failures, only the rows whose last test failed.
func (s *ConnectionsScreen) keep(r *row) bool {
	if !s.failuresOnly {
		return true
	}
	_, kind := s.status(r)
	return kind == statusFailed
}

// updateState shows the empty state, the no-match note or the table, and
// enables the buttons that can act.
func (s *ConnectionsScreen) updateState() {
	switch {
	case s.loading:
		s.empty.Hide()
		s.tableBox.Hide()
		s.noMatch.SetText("Reading the saved connections...")
		s.noMatch.Show()
	case len(s.rows) == 0 && s.problem.Hidden:
		s.explain()
		s.empty.Show()
		s.noMatch.Hide()
		s.tableBox.Hide()
	case len(s.shown) == 0 && len(s.rows) > 0:
		s.empty.Hide()
		s.tableBox.Show()
		var text string
		switch {
		case s.failuresOnly && strings.TrimSpace(s.filter.Text) == "":
			text = fmt.Sprintf("No connection failed its last test. Click Show all to see all %d.", len(s.rows))
		case s.failuresOnly:
			text = fmt.Sprintf("No failed connection matches %q. Clear the filter or click Show all to see all %d.", s.filter.Text, len(s.rows))
		default:
			text = fmt.Sprintf("No connection matches %q. Clear the filter to see all %d.", s.filter.Text, len(s.rows))
		}
		s.noMatch.SetText(text)
		s.noMatch.Show()
	default:
		s.empty.Hide()
		s.noMatch.Hide()
		s.tableBox.Show()
	}
	enable(s.testAllButton, len(s.queued) < len(s.rows))
	s.updateActions()
}

// updateActions enables the row actions that apply to the selected row.
func (s *ConnectionsScreen) updateActions() {
	r := s.byName[s.selected]
	for _, b := range []*widget.Button{s.editButton, s.cloneButton, s.deleteButton} {
		enable(b, r != nil)
	}
	enable(s.testButton, r != nil && !s.queued[s.selected])
	enable(s.detailsButton, r != nil && r.c.Last != nil)
}

func enable(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

// Shown are the connections the table shows, after the filter, in order.
func (s *ConnectionsScreen) Shown() []vault.Connection {
	out := make([]vault.Connection, len(s.shown))
	for i, r := range s.shown {
		out[i] = r.c
	}
	return out
}

// StatusText is what the Status cell of the connection name says ("" when
// there is no such connection).
func (s *ConnectionsScreen) StatusText(name string) string {
	r := s.byName[name]
	if r == nil {
		return ""
	}
	text, _ := s.status(r)
	return text
}

// LastTestText is what the Last test cell of the connection name says.
func (s *ConnectionsScreen) LastTestText(name string) string {
	r := s.byName[name]
	if r == nil {
		return ""
	}
	return lastTestText(r.c.Last, time.Now())
}

// Selected is the name of the selected connection, "" when none is.
func (s *ConnectionsScreen) Selected() string { return s.selected }

// Select selects the connection name if the table shows it.
func (s *ConnectionsScreen) Select(name string) {
	if i, ok := s.index[name]; ok {
		s.selectRow(i, ColumnName)
	}
}

// selectRow selects the row at i of those shown and gives the table the
// keyboard, so Enter, Delete and the arrows act on it.
func (s *ConnectionsScreen) selectRow(i int, col Column) {
	s.table.Select(widget.TableCellID{Row: i, Col: int(col)})
	s.ui.window().Canvas().Focus(s.table)
}

// choose marks the row at i as the selected one (the table's OnSelected).
func (s *ConnectionsScreen) choose(i int) {
	if i < 0 || i >= len(s.shown) {
		return
	}
	old := s.selected
	s.selected = s.shown[i].c.Name
	if old != s.selected {
		s.refreshName(old)
		s.refreshName(s.selected)
	}
	s.updateActions()
}

// moveSelection moves the selection by delta rows (the arrow keys).
func (s *ConnectionsScreen) moveSelection(delta int) {
	if len(s.shown) == 0 {
		return
	}
	i, ok := s.index[s.selected]
	switch {
	case !ok && delta > 0:
		i = 0
	case !ok:
		i = len(s.shown) - 1
	default:
		i = max(0, min(len(s.shown)-1, i+delta))
	}
	s.table.Select(widget.TableCellID{Row: i, Col: int(ColumnName)})
}

// focusTable (Enter in the filter) moves the keyboard to the table, with
// the first row selected when none is.
func (s *ConnectionsScreen) focusTable() {
	if len(s.shown) == 0 {
		return
	}
	i, ok := s.index[s.selected]
	if !ok {
		i = 0
	}
	s.selectRow(i, ColumnName)
}

// refreshName redraws the row of the connection name, if shown.
func (s *ConnectionsScreen) refreshName(name string) {
	i, ok := s.index[name]
	if !ok {
		return
	}
	for col := range numColumns {
		s.table.RefreshItem(widget.TableCellID{Row: i, Col: int(col)})
	}
}

func (s *ConnectionsScreen) editSelected() {
	if s.selected != "" {
		s.ui.EditConnection(s.selected)
	}
}

func (s *ConnectionsScreen) deleteSelected() {
	if s.selected != "" {
		s.AskDelete(s.selected)
	}
}

// rowMenu is the selected row's actions, for a right click.
func (s *ConnectionsScreen) rowMenu() *fyne.Menu {
	name := s.selected
	r := s.byName[name]
	test := fyne.NewMenuItem("Test", func() { s.Test(name) })
	test.Disabled = s.queued[name]
	details := fyne.NewMenuItem("Details of the last test", func() { s.ShowDetails(name) })
	details.Disabled = r == nil || r.c.Last == nil
	// Try a request needs no test first: an owner may look at the data of a
	// connection saved without verifying.
	try := fyne.NewMenuItem("Try a request…", func() { s.TryRequest(name) })
	info, known := s.eng.Registry().Lookup(appOf(r))
	try.Disabled = !known || info.API == nil || info.API.Root == nil
	return fyne.NewMenu("",
		fyne.NewMenuItem("Edit", func() { s.ui.EditConnection(name) }),
		test,
		fyne.NewMenuItem("Clone", func() { s.ui.CloneConnection(name) }),
		fyne.NewMenuItem("Delete…", func() { s.AskDelete(name) }),
		fyne.NewMenuItemSeparator(),
		details, try)
}

// appOf is the application of a listed row ("" for none).
func appOf(r *row) string {
	if r == nil {
		return ""
	}
	return r.c.App
}

// ToggleFailures shows only the connections whose last test failed, or all
// of them again.
func (s *ConnectionsScreen) ToggleFailures() {
	s.setFailuresOnly(!s.failuresOnly)
	s.refilter(true)
}

func (s *ConnectionsScreen) setFailuresOnly(on bool) {
	s.failuresOnly = on
	if on {
		s.failuresButton.SetText("Show all")
	} else {
		s.failuresButton.SetText("Show failures")
	}
}

// AskDelete asks for confirmation, naming the connection (Esc keeps it).
func (s *ConnectionsScreen) AskDelete(name string) {
	s.deleteQuestion = askDelete(s.ui.window(), "connection", name, func() { s.delete(name) })
}

func (s *ConnectionsScreen) delete(name string) {
	eng := s.eng
	go func() {
		if err := eng.Delete(name); err != nil { // the keychain may be slow: not on the UI goroutine
			s.ui.post(func() { s.ui.showError("Delete "+name, err) })
		}
	}()
}
