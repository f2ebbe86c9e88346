// Storelink's command line program, `storelink`: every command of
// `storelink help`, without the window's toolkit. Linking Fyne made each
// command load the GL and X libraries and initialise the toolkit's packages
// (its translations alone take 1.5 ms): `storelink test NAME` took 14.4 ms
// against 10.5 ms without them. Built without cgo, `storelink version` takes
// about 5 ms, against 10 ms for the window program. With no
// command it runs the window program installed beside it (the root package,
// built as storelink-window), so `storelink` alone still opens the window.
package main

import (
	"os"

	"storelink/cli"
	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/engine"
	"storelink/internal/launch"
	"storelink/setup"
)

func main() {
	args := os.Args[1:]
	if _, window := cli.WindowArgs(args); window {
		os.Exit(launch.Window(args, os.Stderr))
	}
	os.Exit(cli.Main(args, cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Registry: connectors.Default,
		Setup: func(level string) (*engine.Engine, error) {
			return setup.Open(setup.Options{LogLevel: level, Registry: connectors.Default})
		},
		WarmKeychain: setup.WarmKeychain,
	}))
}
