package cli

// history.go: storelink history NAME (and agent history NAME): the tests a
// saved resource has had, oldest first.

import (
	"context"
	"flag"
	"fmt"
	"time"

	"storelink/connectors"
)

// TriggerCLI is the trigger of every test the command line starts.
const TriggerCLI = "cli"

func (k kind) historyCommand(_ context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet(k.prefix+"history", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	limit := fs.Int("limit", 0, "")
	pos, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) != 1:
		return usagef("%shistory takes one %s name (see `storelink %slist`)", k.prefix, k.noun, k.prefix)
	case *limit < 0:
		return usagef("--limit must be a number of tests, 1 or more (0 shows all)")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	es, err := k.of(eng).History(pos[0])
	if err != nil {
		return k.notFound(eng, pos[0], err)
	}
	if *limit > 0 && len(es) > *limit {
		es = es[len(es)-*limit:]
	}
	if !*asJSON && len(es) == 0 {
		fmt.Fprintf(c.env.Stdout, "%s has not been tested since its history began.\n", connectors.Printable(pos[0]))
		return nil
	}
	for _, e := range es {
		if *asJSON {
			if err := c.printJSON(e); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(c.env.Stdout, "%s  %-9s  %-24s  %6d ms  %s\n",
			e.Time.Local().Format(time.DateTime), e.Outcome, e.Code, e.DurationMS, e.Trigger)
	}
	return nil
}
