package app

// table.go: the connections table. A virtualised widget.Table: cells exist
// for the visible rows only and are refilled in UpdateCell, so 1,000 saved
// connections cost what 15 do. Also the sortable headers, the column widths
// that keep the status words whole, and the keys (arrows, Enter = Edit,
// Delete) and clicks (double-click = Edit, right-click = menu, a failed
// status = its details) on rows.

import (
	"image/color"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// Column is a column of the connections table.
type Column int

// The table's columns, left to right.
const (
	ColumnName Column = iota
	ColumnApp
	ColumnMode
	ColumnStatus
	ColumnLastTest
	numColumns
)

func (c Column) String() string {
	return [...]string{"Name", "Application", "Mode", "Status", "Last test"}[c]
}

// status is what the Status cell says of r, and its kind.
// With a history, it says how long the state has lasted ("Failed for 3 h,
// verified before"), from the cache loadLasted fills.
func (s *ConnectionsScreen) status(r *row) (string, statusKind) {
	text, kind := statusOf(r.c.Last, s.testing[r.c.Name])
	if kind == statusTesting {
		return text, kind
	}
	if long, ok := s.lastedText(r, time.Now()); ok {
		return long, kind
	}
	return text, kind
}

// verdict is the status of r's last recorded test, warnings and all: they
// are saved with it, so they outlive a reload and a restart.
func (s *ConnectionsScreen) verdict(r *row) (string, statusKind) {
	return statusOf(r.c.Last, false)
}

// lastResult is the whole result of r's recorded test, if it ran in this
// session (a save from a pane records a verdict the engine may not keep).
func (s *ConnectionsScreen) lastResult(r *row) (connectors.Result, bool) {
	return recordedResult(r.c, s.eng.LastResult)
}

func modeTitle(mode string) string {
	if mode == connectors.ModeOnPremise {
		return "On-premise"
	}
	return "Cloud"
}

// connTable is the table with the keys of a list: Up/Down/Home/End/Page
// move the selected row, Enter edits it, Delete asks to delete it.
type connTable struct {
	widget.Table
	s *ConnectionsScreen
}

func newConnTable(s *ConnectionsScreen) *connTable {
	t := &connTable{s: s}
	t.Length = func() (int, int) { return len(s.shown), int(numColumns) }
	t.CreateCell = func() fyne.CanvasObject {
		s.cellsCreated++
		return newCell(s)
	}
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) { o.(*cell).fill(id.Row, Column(id.Col)) }
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return newHeader(s) }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) { o.(*header).fill(Column(id.Col)) }
	// The table marks one cell; the whole row is marked by its cells instead.
	t.OnSelected = func(id widget.TableCellID) {
		t.Unselect(id)
		s.choose(id.Row)
	}
	t.ExtendBaseWidget(t)
	return t
}

func (t *connTable) TypedKey(ev *fyne.KeyEvent) {
	s := t.s
	page := 10
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.editSelected()
	case fyne.KeyDelete, fyne.KeyBackspace: // Backspace: the Mac's Delete key
		s.deleteSelected()
	case fyne.KeyUp:
		s.moveSelection(-1)
	case fyne.KeyDown:
		s.moveSelection(1)
	case fyne.KeyPageUp:
		s.moveSelection(-page)
	case fyne.KeyPageDown:
		s.moveSelection(page)
	case fyne.KeyHome:
		s.moveSelection(-len(s.shown))
	case fyne.KeyEnd:
		s.moveSelection(len(s.shown))
	default:
		t.Table.TypedKey(ev) // Left, Right, Space
	}
}

// cell is one table cell, refilled for whichever row and column the table
// shows it at: an optional icon and a label over the row's background.
type cell struct {
	widget.BaseWidget
	s         *ConnectionsScreen
	row       int
	col       Column
	bg        *canvas.Rectangle
	icon      *widget.Icon
	iconBox   *fyne.Container
	label     *widget.Label
	box       *fyne.Container
	clickable bool // a failed status: a click opens its details
}

var (
	_ fyne.Tappable          = (*cell)(nil)
	_ fyne.DoubleTappable    = (*cell)(nil)
	_ fyne.SecondaryTappable = (*cell)(nil)
	_ desktop.Cursorable     = (*cell)(nil)
	_ desktop.Hoverable      = (*cell)(nil)
)

func newCell(s *ConnectionsScreen) *cell {
	c := &cell{s: s, row: -1, bg: canvas.NewRectangle(color.Transparent), icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	c.bg.Hide()
	c.iconBox = container.New(layout.NewCustomPaddedLayout(0, 0, theme.Padding(), 0), c.icon)
	c.box = container.NewBorder(nil, nil, c.iconBox, nil, c.label)
	c.ExtendBaseWidget(c)
	return c
}

func (c *cell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.box))
}

// fill shows the connection at row of the shown ones, in column col.
func (c *cell) fill(row int, col Column) {
	c.row, c.col, c.clickable = row, col, false
	if row < 0 || row >= len(c.s.shown) {
		return
	}
	s, r := c.s, c.s.shown[row]
	var icon fyne.Resource
	text, bold := "", false
	switch col {
	case ColumnName:
		text, bold = r.c.Name, true
	case ColumnApp:
		text, icon = r.title, r.icon
	case ColumnMode:
		text = r.mode
	case ColumnStatus:
		var kind statusKind
		text, kind = s.status(r)
		icon = s.icons[kind]
		c.clickable = kind == statusFailed
	case ColumnLastTest:
		text = lastTestText(r.c.Last, time.Now())
	}
	if r.c.Name == s.selected { // the whole row is marked, not one cell
		if fill := theme.Color(theme.ColorNameSelection); c.bg.FillColor != fill || !c.bg.Visible() {
			c.bg.FillColor = fill
			c.bg.Show()
			c.bg.Refresh()
		}
	} else if c.bg.Visible() {
		c.bg.Hide() // not drawn at all, rather than drawn transparent
	}
	// Only a name too long for its column is cut ("…"): the other columns
	// are as wide as their longest words, and truncating shapes the text
	// again on every resize, which 15 rows of cells would pay for each.
	trunc := fyne.TextTruncateOff
	if col == ColumnName {
		if r.nameWidth == 0 {
			r.nameWidth = fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
		}
		if r.nameWidth > s.widths[ColumnName] {
			trunc = fyne.TextTruncateEllipsis
		}
	}
	if c.label.Text != text || c.label.TextStyle.Bold != bold || c.label.Truncation != trunc {
		c.label.Text, c.label.TextStyle.Bold, c.label.Truncation = text, bold, trunc
		c.label.Refresh()
	}
	if icon == nil {
		if c.iconBox.Visible() {
			c.iconBox.Hide()
			c.box.Refresh()
		}
		return
	}
	c.icon.SetResource(icon)
	if !c.iconBox.Visible() {
		c.iconBox.Show()
		c.box.Refresh()
	}
}

// Tapped selects the row; on a failed status it also opens the details.
func (c *cell) Tapped(*fyne.PointEvent) {
	if c.row < 0 || c.row >= len(c.s.shown) {
		return
	}
	name := c.s.shown[c.row].c.Name
	c.s.selectRow(c.row, c.col)
	if c.clickable {
		c.s.ShowDetails(name)
	}
}

// DoubleTapped opens the connection in the pane, as Enter does.
func (c *cell) DoubleTapped(*fyne.PointEvent) {
	if c.row < 0 || c.row >= len(c.s.shown) {
		return
	}
	c.s.selectRow(c.row, c.col)
	c.s.editSelected()
}

// TappedSecondary (right click) offers the row's actions in a menu.
func (c *cell) TappedSecondary(ev *fyne.PointEvent) {
	if c.row < 0 || c.row >= len(c.s.shown) {
		return
	}
	c.s.selectRow(c.row, c.col)
	widget.ShowPopUpMenuAtPosition(c.s.rowMenu(), c.s.ui.window().Canvas(), ev.AbsolutePosition)
}

// MouseIn shows the whole name over a name the column cuts ("Magen…"),
// as a tooltip does; widget has no tooltips in Fyne 2.7.
func (c *cell) MouseIn(*desktop.MouseEvent) {
	if c.col != ColumnName || c.row < 0 || c.row >= len(c.s.shown) || c.label.Truncation == fyne.TextTruncateOff {
		return
	}
	c.s.showFullName(c, c.s.shown[c.row].c.Name)
}

// MouseMoved does nothing: the name shows while the pointer is in the cell.
func (c *cell) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the whole name again.
func (c *cell) MouseOut() { c.s.hideFullName() }

// showFullName shows name just under the cell o, on a layer over the
// table that takes no pointer events (a pop-up's overlay would take them
// from the cell and hide the name again at once).
func (s *ConnectionsScreen) showFullName(o fyne.CanvasObject, name string) {
	s.fullNameLabel.SetText(name)
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(s.tableBox))
	size := s.fullNameBox.MinSize()
	x := min(at.X, max(0, s.tableBox.Size().Width-size.Width))
	y := at.Y + o.Size().Height
	if y+size.Height > s.tableBox.Size().Height {
		y = at.Y - size.Height // the last row's name shows above it
	}
	s.fullNameBox.Move(fyne.NewPos(x, y))
	s.fullNameBox.Resize(size)
	s.fullNameBox.Show()
}

func (s *ConnectionsScreen) hideFullName() { s.fullNameBox.Hide() }

// FullNameShown is the name the hover pop-up shows, "" when hidden.
func (s *ConnectionsScreen) FullNameShown() string {
	if !s.fullNameBox.Visible() {
		return ""
	}
	return s.fullNameLabel.Text
}

// Cursor is a pointing hand over a failed status, which opens its details.
func (c *cell) Cursor() desktop.Cursor {
	if c.clickable {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// header is a column title; a click sorts by it, again reverses, and the
// arrow shows which way.
type header struct {
	widget.Button
	s   *ConnectionsScreen
	col Column
}

func newHeader(s *ConnectionsScreen) *header {
	h := &header{s: s}
	h.Alignment = widget.ButtonAlignLeading
	h.IconPlacement = widget.ButtonIconTrailingText
	h.Importance = widget.LowImportance
	h.OnTapped = func() { s.SortBy(h.col) }
	h.ExtendBaseWidget(h)
	return h
}

func (h *header) fill(col Column) {
	h.col = col
	var icon fyne.Resource
	if col == h.s.sortCol { // ▲ A to Z, oldest first; ▼ the reverse
		icon = theme.MenuDropUpIcon()
		if h.s.sortDesc {
			icon = theme.MenuDropDownIcon()
		}
	}
	if h.Text != col.String() || h.Icon != icon {
		h.Text, h.Icon = col.String(), icon
		h.Refresh()
	}
}

// columnsLayout gives the table its columns' widths for the width it has:
// Application, Mode, Status and Last test get what their longest words
// need (Status: of the statuses saved now), Name all the rest, down to a
// minimum: names are what is cut when the window is narrow.
type columnsLayout struct{ s *ConnectionsScreen }

func (l columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := l.s.columnWidths(size.Width)
	l.s.widths = w
	for i, cw := range w {
		l.s.table.SetColumnWidth(i, cw)
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n := l.s.naturalWidths()
	w := float32(0)
	for _, cw := range n {
		w += cw
	}
	w += l.s.columnGaps()
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

// columnGaps is the room the table takes between columns, plus a margin
// for the vertical scroll bar over the last one.
func (s *ConnectionsScreen) columnGaps() float32 {
	return theme.Padding()*float32(numColumns-1) + 2*theme.Padding()
}

// columnWidths shares width among the columns (see columnsLayout): the
// widths the owner set first, then Name gets what is left.
func (s *ConnectionsScreen) columnWidths(width float32) [numColumns]float32 {
	w := s.naturalWidths()
	for col, uw := range s.userWidths {
		w[col] = uw
	}
	spare := width - s.columnGaps()
	for _, cw := range w {
		spare -= cw
	}
	if _, set := s.userWidths[ColumnName]; spare > 0 && !set {
		w[ColumnName] += spare
	}
	return w
}

// lastTestTexts are the Last test column's widest kinds of text.
func lastTestTexts(now time.Time) []string {
	return []string{neverText, "just now", "59 min ago", "23 h ago", "6 days ago",
		ago(time.Date(now.Year()-1, time.September, 30, 12, 0, 0, 0, time.Local), now)}
}

// measuredCandidates: how many of a column's longest texts (by letters) are
// measured for its width. Measuring all fifty statuses shaped each one and
// cost about 5 ms of every start-up; among texts of lower-case words the
// widest is one of the longest (TestNaturalWidthsMeasureTheWidest).
const measuredCandidates = 8

// longest returns the n texts with the most letters, longest first.
func longest(texts []string, n int) []string {
	if len(texts) <= n {
		return texts
	}
	sorted := slices.Clone(texts)
	slices.SortStableFunc(sorted, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	return sorted[:n]
}

// naturalWidths are the widths each column's longest words need (Name:
// its minimum), measured in the current theme and kept until its text size
// changes.
func (s *ConnectionsScreen) naturalWidths() [numColumns]float32 {
	size := theme.TextSize()
	if s.natural.size == size {
		if s.natural.statuses == 0 {
			s.natural.statuses = s.statusesWidth()
		}
		s.natural.widths[ColumnStatus] = max(s.natural.statuses, s.natural.statusHeader)
		return s.natural.widths
	}
	label := func(text string) float32 {
		return fyne.MeasureText(text, size, fyne.TextStyle{}).Width + 2*theme.InnerPadding()
	}
	widest := func(texts ...string) float32 {
		w := float32(0)
		for _, t := range longest(texts, measuredCandidates) {
			w = max(w, label(t))
		}
		return w
	}
	withIcon := theme.IconInlineSize() + 2*theme.Padding() // the icon, its left padding, the gap to the words
	var w [numColumns]float32
	w[ColumnName] = label(strings.Repeat("M", 5))
	var titles []string
	for _, info := range s.eng.Registry().All() {
		titles = append(titles, info.Title)
	}
	w[ColumnApp] = withIcon + widest(titles...)
	w[ColumnMode] = widest(modeTitle(connectors.ModeCloud), modeTitle(connectors.ModeOnPremise))
	w[ColumnLastTest] = widest(lastTestTexts(time.Now())...)
	for col := range numColumns {
		h := newHeader(s)
		h.Text, h.Icon = col.String(), theme.MenuDropDownIcon()
		if col == ColumnStatus {
			s.natural.statusHeader = h.MinSize().Width
		}
		w[col] = max(w[col], h.MinSize().Width)
	}
	s.natural.statuses = s.statusesWidth()
	w[ColumnStatus] = max(s.natural.statuses, s.natural.statusHeader)
	s.natural.size, s.natural.widths = size, w
	return w
}

// statusesWidth is what the Status column needs for the statuses the saved
// connections have now, and Testing… for a test started later.
func (s *ConnectionsScreen) statusesWidth() float32 {
	seen := map[string]bool{testingText: true, "Verified": true}
	texts := []string{testingText, "Verified"}
	for _, r := range s.rows {
		text, _ := s.verdict(r)
		if long, ok := s.lastedText(r, time.Now()); ok {
			text = long + "00" // room for the hours and days to grow
		}
		if !seen[text] {
			seen[text] = true
			texts = append(texts, text)
		}
	}
	w := float32(0)
	for _, t := range longest(texts, measuredCandidates) {
		w = max(w, fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding())
	}
	return theme.IconInlineSize() + 2*theme.Padding() + w
}

// statusesChanged measures the Status column again for the statuses saved
// now (after a read or a test), and lays the columns out again if it
// must grow or may shrink.
func (s *ConnectionsScreen) statusesChanged() {
	if s.natural.size == 0 {
		return // not measured yet: the first layout will
	}
	if w := s.statusesWidth(); w != s.natural.statuses {
		s.natural.statuses = w
		s.tableBox.Refresh()
	}
}
