package app

// connections.go: the main screen, the saved connections with their last
// verification, a filter box and the row actions Edit, Test, Clone, Delete.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// ConnectionsScreen is the list of saved connections.
type ConnectionsScreen struct {
	ui            *UI
	Filter        *widget.Entry
	CreateButton  *widget.Button
	TestAllButton *widget.Button
	// Rows are the shown connections by name.
	Rows map[string]*ConnectionRow
	// Empty explains what to do first when nothing is saved; NoMatch when
	// the filter hides everything; Problem when the settings cannot be read.
	Empty   *fyne.Container
	NoMatch *widget.Label
	Problem *widget.Label
	Content *fyne.Container

	// The open delete confirmation, for tests.
	DeleteDialog                    *dialog.CustomDialog
	ConfirmDeleteButton, KeepButton *widget.Button
	list                            *fyne.Container
	testing                         map[string]bool
	connections                     []vault.Connection
}

// ConnectionRow is one saved connection in the list.
type ConnectionRow struct {
	Connection                vault.Connection
	Icon                      *widget.Icon
	Name, Details, Status     *widget.Label
	Edit, Test, Clone, Delete *widget.Button
	Box                       *fyne.Container
}

func newConnectionsScreen(u *UI) *ConnectionsScreen {
	s := &ConnectionsScreen{ui: u, Rows: map[string]*ConnectionRow{}, testing: map[string]bool{}}
	s.Filter = widget.NewEntry()
	s.Filter.SetPlaceHolder("Filter by name, application or mode")
	s.Filter.OnChanged = func(string) { s.render() }
	s.CreateButton = widget.NewButtonWithIcon("Create connection", theme.ContentAddIcon(), u.CreateConnection)
	s.CreateButton.Importance = widget.HighImportance
	s.TestAllButton = widget.NewButtonWithIcon("Test all", theme.MediaPlayIcon(), s.TestAll)
	toolbar := container.NewBorder(nil, nil, nil, container.NewHBox(s.TestAllButton, s.CreateButton), s.Filter)

	title := widget.NewLabelWithStyle("No connections yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	explain := widget.NewLabel("A connection lets Storelink talk to your shop's API. Click \"+ Create connection\" (Ctrl+N), " +
		"pick your shop's platform (" + titles(u.eng.Registry().All()) + "), enter the shop's address and the API key or tokens " +
		"from its back office, then Save. Storelink tests the connection before saving it, and keeps the secrets in the OS keychain.")
	explain.Wrapping = fyne.TextWrapWord
	explain.Alignment = fyne.TextAlignCenter
	icon := widget.NewIcon(assets.AppIcon())
	iconBox := container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), icon))
	start := widget.NewButtonWithIcon("Create connection", theme.ContentAddIcon(), u.CreateConnection)
	start.Importance = widget.HighImportance
	s.Empty = container.NewVBox(layout.NewSpacer(), iconBox, title, explain, container.NewCenter(start), layout.NewSpacer())
	s.NoMatch = widget.NewLabel("")
	s.NoMatch.Wrapping = fyne.TextWrapWord
	s.Problem = widget.NewLabel("")
	s.Problem.Wrapping = fyne.TextWrapWord
	s.Problem.Importance = widget.DangerImportance
	s.list = container.NewVBox()
	body := container.NewStack(container.NewVScroll(container.NewVBox(s.Problem, s.NoMatch, s.list)), container.NewPadded(s.Empty))
	s.Content = container.NewBorder(toolbar, nil, nil, nil, body)
	return s
}

// Reload reads the saved connections and shows them.
func (s *ConnectionsScreen) Reload() {
	cs, err := s.ui.eng.List()
	if err != nil {
		s.Problem.SetText("Could not read the saved connections: " + err.Error())
		s.Problem.Show()
		s.ui.log.WithError(err).Error("cannot list connections")
	} else {
		s.Problem.Hide()
	}
	s.connections = cs
	s.render()
}

func (s *ConnectionsScreen) render() {
	filter := strings.ToLower(strings.TrimSpace(s.Filter.Text))
	s.Rows = map[string]*ConnectionRow{}
	var objs []fyne.CanvasObject
	for _, c := range s.connections {
		title := c.App
		if info, ok := s.ui.eng.Registry().Lookup(c.App); ok {
			title = info.Title
		}
		hay := strings.ToLower(c.Name + " " + title + " " + c.App + " " + c.Mode())
		if filter != "" && !strings.Contains(hay, filter) {
			continue
		}
		r := s.newRow(c, title)
		s.Rows[c.Name] = r
		objs = append(objs, r.Box, widget.NewSeparator())
	}
	s.list.Objects = objs
	s.list.Refresh()
	switch {
	case len(s.connections) == 0 && s.Problem.Hidden:
		s.Empty.Show()
		s.NoMatch.Hide()
	case len(objs) == 0 && len(s.connections) > 0:
		s.Empty.Hide()
		s.NoMatch.SetText(fmt.Sprintf("No connection matches %q. Clear the filter to see all %d.", s.Filter.Text, len(s.connections)))
		s.NoMatch.Show()
	default:
		s.Empty.Hide()
		s.NoMatch.Hide()
	}
	s.TestAllButton.Disable()
	if len(s.connections) > 0 {
		s.TestAllButton.Enable()
	}
}

func (s *ConnectionsScreen) newRow(c vault.Connection, title string) *ConnectionRow {
	info, _ := s.ui.eng.Registry().Lookup(c.App)
	r := &ConnectionRow{
		Connection: c,
		Icon:       widget.NewIcon(assets.Icon(info.Icon)),
		Name:       widget.NewLabelWithStyle(c.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Details:    widget.NewLabel(title + " · " + modeTitle(c.Mode())),
		Status:     widget.NewLabel(""),
	}
	r.Name.Truncation = fyne.TextTruncateEllipsis
	r.Status.Truncation = fyne.TextTruncateEllipsis
	r.Status.Text, r.Status.Importance = verificationText(c.Last, time.Now())
	if s.testing[c.Name] {
		r.Status.Text, r.Status.Importance = "Testing...", widget.MediumImportance
	}
	name := c.Name
	r.Edit = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), func() { s.ui.EditConnection(name) })
	r.Test = widget.NewButtonWithIcon("Test", theme.MediaPlayIcon(), func() { s.Test(name) })
	r.Clone = widget.NewButtonWithIcon("Clone", theme.ContentCopyIcon(), func() { s.ui.CloneConnection(name) })
	r.Delete = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { s.AskDelete(name) })
	if s.testing[c.Name] {
		r.Test.Disable()
	}
	text := container.NewVBox(r.Name, container.NewHBox(r.Details, r.Status))
	icon := container.NewCenter(container.NewGridWrap(fyne.NewSize(32, 32), r.Icon))
	r.Box = container.NewBorder(nil, nil, icon, container.NewHBox(r.Edit, r.Test, r.Clone, r.Delete), text)
	return r
}

func modeTitle(mode string) string {
	if mode == connectors.ModeOnPremise {
		return "On-premise"
	}
	return "Cloud"
}

// verificationText says how the last test went and when.
func verificationText(v *vault.Verification, now time.Time) (string, widget.Importance) {
	switch {
	case v == nil:
		return "Not tested yet", widget.LowImportance
	case v.Unverified:
		return "Unverified, saved without a passing test · " + ago(v.At, now), widget.WarningImportance
	case v.OK:
		return "Verified · " + ago(v.At, now), widget.SuccessImportance
	default:
		return "Failed: " + string(v.Code) + " · " + ago(v.At, now), widget.DangerImportance
	}
}

func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "unknown time"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	default:
		return t.Local().Format("2 Jan 2006 15:04")
	}
}

// Test tests one saved connection with its secrets from the keychain; the
// engine records the outcome.
func (s *ConnectionsScreen) Test(name string) {
	s.TestMany([]string{name})
}

// TestAll tests every saved connection, a few at a time.
func (s *ConnectionsScreen) TestAll() {
	var names []string
	for _, c := range s.connections {
		names = append(names, c.Name)
	}
	s.TestMany(names)
}

// TestMany tests the named connections in the background; each row says
// "Testing..." while its test runs.
func (s *ConnectionsScreen) TestMany(names []string) {
	var todo []string
	for _, n := range names {
		if !s.testing[n] {
			s.testing[n] = true
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return
	}
	s.render()
	eng, u := s.ui.eng, s.ui
	start(u, job[[]engine.Tested]{
		work: func(ctx context.Context, _ func(string)) []engine.Tested {
			return eng.TestMany(ctx, todo, engine.TestOptions{}, func(ev engine.Event) {
				if ev.Started {
					return
				}
				u.do(func() {
					delete(s.testing, todo[ev.Index])
					s.Reload()
				})
			})
		},
		finish: func([]engine.Tested, bool) {
			for _, n := range todo {
				delete(s.testing, n)
			}
			s.Reload()
		},
	})
}

// AskDelete asks for confirmation, naming the connection.
func (s *ConnectionsScreen) AskDelete(name string) {
	msg := widget.NewLabel(fmt.Sprintf("Delete the connection %q? Its secrets are removed from the OS keychain too. This cannot be undone.", name))
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	keepIt := func() { d.Hide() } // also Esc
	keep := newDialogButton("Keep it", keepIt, keepIt)
	confirm := newDialogButton("Delete "+name, func() {
		d.Hide()
		s.delete(name)
	}, keepIt)
	confirm.Icon, confirm.Importance = theme.DeleteIcon(), widget.DangerImportance
	s.KeepButton, s.ConfirmDeleteButton = &keep.Button, &confirm.Button
	d = dialog.NewCustomWithoutButtons("Delete connection", msg, s.ui.Window)
	d.SetButtons([]fyne.CanvasObject{keep, confirm})
	d.Resize(fyne.NewSize(460, 200))
	s.DeleteDialog = d
	showDialog(s.ui.Window, d, keepIt)
	s.ui.Window.Canvas().Focus(keep) // Enter, Space and Esc keep it
}

func (s *ConnectionsScreen) delete(name string) {
	eng := s.ui.eng
	go func() {
		err := eng.Delete(name) // the keychain may be slow: not on the UI goroutine
		s.ui.do(func() {
			if err != nil {
				s.ui.showError("Delete "+name, err)
			}
			s.Reload()
		})
	}()
}

func (u *UI) showError(title string, err error) {
	u.log.WithError(err).Warn(title)
	msg := widget.NewLabel(u.eng.Redact(err.Error()))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", msg, u.Window)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}
