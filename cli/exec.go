package cli

// exec.go: `storelink exec NAME... -- COMMAND [ARGS...]` runs a program with
// saved connections' settings and secrets in its environment, for its
// lifetime only, as `op run` does: no file, no command line and no log line
// holds a secret, and the program's output passes with every secret masked.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"storelink/connectors"
	"storelink/redact"
)

// ExitNotFound is exec's status when the program is not found, as a shell's.
const ExitNotFound = 127

// exitStatus ends an invocation with a program's own status; its words were
// the program's to print.
type exitStatus struct{ code int }

func (e exitStatus) Error() string { return fmt.Sprintf("the program ended with status %d", e.code) }

const execUsage = "storelink exec [--no-masking] NAME [NAME...] -- COMMAND [ARGS...], or storelink exec --list NAME [NAME...]"

func cmdExec(_ context.Context, c *call, args []string) error {
	before, command, dashes := cutDashes(args)
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	noMasking := fs.Bool("no-masking", false, "")
	list := fs.Bool("list", false, "")
	names, err := parse(fs, before)
	if err != nil {
		return err
	}
	switch {
	case len(names) == 0:
		return usagef("exec needs the name of a saved connection: %s", execUsage)
	case *list && dashes:
		return usagef("exec --list prints the variables' names and runs nothing; leave out -- and the command")
	case !*list && (!dashes || len(command) == 0):
		return usagef("exec needs the command to run after --: %s", execUsage)
	}
	if !*list && c.env.WarmKeychain != nil {
		c.env.WarmKeychain() // meanwhile the engine opens and reads the connections
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	if *list {
		listed, err := eng.EnvNames(names...)
		if err == nil {
			fmt.Fprintln(c.env.Stdout, strings.Join(listed, "\n"))
		}
		return err
	}
	vars, err := eng.Env(names...)
	if err != nil {
		return err
	}
	varNames := make([]string, len(vars))
	for i, v := range vars {
		varNames[i] = v.Name
	}
	log := eng.Log().WithField("connections", names).WithField("variables", varNames)
	path, err := exec.LookPath(command[0])
	if errors.Is(err, exec.ErrDot) {
		fmt.Fprintf(c.env.Stderr, "storelink: exec: the program %q is in the current folder, which exec does not search; run it as ./%s\n", connectors.Printable(command[0]), connectors.Printable(command[0]))
		return exitStatus{ExitNotFound}
	}
	if err != nil {
		fmt.Fprintf(c.env.Stderr, "storelink: exec: the program %q was not found; give its path, or a command on your PATH\n", connectors.Printable(command[0]))
		return exitStatus{ExitNotFound}
	}
	log.WithField("program", command[0]).Info("exec")
	cmd := exec.Command(path, command[1:]...)
	cmd.Args[0] = command[0] // argv is what the user typed, nothing more
	cmd.Env = os.Environ()
	for _, v := range vars {
		cmd.Env = append(cmd.Env, v.Name+"="+v.Value) // a later one wins over the inherited
	}
	cmd.Stdin = c.env.Stdin
	cmd.Stdout, cmd.Stderr = c.env.Stdout, c.env.Stderr
	var masks []*redact.Writer
	if !*noMasking {
		out := redact.NewWriter(eng.Redactor(), c.env.Stdout, 0)
		errOut := redact.NewWriter(eng.Redactor(), c.env.Stderr, 0)
		masks = []*redact.Writer{out, errOut}
		cmd.Stdout, cmd.Stderr = out, errOut
	}
	code, err := run(cmd)
	for _, m := range masks {
		_ = m.Close() // a closed terminal: nothing is left to tell
	}
	if err != nil {
		return fmt.Errorf("exec: the program %q could not be run, or its output not passed on: %w; check that it is a program this computer can run", command[0], err)
	}
	log.WithField("status", code).Info("exec ended")
	if code != 0 {
		return exitStatus{code}
	}
	return nil
}

// cutDashes splits args at the first "--".
func cutDashes(args []string) (before, after []string, found bool) {
	for i, a := range args {
		if a == "--" {
			return args[:i], args[i+1:], true
		}
	}
	return args, nil, false
}

// forwarded are the signals passed on to the program, which decides what
// they mean; Storelink waits for it to end.
var forwarded = []os.Signal{os.Interrupt, syscall.SIGTERM}

// run starts cmd, passes it the signals Storelink gets and returns its
// status: a program killed by a signal gives 128 plus the signal's number,
// as shells report it.
func run(cmd *exec.Cmd) (int, error) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s) // it may have just ended
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if cmd.ProcessState == nil {
		return 0, err
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return cmd.ProcessState.ExitCode(), err // the output could not be copied
	}
	return cmd.ProcessState.ExitCode(), nil
}

// execHelp is `storelink help exec`: what exec does and every platform's
// variables, from the platforms' field declarations.
func execHelp(reg *connectors.Registry) string {
	var b strings.Builder
	b.WriteString(`Usage: ` + execUsage + `

Runs COMMAND (found on your PATH, no shell) with the saved connections'
settings and secrets in environment variables, for its lifetime only. Its
standard output and error pass through with every secret masked
(--no-masking shows them); exec ends with its exit status. Storelink writes no
secret to a file, a command line or its log. --list prints the names of a
connection's variables (no values).

With several connections, every variable starts with the connection's name
in upper case, other characters than letters and digits as _ (shop.cz:
SHOP_CZ_STORELINK_URL, SHOP_CZ_PRESTASHOP_API_KEY).

Not set: mode, agent, concurrency_level, borrow_concurrency_from (how
Storelink itself reaches and paces the store), fields hidden by the
connection's choices, and empty fields. An on-premise connection is refused:
its store answers only through the agent (use storelink api).

Every connection:
  STORELINK_NAME     the connection's name
  STORELINK_APP      the application ID (prestashop, magento2...)
  STORELINK_URL      the Shop address with its scheme
  STORELINK_API_URL  the API root, where storelink api sends requests
`)
	for _, info := range reg.All() {
		fmt.Fprintf(&b, "\n%s (%s):\n", info.Title, info.ID)
		for _, v := range connectors.EnvNames(info) {
			if v.Key == "" {
				continue
			}
			f, _ := info.Field(v.Key)
			secret := ""
			if v.Secret {
				secret = " (secret)"
			}
			fmt.Fprintf(&b, "  %-34s %s%s\n", v.Name, f.Label, secret)
		}
	}
	return b.String()
}
