// Storelink's window program, storelink-window: create, store and verify API
// connections to e-shops. With no command it opens the window; otherwise it
// is the command line (see `storelink help`), as cmd/storelink is without
// the toolkit. Both front ends work over one engine, built here.
package main

import (
	_ "storelink/internal/cleanlocale" // first: before Fyne reads the locale

	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"storelink/app"
	"storelink/cli"
	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/engine"
	"storelink/setup"
)

func main() {
	args := os.Args[1:]
	open := func(level string) (*engine.Engine, error) {
		return setup.Open(setup.Options{LogLevel: level, Registry: connectors.Default})
	}
	if level, window := cli.WindowArgs(args); window {
		os.Exit(runWindow(open, level))
	}
	os.Exit(cli.Main(args, cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Registry: connectors.Default, Setup: open, WarmKeychain: setup.WarmKeychain,
	}))
}

func runWindow(open func(string) (*engine.Engine, error), level string) int {
	collectLater := deferCollection()
	eng, err := open(level)
	if err != nil {
		fmt.Fprintln(os.Stderr, "storelink:", err)
		return cli.ExitInvalid
	}
	defer eng.Close()
	ui, err := openWindow(eng)
	if err != nil {
		eng.Log().WithError(err).Error("the window could not open")
		fmt.Fprintf(os.Stderr, "storelink: the window cannot open: %v.\nStart it from a desktop session (over SSH: ssh -X); every command works without one: storelink help\n", err)
		return cli.ExitFailed
	}
	eng.Log().WithField("version", connectors.Version).Info("window opened")
	ui.App.Lifecycle().SetOnStarted(func() { go collectLater() })
	terms := make(chan os.Signal, 2)
	signal.Notify(terms, syscall.SIGINT, syscall.SIGTERM)
	quitWatchdog(terms, quitGrace, func(why string) {
		var stacks strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		eng.Log().WithField("goroutines", stacks.String()).Error("ended by force: " + why)
		os.Exit(cli.ExitFailed)
	})
	ui.ShowAndRun()
	eng.Log().Info("window closed")
	return cli.ExitOK
}

// openWindow builds the window. Without a display (over SSH, DISPLAY unset
// or refused) the toolkit panics creating it ("The GLFW library is not
// initialized"); that becomes an error the user can act on, not a stack.
func openWindow(eng *engine.Engine) (ui *app.UI, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = noDisplay(r)
		}
	}()
	return app.New(fyneapp.NewWithID(app.AppID), eng), nil
}

// noDisplay words the toolkit's panic: on X11 and Wayland systems, which
// display was missing or refused.
func noDisplay(r any) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return fmt.Errorf("%v", r)
	}
	d := os.Getenv("DISPLAY")
	if d == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return fmt.Errorf("no display: DISPLAY is not set (%v)", r)
	}
	return fmt.Errorf("the display %q could not be opened (%v)", d, r)
}

// deferCollection holds the garbage collector off until the window shows:
// the toolkit allocates in a burst at start-up (fonts, text shaping, the
// first frame), and collecting during it took about 20 ms of a 180 ms start
// on the 2-core machine (docs/BENCHMARKS.md).
// A memory limit bounds the heap meanwhile. The function it returns (once is
// enough; more calls do nothing) puts the collector back and hands what
// start-up no longer uses back to the OS (idle memory went from 1.21x the
// floor's to 1.11x).
func deferCollection() (collectLater func()) {
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(startupMemoryLimit)
	var once sync.Once
	return func() {
		once.Do(func() {
			debug.SetGCPercent(percent)
			debug.SetMemoryLimit(limit)
			debug.FreeOSMemory()
		})
	}
}

// startupMemoryLimit bounds the heap while the collector waits. Start-up with
// 1,000 connections reaches 35 MB of heap (19 MB live after the first
// collection; GODEBUG=gctrace=1), far below it.
const startupMemoryLimit = 256 << 20

// quitGrace is how long the window may take to end after SIGTERM or SIGINT.
const quitGrace = 5 * time.Second

// quitWatchdog ends the process if it outlives a terminating signal: the
// toolkit answers the first SIGTERM or SIGINT by stopping its run loop and
// swallows any more, so a shutdown step that blocked left a window that a
// logout or `kill` could not end (the window test once waited 14 minutes on
// one). After grace, or at a second signal, stuck runs.
func quitWatchdog(signals <-chan os.Signal, grace time.Duration, stuck func(why string)) {
	go func() {
		sig := <-signals
		select {
		case again := <-signals:
			stuck(fmt.Sprintf("a second %v", again))
		case <-time.After(grace):
			stuck(fmt.Sprintf("still running %v after %v", grace, sig))
		}
	}()
}
