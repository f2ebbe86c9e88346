package app

// app.go: the main window, its menu and shortcuts, Quit and Help > About.
// The screens live in their own files.

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"storelink/assets"
	"storelink/connectors"
	"storelink/engine"
	"storelink/forms"
)

// UI is the Storelink window and the panes it opens.
type UI struct {
	App    fyne.App
	Window fyne.Window
	// Connections is the main screen; lists are Resources > Agents and the
	// other kinds', by kind, each built when first shown.
	Connections *ConnectionsScreen
	lists       map[string]*ResourcesScreen
	// kinds are the window's descriptors of the engine's kinds, by ID.
	kinds map[string]*descriptor
	// Picker is the application picker while it is open.
	Picker *Picker
	// Panes are the Create / Edit panes that are open, of every kind.
	Panes []*Pane
	// quitDialog asks before quitting with typed changes not saved;
	// KeepEditingButton and QuitAnywayButton are its buttons.
	quitDialog                          *dialog.CustomDialog
	keepEditingButton, quitAnywayButton *widget.Button
	quitAsking                          bool
	// aboutDialog is Help > About, once shown; Diagnostics is Help > Diagnostics.
	aboutDialog *dialog.CustomDialog
	Diagnostics *DiagnosticsDialog
	// transfer is File > Export and File > Import; openURL opens a link
	// or folder (the app's OpenURL; the tests record it).
	transfer transfer
	openURL  func(*url.URL) error

	// prefs is File > Preferences and the schedule it runs; notices tell
	// of connections that start or stop failing, and title the window.
	prefs   preferences
	notices *notices

	eng *engine.Engine
	log logrus.FieldLogger
	// clipboard clears a copied secret after a while, and at once on quit.
	clipboard *forms.SecretClipboard
	// do runs f on the UI goroutine: fyne.Do, or the tests' event loop.
	do func(f func())
	// ctx ends when the window closes, stopping every verification.
	ctx    context.Context
	stop   context.CancelFunc
	center *fyne.Container
}

// New builds the main window over the engine; ShowAndRun shows it.
func New(a fyne.App, eng *engine.Engine) *UI { return newUI(a, eng, fyne.Do) }

func newUI(a fyne.App, eng *engine.Engine, do func(func())) *UI {
	ctx, stop := context.WithCancel(context.Background())
	u := &UI{App: a, eng: eng, log: eng.Log(), do: do, ctx: ctx, stop: stop, clipboard: forms.NewSecretClipboard(a.Clipboard(), nil),
		kinds: describeKinds(eng), lists: map[string]*ResourcesScreen{}, openURL: a.OpenURL}
	u.transfer.pickImport = u.pickImportFile
	a.SetIcon(assets.AppIcon())
	useFocusRing(a)
	u.Window = a.NewWindow("Storelink")
	u.Window.SetMaster()
	u.Window.SetIcon(assets.AppIcon())
	u.Connections = newConnectionsScreen(u, eng)
	u.center = container.NewStack(u.Connections.content) // the other kinds' lists join when first shown
	u.Window.SetContent(u.center)
	u.showConnectionsScreen()
	u.Connections.LoadInBackground() // the window shows at once, however many are saved
	u.notices = newNotices(u)
	u.notices.start()
	u.prefs.start = eng.StartSchedule
	u.applySchedule()
	context.AfterFunc(ctx, u.applySchedule) // the schedule ends with the window
	u.offerSchedule()
	u.Window.SetMainMenu(u.menu())
	for _, s := range []struct {
		sc fyne.Shortcut
		fn func()
	}{
		{ctrl(fyne.KeyN), u.CreateConnection},
		{ctrl(fyne.KeyE), u.ExportFile},
		{ctrl(fyne.KeyI), u.ImportFile},
	} {
		fn := s.fn
		u.Window.Canvas().AddShortcut(s.sc, func(fyne.Shortcut) { fn() })
	}
	u.Window.SetCloseIntercept(u.Quit)
	u.Window.SetOnClosed(func() {
		u.clipboard.ClearNow() // a copied secret does not outlive the window
		u.stop()
		for _, p := range append([]*Pane(nil), u.Panes...) {
			p.close()
		}
	})
	u.Window.Resize(fyne.NewSize(900, 600))
	return u
}

// ShowAndRun shows the window and runs the application until it closes.
// The list is read in the background from newUI: the window does not wait
// for it (4.5 ms with 1,000 connections, and a row each to build).
func (u *UI) ShowAndRun() {
	u.Window.ShowAndRun()
}

// runContext ends when the window closes; post runs f on the UI goroutine.
func (u *UI) runContext() context.Context { return u.ctx }
func (u *UI) post(f func())               { u.do(f) }

// window is the main window, for the screens' dialogs.
func (u *UI) window() fyne.Window { return u.Window }

func ctrl(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func (u *UI) menu() *fyne.MainMenu {
	create := fyne.NewMenuItem("+ Create connection", u.CreateConnection)
	create.Shortcut = ctrl(fyne.KeyN)
	// Labelled "Quit" so Fyne does not add one of its own; Ctrl+Q reaches it from anywhere in the window.
	export := fyne.NewMenuItem("Export...", u.ExportFile)
	export.Shortcut = ctrl(fyne.KeyE)
	imp := fyne.NewMenuItem("Import...", u.ImportFile)
	imp.Shortcut = ctrl(fyne.KeyI)
	quit := fyne.NewMenuItem("Quit", u.Quit)
	quit.Shortcut = ctrl(fyne.KeyQ)
	return fyne.NewMainMenu(
		fyne.NewMenu("File", create, fyne.NewMenuItem("Test all", u.Connections.TestAll), fyne.NewMenuItemSeparator(),
			export, imp, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Preferences...", u.ShowPreferences),
			fyne.NewMenuItemSeparator(), quit),
		fyne.NewMenu("Resources", u.resourceItems()...),
		fyne.NewMenu("Help", fyne.NewMenuItem("Diagnostics", u.ShowDiagnostics), fyne.NewMenuItem("About", u.ShowAbout)),
	)
}

// Quit closes Storelink (Ctrl+Q, File > Quit, closing the main window).
// When a pane holds typed changes that are not saved it asks first, naming
// the connections, instead of dropping them with the window.
func (u *UI) Quit() {
	var unsaved []string
	for _, p := range u.Panes {
		if name := p.unsaved(); name != "" {
			unsaved = append(unsaved, name)
		}
	}
	if len(unsaved) == 0 {
		u.Window.Close()
		return
	}
	if u.quitAsking {
		return
	}
	msg := widget.NewLabel(fmt.Sprintf("What you typed for %s is not saved. Quit anyway and lose it?", strings.Join(unsaved, ", ")))
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	keepEditing := func() { d.Hide() } // also Esc
	keep := newDialogButton("Keep editing", keepEditing, keepEditing)
	quit := newDialogButton("Quit anyway", func() {
		d.Hide()
		u.Window.Close()
	}, keepEditing)
	quit.Importance = widget.DangerImportance
	u.keepEditingButton, u.quitAnywayButton = &keep.Button, &quit.Button
	d = dialog.NewCustomWithoutButtons("Quit Storelink?", msg, u.Window)
	d.SetButtons([]fyne.CanvasObject{keep, quit})
	d.Resize(fyne.NewSize(420, 180))
	d.SetOnClosed(func() { u.quitAsking = false })
	u.quitDialog, u.quitAsking = d, true
	showDialog(u.Window, d, keepEditing)
	u.Window.Canvas().Focus(keep) // Enter, Space and Esc keep editing
}

// ShowConnections switches the window to the connections list.
func (u *UI) ShowConnections() {
	u.showConnectionsScreen()
	u.Connections.Reload()
}

func (u *UI) showConnectionsScreen() {
	for _, l := range u.lists {
		l.content.Hide()
	}
	u.Connections.content.Show()
	u.Window.Canvas().Focus(u.Connections.filter)
}

// resourceItems are Resources > Connections, then every other kind the
// engine has, each opening its list: Agents, and any kind Deps.Kinds adds.
func (u *UI) resourceItems() []*fyne.MenuItem {
	items := []*fyne.MenuItem{fyne.NewMenuItem("Connections", u.ShowConnections)}
	for _, id := range u.eng.KindIDs() {
		if id == engine.KindConnection {
			continue
		}
		items = append(items, fyne.NewMenuItem(u.kind(id).plural, func() { u.ShowResources(id) }))
	}
	return items
}

// ShowAgents switches the window to the agents list.
func (u *UI) ShowAgents() { u.ShowResources(engine.KindAgent) }

// ShowResources switches the window to the list of the kind id.
func (u *UI) ShowResources(id string) {
	l := u.lists[id]
	if l == nil {
		// Built on first use: laying out its wrapped texts while hidden cost
		// every start-up several milliseconds.
		l = newResourcesScreen(u, u.eng, u.kind(id), u.eng.Of(id))
		u.lists[id] = l
		u.center.Add(l.content)
	}
	u.Connections.content.Hide()
	for _, other := range u.lists {
		if other != l {
			other.content.Hide()
		}
	}
	l.Reload()
	l.content.Show()
	u.Window.Canvas().Focus(l.addButton) // Add first: what an empty list asks for
}

// ShowAbout tells the version and where settings, logs and secrets live.
func (u *UI) ShowAbout() {
	p := u.eng.Paths()
	// Paths break anywhere (they have no spaces); words, and the keychain's
	// service ID, only between words.
	row := func(label, value string, wrap fyne.TextWrap) []fyne.CanvasObject {
		v := widget.NewLabel(value)
		v.Selectable = true
		v.Wrapping = wrap
		return []fyne.CanvasObject{widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), v}
	}
	var cells []fyne.CanvasObject
	cells = append(cells, row("Version", connectors.Version, fyne.TextWrapWord)...)
	cells = append(cells, row("Settings", p.Connections, fyne.TextWrapBreak)...)
	cells = append(cells, row("Home", p.Home, fyne.TextWrapBreak)...)
	cells = append(cells, row("", "To keep Storelink's files elsewhere, start it with the STORELINK_HOME environment variable set to a folder.", fyne.TextWrapWord)...)
	cells = append(cells, row("Logs", p.Logs, fyne.TextWrapBreak)...)
	cells = append(cells, row("Secrets", p.Keychain, fyne.TextWrapWord)...)
	intro := widget.NewLabel("Storelink creates, stores and verifies API connections to " + titles(u.eng.Registry().All()) + " stores. Secrets are kept only in the OS keychain, never in the settings file or the log.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(intro, nil, nil, nil, container.New(layout.NewFormLayout(), cells...))
	d := dialog.NewCustomWithoutButtons("About Storelink", content, u.Window)
	closeButton := newDialogButton("Close", d.Hide, d.Hide)
	d.SetButtons([]fyne.CanvasObject{closeButton})
	d.Resize(fyne.NewSize(640, 360))
	u.aboutDialog = d
	showDialog(u.Window, d, d.Hide)
	u.Window.Canvas().Focus(closeButton)
}

// choices feeds forms' ChoicesFrom fields from the engine.
func (u *UI) choices(exclude string) func(string) []string {
	return func(source string) []string { return u.eng.Choices(source, exclude) }
}
