package app

// bench_test.go: the main window with 1,000 saved connections against none
// (built, loaded, laid out and drawn once), a filter keystroke and a scroll
// among 1,000. Ratios and frames, not timed tests: `make bench`.

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"storelink/engine"
	"storelink/vault"
)

// mainWindow is what starting Storelink does up to the window being shown
// (mapped: New builds the window, its screens and menu and starts reading
// the saved connections in the background; Show maps it), and then up to the
// list shown and drawn by the test driver's software painter.
func mainWindow(b *testing.B, a fyne.App, eng *engine.Engine, l *loop) (mapped, drawn time.Duration) {
	begin := time.Now()
	u := newUI(a, eng, l.do) // starts reading the list in the background, as the program does
	u.Window.Show()
	mapped = time.Since(begin)
	l.until(b, "the list", func() bool { return !u.Connections.Loading() })
	u.Window.Canvas().Capture()
	drawn = time.Since(begin)
	u.stop()
	u.Window.Close()
	if len(u.Connections.Shown()) != len(u.Connections.rows) {
		b.Fatal("not every connection is shown")
	}
	return mapped, drawn
}

func benchEngine(b *testing.B, n int) *engine.Engine {
	dir := b.TempDir()
	store, err := vault.Open(dir, vault.NewMemorySecrets())
	if err != nil {
		b.Fatal(err)
	}
	if n > 0 {
		writeConnections(b, store, n)
	}
	conn := &script{}
	return engine.New(engine.Deps{Store: store, Registry: testRegistry(conn),
		Paths: engine.Paths{Home: dir, Connections: store.Path(), Logs: filepath.Join(dir, "storelink.log")}})
}

// BenchmarkMainWindow builds the main window with no connections and with
// 1,000, alternately in one run, and reports the ratio of the medians (the
// goal: at most 1.2x); medians, since other work on the machine lands on
// one window or the other. ns/op is one window of each.
func BenchmarkMainWindow(b *testing.B) {
	b.Setenv("LANG", "C.UTF-8")
	a := test.NewTempApp(b)
	l := newLoop()
	empty, full := benchEngine(b, 0), benchEngine(b, 1000)
	_, _ = mainWindow(b, a, empty, l) // warm caches (fonts, icons) for both
	_, _ = mainWindow(b, a, full, l)
	var mEmpty, mFull, dEmpty, dFull []time.Duration
	for b.Loop() {
		m, d := mainWindow(b, a, empty, l)
		mEmpty, dEmpty = append(mEmpty, m), append(dEmpty, d)
		m, d = mainWindow(b, a, full, l)
		mFull, dFull = append(mFull, m), append(dFull, d)
	}
	b.ReportMetric(float64(median(mEmpty))/float64(time.Millisecond), "ms-mapped-empty")
	b.ReportMetric(float64(median(mFull))/float64(time.Millisecond), "ms-mapped-1000")
	b.ReportMetric(float64(median(mFull))/float64(median(mEmpty)), "x-mapped-vs-empty")
	b.ReportMetric(float64(median(dEmpty))/float64(time.Millisecond), "ms-drawn-empty")
	b.ReportMetric(float64(median(dFull))/float64(time.Millisecond), "ms-drawn-1000")
	b.ReportMetric(float64(median(dFull))/float64(median(dEmpty)), "x-drawn-vs-empty")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// fullEnv is a shown main window over 1,000 saved connections.
func fullEnv(b *testing.B) *env {
	conn := &script{}
	e := newEnv(b, testRegistry(conn), conn)
	writeConnections(b, e.store, 1000)
	e.ui.Connections.Reload()
	e.ui.Window.Canvas().Capture()
	if len(e.ui.Connections.Shown()) != 1000 {
		b.Fatal("not 1,000 shown")
	}
	return e
}

// BenchmarkFilterKeystroke1000 is one character typed into the filter, or
// erased, with 1,000 saved connections: the table filtered and refreshed.
// The target is one frame (16.7 ms at 60 Hz), reported as frames/keystroke.
func BenchmarkFilterKeystroke1000(b *testing.B) {
	e := fullEnv(b)
	f := e.ui.Connections.filter
	back := &fyne.KeyEvent{Name: fyne.KeyBackspace}
	for b.Loop() {
		test.Type(f, "7")
		f.TypedKey(back)
	}
	if f.Text != "" || len(e.ui.Connections.Shown()) != 1000 {
		b.Fatal("the filter did not come back empty")
	}
	perKey := b.Elapsed() / time.Duration(2*b.N)
	b.ReportMetric(float64(perKey)/float64(time.Second/60), "frames/keystroke")
}

// BenchmarkScroll1000 is one mouse-wheel step over the table of 1,000
// connections (down to the end and back), the cells that come into view
// refilled; reported as frames/scroll.
func BenchmarkScroll1000(b *testing.B) {
	e := fullEnv(b)
	s := e.ui.Connections
	c := e.ui.Window.Canvas()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.table).Add(fyne.NewPos(100, 200))
	step, n := float32(-120), 0
	for b.Loop() {
		test.Scroll(c, at, 0, step)
		if n++; n%300 == 0 { // 300 steps of 120 px: most of 1,000 rows
			step = -step
		}
	}
	b.ReportMetric(float64(b.Elapsed()/time.Duration(b.N))/float64(time.Second/60), "frames/scroll")
}
