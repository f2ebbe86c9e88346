package cli

import (
	"context"
	"fmt"

	"storelink/connectors/prestashop"
)

func cmdPrestaShop(_ context.Context, c *call, args []string) error {
	if len(args) != 1 || args[0] != "genkey" {
		return usagef("usage: storelink prestashop genkey")
	}
	key, err := prestashop.GenerateKey()
	if err != nil {
		return err
	}
	// The key is meant to be copied into the back office: printing it is the point.
	fmt.Fprintln(c.env.Stdout, key)
	return nil
}
