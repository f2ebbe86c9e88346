package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// A column the owner widens by dragging its header's edge keeps that width,
// in this window and after a restart; Name still takes what is left.
func TestAColumnWidthSetByDraggingIsRemembered(t *testing.T) {
	conn := &script{}
	e := newEnv(t, testRegistry(conn), conn)
	saveDirect(t, e, "Shop", "KEY")
	s := e.ui.Connections
	s.Reload()
	e.ui.Window.Resize(fyne.NewSize(1000, 480))
	s.table.Refresh()
	before := s.widths
	// The Mode column's right edge, in the header row.
	edge := before[ColumnName] + theme.Padding() + before[ColumnApp] + theme.Padding() + before[ColumnMode]
	y := s.headerHeight() / 2
	for _, dx := range []float32{20, 40, 60} {
		s.table.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{Position: fyne.NewPos(edge+dx, y)},
			Dragged:    fyne.NewDelta(20, 0),
		})
	}
	s.table.DragEnd()
	s.tableBox.Refresh()
	want := before[ColumnMode] + 60
	if s.widths[ColumnMode] != want {
		t.Fatalf("Mode is %v px after a drag of 60 px from %v", s.widths[ColumnMode], before[ColumnMode])
	}
	if s.widths[ColumnName] >= before[ColumnName] {
		t.Errorf("Name kept %v px (was %v): the room Mode took comes from Name", s.widths[ColumnName], before[ColumnName])
	}
	u := restart(t, e)
	u.Window.Resize(fyne.NewSize(1000, 480))
	u.Connections.tableBox.Refresh()
	if got := u.Connections.widths[ColumnMode]; got != want {
		t.Errorf("after a restart Mode is %v px, want the %v px set", got, want)
	}
	// A drag that does not start on an edge resizes nothing.
	s.table.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(5, y+200)}, Dragged: fyne.NewDelta(30, 0)})
	s.table.DragEnd()
	if len(s.userWidths) != 1 {
		t.Errorf("a drag in the rows set widths: %v", s.userWidths)
	}
}
