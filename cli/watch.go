package cli

// watch.go: `storelink watch`, re-tests on a schedule for a machine without
// a window (cron, a systemd user timer, Windows Task Scheduler): it tests
// what is due, records each outcome like `storelink test`, and prints one
// line per change of state.

import (
	"context"
	"flag"
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"storelink/connectors"
	"storelink/engine"
)

// watchLine is one change of state, as `watch --json` prints it.
type watchLine struct {
	Name string          `json:"name"`
	Kind string          `json:"kind"`
	From string          `json:"from"` // verified, warning, failed, unverified
	To   string          `json:"to"`
	Code connectors.Code `json:"code"`
	// FromCode is the failure's code before, when it failed before too
	// and now fails for another reason.
	FromCode connectors.Code `json:"from_code,omitempty"`
	Time     time.Time       `json:"time"`
}

func cmdWatch(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	every := fs.Duration("every", time.Hour, "")
	once := fs.Bool("once", false, "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(rest) > 0:
		return usagef("watch takes no names; it re-tests every saved connection and agent whose last test is older than --every")
	case *every <= 0:
		return usagef("--every must be a positive duration such as 1h or 30m")
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM) // Main's context ends on an interrupt
	defer stop()
	s := engine.Schedule{Every: *every}
	held := map[string]string{}
	for {
		round, err := eng.RunSchedule(ctx, s)
		if ctx.Err() != nil {
			break // interrupted: what finished is recorded, the rest is not
		}
		if err != nil {
			return err
		}
		if err := c.printRound(round, held, *asJSON); err != nil {
			return err
		}
		if *once {
			break
		}
		wait := time.NewTimer(max(min(*every, time.Minute), time.Second))
		select {
		case <-ctx.Done():
		case <-wait.C:
		}
		wait.Stop()
		if ctx.Err() != nil {
			break
		}
	}
	return failing(eng)
}

// printRound prints a line per change of state on standard output, and on
// standard error why a resource was left alone (once per reason).
func (c *call) printRound(round engine.Round, held map[string]string, asJSON bool) error {
	for _, p := range round.Plans {
		key := p.Kind + "/" + p.Name
		if p.Held != "" && held[key] != p.Held {
			fmt.Fprintln(c.env.Stderr, connectors.Printable(p.Held))
		}
		held[key] = p.Held
	}
	for _, s := range round.Tested {
		t := s.Tested
		if t.Skipped != "" {
			fmt.Fprintln(c.env.Stderr, connectors.Printable(t.Skipped))
			continue
		}
		if t.Result.Code == connectors.CodeCanceled {
			continue
		}
		from := engine.Status(s.Before).State
		saved, err := c.eng.Of(s.Kind).Get(t.Name)
		if err != nil {
			continue // deleted meanwhile
		}
		after := engine.Status(saved.Last)
		var fromCode connectors.Code
		if from == engine.StateFailed && after.State == from && s.Before.Code != after.Code {
			fromCode = s.Before.Code // failing still, for another reason
		}
		if after.State == from && fromCode == "" {
			continue
		}
		line := watchLine{Name: t.Name, Kind: s.Kind, From: string(from), To: string(after.State), Code: t.Result.Code, FromCode: fromCode, Time: after.At.UTC()}
		if asJSON {
			if err := c.printJSON(line); err != nil {
				return err
			}
			continue
		}
		code := string(line.Code)
		if fromCode != "" {
			code += ", was " + string(fromCode)
		}
		fmt.Fprintf(c.env.Stdout, "%s %s %s: %s -> %s (%s)\n", line.Time.Local().Format("2006-01-02 15:04"), s.Kind,
			connectors.Printable(t.Name), line.From, line.To, code)
	}
	return nil
}

// failing is exit status 1 when any saved connection or agent's last test
// failed.
func failing(eng *engine.Engine) error {
	n := 0
	for _, id := range eng.KindIDs() {
		list, err := eng.Of(id).List()
		if err != nil {
			return err
		}
		for _, r := range list {
			if engine.Status(r.Last).State == engine.StateFailed {
				n++
			}
		}
	}
	if n > 0 {
		return failedError{msg: fmt.Sprintf("%d saved connections or agents are failing", n), silent: true}
	}
	return nil
}
