// Storelink: create, store and verify API connections to e-shops. With no
// command it opens the window; otherwise it is the command line (see
// `storelink help`). Both front ends work over one engine, built here.
package main

import (
	_ "storelink/internal/cleanlocale" // first: before Fyne reads the locale

	"fmt"
	"os"

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
		Registry: connectors.Default, Setup: open,
	}))
}

func runWindow(open func(string) (*engine.Engine, error), level string) int {
	eng, err := open(level)
	if err != nil {
		fmt.Fprintln(os.Stderr, "storelink:", err)
		return cli.ExitInvalid
	}
	defer eng.Close()
	eng.Log().WithField("version", connectors.Version).Info("window opened")
	app.New(fyneapp.NewWithID(app.AppID), eng).ShowAndRun()
	eng.Log().Info("window closed")
	return cli.ExitOK
}
