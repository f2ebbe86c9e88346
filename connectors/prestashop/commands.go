package prestashop

// commands.go: `storelink prestashop genkey`, declared here and run by the
// command line without it knowing PrestaShop.

import (
	"context"
	"fmt"

	"storelink/connectors"
)

func commands() []connectors.Command {
	return []connectors.Command{{
		Name: "genkey", Summary: "make a 32-character PrestaShop webservice key",
		Run: func(_ context.Context, env connectors.CommandEnv, args []string) error {
			if len(args) > 0 {
				return connectors.Usagef("usage: storelink prestashop genkey")
			}
			key, err := GenerateKey()
			if err != nil {
				return err
			}
			// The key is meant to be copied into the back office: printing it is the point.
			fmt.Fprintln(env.Stdout, key)
			return nil
		},
	}}
}
