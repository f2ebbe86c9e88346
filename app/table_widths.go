package app

// table_widths.go: column widths the owner set by dragging a header's edge
// are kept for the next start, and the table's own layout gives them
// before it shares out the rest (Name still takes what is left).

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

const prefColumnWidths = "connections.column_widths"

// edgeGrab is how near a header's right edge a drag must start to resize
// that column, as Fyne's table decides it.
const edgeGrab = 6

// columnDrag is a resize in progress: the column and its width at the start.
type columnDrag struct {
	col          Column
	startX, from float32
	active       bool
}

// Dragged follows a drag that started on a header's edge, as widget.Table
// does, and remembers the width the owner gives the column.
func (t *connTable) Dragged(e *fyne.DragEvent) {
	t.Table.Dragged(e)
	s := t.s
	if !s.drag.active {
		start := e.Position.Subtract(e.Dragged)
		col, ok := s.columnEdgeAt(start)
		if !ok {
			return
		}
		s.drag = columnDrag{col: col, startX: start.X, from: s.widths[col], active: true}
	}
	w := s.drag.from + e.Position.X - s.drag.startX
	if minW := s.naturalWidths()[s.drag.col]; w < minW && s.drag.col != ColumnName {
		w = minW
	}
	if s.userWidths == nil {
		s.userWidths = map[Column]float32{}
	}
	s.userWidths[s.drag.col] = max(w, 2*theme.Padding())
	t.Table.SetColumnWidth(int(s.drag.col), s.userWidths[s.drag.col])
}

// DragEnd keeps the widths set for the next start.
func (t *connTable) DragEnd() {
	t.Table.DragEnd()
	if t.s.drag.active {
		t.s.drag.active = false
		t.s.saveColumnWidths()
		t.s.tableBox.Refresh()
	}
}

// columnEdgeAt is the column whose right edge, in the header row, is at
// pos (the table's own coordinates; it does not scroll sideways, Name
// shrinking first).
func (s *ConnectionsScreen) columnEdgeAt(pos fyne.Position) (Column, bool) {
	if pos.Y < 0 || pos.Y > s.headerHeight() {
		return 0, false
	}
	x := float32(0)
	for col := range numColumns {
		x += s.widths[col]
		if pos.X >= x-edgeGrab && pos.X <= x+theme.Padding()+edgeGrab {
			return col, true
		}
		x += theme.Padding()
	}
	return 0, false
}

func (s *ConnectionsScreen) headerHeight() float32 {
	h := newHeader(s)
	h.Text, h.Icon = ColumnName.String(), theme.MenuDropDownIcon()
	return h.MinSize().Height
}

// saveColumnWidths writes the widths set as "col:width,col:width".
func (s *ConnectionsScreen) saveColumnWidths() {
	var parts []string
	for col := range numColumns {
		if w, ok := s.userWidths[col]; ok {
			parts = append(parts, strconv.Itoa(int(col))+":"+strconv.FormatFloat(float64(w), 'f', -1, 32))
		}
	}
	fyne.CurrentApp().Preferences().SetString(prefColumnWidths, strings.Join(parts, ","))
}

// restoreColumnWidths reads what saveColumnWidths wrote; anything else in
// the preference is passed over.
func (s *ConnectionsScreen) restoreColumnWidths() {
	for _, part := range strings.Split(fyne.CurrentApp().Preferences().String(prefColumnWidths), ",") {
		c, w, ok := strings.Cut(part, ":")
		col, err1 := strconv.Atoi(c)
		width, err2 := strconv.ParseFloat(w, 32)
		if !ok || err1 != nil || err2 != nil || col < 0 || col >= int(numColumns) || width <= 0 || width > 10000 {
			continue
		}
		if s.userWidths == nil {
			s.userWidths = map[Column]float32{}
		}
		s.userWidths[Column(col)] = float32(width)
	}
}
