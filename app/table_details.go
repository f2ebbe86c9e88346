package app

// table_details.go: a connection's last test in detail (details.go),
// opened from a failed status, the Details button or a row's menu, with
// its application and mode among the facts, the store's admin to open and
// a report to copy for support.

import (
	"cmp"
	"fmt"
	"strings"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// ShowDetails opens the details of the last test of the connection name;
// nothing when it was never tested.
func (s *ConnectionsScreen) ShowDetails(name string) {
	r := s.byName[name]
	if r == nil || r.c.Last == nil {
		return
	}
	text, kind := s.verdict(r)
	res, whole := s.lastResult(r)
	admin := ""
	var try func()
	if info, ok := s.eng.Registry().Lookup(r.c.App); ok {
		if info.AdminURL != nil {
			admin = info.AdminURL(r.c.Values)
		}
		if info.API != nil && info.API.Root != nil {
			try = func() { s.TryRequest(name) }
		}
	}
	s.Details = showLastTest(s.ui.window(), lastTest{
		name: name, v: r.c.Last, headline: text, icon: s.icons[kind], res: res, whole: whole,
		own:  [][2]string{{"Application", r.title + ", " + r.mode}},
		test: func() { s.Test(name) }, edit: func() { s.ui.EditConnection(name) }, cannotRetest: s.queued[name],
		admin: admin, open: s.openAddress, try: try, report: s.eng.Redact(report(r, res, whole)),
		history: func() ([]vault.HistoryEntry, error) { return s.eng.Of(engine.KindConnection).History(name) }, post: s.ui.post,
	})
}

// report is the last test of r in plain text for support: what a person
// would otherwise read out from the screen, without the connection's values.
func report(r *row, res connectors.Result, whole bool) string {
	v := r.c.Last
	st := engine.Status(v)
	var b strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, value)
		}
	}
	line("Storelink", connectors.Version)
	line("Connection", r.c.Name)
	line("Platform", r.title+", "+r.mode)
	line("Status", st.Words)
	line("Why unverified", st.Reason)
	line("Code", string(v.Code))
	line("Tested", v.At.UTC().Format("2006-01-02 15:04:05 UTC"))
	var p connectors.Presentation // known in full when the test ran in this session
	if whole {
		p = connectors.Present(res)
		line("Headline", cmp.Or(p.Headline, v.Message))
		line("Reason", p.Reason)
	} else {
		line("Headline", v.Message)
		line("What to do", v.Hint)
	}
	for i, step := range p.Steps {
		fmt.Fprintf(&b, "Step %d: %s\n", i+1, step.Text)
		if step.Copy != "" {
			fmt.Fprintf(&b, "    %s\n", step.Copy)
		}
	}
	for _, w := range st.Warnings {
		line("Warning", string(w.Code)+": "+w.Message)
	}
	for _, d := range p.Technical {
		line(d.Label, d.Value)
	}
	return b.String()
}
