package app

// table_details.go: a connection's last test in detail (details.go),
// opened from a failed status, the Details button or a row's menu, with
// its application and mode among the facts.

// ShowDetails opens the details of the last test of the connection name;
// nothing when it was never tested.
func (s *ConnectionsScreen) ShowDetails(name string) {
	r := s.byName[name]
	if r == nil || r.c.Last == nil {
		return
	}
	text, kind := s.verdict(r)
	if r.c.Last.Unverified {
		text = "Unverified: saved without a passing test"
	}
	res, whole := s.lastResult(r)
	s.Details = showLastTest(s.ui.window(), lastTest{
		name: name, v: r.c.Last, headline: text, icon: s.icons[kind], res: res, whole: whole,
		own:  [][2]string{{"Application", r.title + ", " + r.mode}},
		test: func() { s.Test(name) }, edit: func() { s.ui.EditConnection(name) }, cannotRetest: s.queued[name],
	})
}
