package app

// rows.go: what every list of saved things holds, whatever its kind (the
// connections table, the list of agents or of any other kind): its rows,
// worked out once per read; those the filter lets through, in the chosen
// order; and the words the filter and the sort go by, the status among them.

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"storelink/vault"
)

// row is a saved resource and what a list shows of it.
type row struct {
	c     vault.Connection
	title string // a connection's application; another kind's detail ("shop@ssh.office.example:22")
	icon  fyne.Resource
	mode  string // Cloud or On-premise; "" for other kinds
	key   string // lower-case name, for sorting
	hay   string // lower-case words the filter looks in besides the status
	// nameWidth is what the name needs, measured when first shown (0: not yet).
	nameWidth float32
}

// rowSet is a list's rows.
type rowSet struct {
	rows   []*row          // every saved one, in the list's order
	byName map[string]*row // the same, by name
	shown  []*row          // those the filter lets through
	index  map[string]int  // name -> position in shown
}

func newRowSet() rowSet { return rowSet{byName: map[string]*row{}, index: map[string]int{}} }

// load makes the rows of cs, in their order.
func (s *rowSet) load(cs []vault.Connection, newRow func(vault.Connection) *row) {
	s.rows = make([]*row, 0, len(cs))
	s.byName = make(map[string]*row, len(cs))
	for _, c := range cs {
		r := newRow(c)
		s.rows = append(s.rows, r)
		s.byName[c.Name] = r
	}
}

// applyFilter shows the rows keep lets through (nil: all) that hold every word
// of text in their hay or their status, in order.
func (s *rowSet) applyFilter(text string, keep func(*row) bool, status func(*row) (string, statusKind)) {
	words := strings.Fields(strings.ToLower(text))
	s.shown = s.shown[:0]
	clear(s.index)
	for _, r := range s.rows {
		if (keep == nil || keep(r)) && matches(r, words, status) {
			s.index[r.c.Name] = len(s.shown)
			s.shown = append(s.shown, r)
		}
	}
}

// matches: every word is in r's hay or its status.
func matches(r *row, words []string, status func(*row) (string, statusKind)) bool {
	said := ""
	for _, w := range words {
		if strings.Contains(r.hay, w) {
			continue
		}
		if said == "" {
			text, _ := status(r)
			said = strings.ToLower(text)
		}
		if !strings.Contains(said, w) {
			return false
		}
	}
	return true
}

// sortBy puts the rows in the order of col (reversed when desc), then by name.
func (s *rowSet) sortBy(col Column, desc bool, status func(*row) (string, statusKind)) {
	var said map[*row]string
	var kind map[*row]statusKind
	if col == ColumnStatus {
		said, kind = make(map[*row]string, len(s.rows)), make(map[*row]statusKind, len(s.rows))
		for _, r := range s.rows {
			said[r], kind[r] = status(r)
		}
	}
	at := func(r *row) time.Time {
		if r.c.Last == nil {
			return time.Time{}
		}
		return r.c.Last.At
	}
	slices.SortStableFunc(s.rows, func(a, b *row) int {
		var c int
		switch col {
		case ColumnApp:
			c = strings.Compare(a.title, b.title)
		case ColumnMode:
			c = strings.Compare(a.mode, b.mode)
		case ColumnStatus:
			c = cmp.Or(cmp.Compare(kind[a], kind[b]), strings.Compare(said[a], said[b]))
		case ColumnLastTest:
			c = at(a).Compare(at(b))
		}
		c = cmp.Or(c, strings.Compare(a.key, b.key), strings.Compare(a.c.Name, b.c.Name))
		if desc {
			return -c
		}
		return c
	})
}

// names are the names shown, in order.
func (s *rowSet) names() []string {
	out := make([]string, len(s.shown))
	for i, r := range s.shown {
		out[i] = r.c.Name
	}
	return out
}
