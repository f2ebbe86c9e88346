// Storelink: create, store and verify API connections to PrestaShop,
// Magento 2 and Upgates stores. With no command it opens the window;
// otherwise it is the command line (see `storelink help`).
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
)

func main() {
	args := os.Args[1:]
	if level, window := cli.WindowArgs(args); window {
		os.Exit(runWindow(level))
	}
	os.Exit(cli.Main(args, cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Registry: connectors.Default,
		Setup: func(level string) (*cli.Runtime, error) {
			return cli.Setup(cli.SetupOptions{LogLevel: level})
		},
	}))
}

func runWindow(level string) int {
	rt, err := cli.Setup(cli.SetupOptions{LogLevel: level})
	if err != nil {
		fmt.Fprintln(os.Stderr, "storelink:", err)
		return cli.ExitInvalid
	}
	defer rt.Close()
	rt.Log.WithField("version", connectors.Version).Info("window opened")
	ui := app.New(fyneapp.NewWithID(app.AppID), app.Deps{
		Store: rt.Vault, Registry: connectors.Default, Log: rt.Log, Redactor: rt.Redactor,
		Client: rt.Client, State: rt.State,
		Paths: app.Paths{
			Home: rt.Home, Connections: rt.Vault.Path(), Logs: rt.LogPath(),
			Keychain: cli.KeychainDescription(),
		},
	})
	ui.ShowAndRun()
	rt.Log.Info("window closed")
	return cli.ExitOK
}
