package cli

// transfer.go: `storelink export` and `storelink import`, moving saved
// connections and agents to another computer. The passphrase of an export
// with secrets is asked at the terminal without echo (twice on export), or
// read as the first line of standard input with --passphrase-stdin: never
// from argv, where other users and shell history would see it.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"storelink/connectors"
	"storelink/engine"
)

// maxPassphrase is the longest passphrase line read from standard input.
const maxPassphrase = 4096

func cmdExport(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	withSecrets := fs.Bool("with-secrets", false, "")
	fromStdin := fs.Bool("passphrase-stdin", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("export takes one file name: storelink export FILE [--with-secrets]")
	}
	if *fromStdin && !*withSecrets {
		return usagef("--passphrase-stdin goes with --with-secrets: a file of settings alone is not encrypted")
	}
	path := pos[0]
	if err := engine.CheckExportTarget(path); err != nil {
		return usagef("%v", err)
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	o := engine.ExportOptions{WithSecrets: *withSecrets}
	if o.WithSecrets {
		if o.Passphrase, err = c.passphrase(ctx, *fromStdin, true); err != nil {
			return err
		}
	}
	sum, err := eng.ExportFile(path, o)
	if err := transferUsage(err); err != nil {
		return err
	}
	what := "settings only, no secrets: on the other computer, enter each connection's secrets after importing"
	if sum.WithSecrets {
		what = "settings and secrets, encrypted with your passphrase: keep the passphrase apart from the file"
	}
	fmt.Fprintf(c.env.Stdout, "Exported %s and %s to %s (%s).\n", count(sum.Connections, "connection"), count(sum.Agents, "agent"), connectors.Printable(path), what)
	return nil
}

func cmdImport(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	onConflict := fs.String("on-conflict", "", "")
	fromStdin := fs.Bool("passphrase-stdin", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import takes one file name: storelink import FILE [--on-conflict skip|rename|replace]")
	}
	on := engine.Conflict(*onConflict)
	switch on {
	case engine.ConflictRefuse, engine.ConflictSkip, engine.ConflictRename, engine.ConflictReplace:
	default:
		return usagef("--on-conflict must be skip, rename or replace, not %q", *onConflict)
	}
	eng, err := c.engine()
	if err != nil {
		return err
	}
	im, err := eng.OpenImport(pos[0], func() (string, error) { return c.passphrase(ctx, *fromStdin, false) })
	if err := transferUsage(err); err != nil {
		return err
	}
	rep, err := eng.Import(im, on)
	var ce *engine.ConflictError
	if errors.As(err, &ce) {
		return usagef("%v (--on-conflict skip, rename or replace)", err)
	}
	if err := transferUsage(err); err != nil {
		return err
	}
	saved := 0
	for _, it := range rep.Items {
		name := connectors.Printable(it.Name)
		switch it.Action {
		case "renamed":
			fmt.Fprintf(c.env.Stdout, "renamed  %s %q as %q\n", it.Kind, name, connectors.Printable(it.SavedAs))
		case "skipped":
			fmt.Fprintf(c.env.Stdout, "skipped  %s %q (one of that name is saved here already)\n", it.Kind, name)
			continue
		default:
			fmt.Fprintf(c.env.Stdout, "%-8s %s %q\n", it.Action, it.Kind, name)
		}
		saved++
	}
	next := "not tested yet: run `storelink test --all` (and `storelink agent test NAME`) to test them"
	if !im.WithSecrets() {
		next = "without secrets: enter each one's with `storelink edit NAME --secrets-stdin`, then test it"
	}
	fmt.Fprintf(c.env.Stdout, "Imported %d of %d from %s, %s.\n", saved, len(rep.Items), connectors.Printable(pos[0]), next)
	return nil
}

// transferUsage makes a refused file (and a refused entry) invalid input:
// exit 2, the message as it is.
func transferUsage(err error) error {
	var te *engine.TransferError
	var le *connectors.LocalFileError
	if errors.As(err, &te) || errors.As(err, &le) {
		return usagef("%v", err)
	}
	return err
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// passphrase reads the passphrase from standard input's first line, or asks
// at the terminal without echo (twice to confirm a new one).
func (c *call) passphrase(ctx context.Context, fromStdin, confirm bool) (string, error) {
	if fromStdin {
		return readPassphraseLine(c.env.Stdin)
	}
	f, ok := c.env.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("standard input is not a terminal, so the passphrase cannot be asked for; give it as the first line of standard input with --passphrase-stdin")
	}
	p, err := askHidden(ctx, f, c.env.Stderr, "Passphrase: ")
	if err != nil || !confirm {
		return p, err
	}
	again, err := askHidden(ctx, f, c.env.Stderr, "The same passphrase again: ")
	if err != nil {
		return "", err
	}
	if again != p {
		return "", usagef("the two passphrases differ; nothing was exported: run the export again")
	}
	return p, nil
}

// askHidden reads one line at the terminal without echo; Ctrl-C stops it
// and gives the terminal its echo back.
func askHidden(ctx context.Context, tty *os.File, prompt io.Writer, text string) (string, error) {
	fd := int(tty.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	fmt.Fprint(prompt, text)
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- read{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(prompt)
		if r.err != nil {
			return "", r.err
		}
		if len(r.b) == 0 {
			return "", usagef("no passphrase was typed; nothing was changed")
		}
		return string(r.b), nil
	case <-ctx.Done():
		_ = term.Restore(fd, state) // the reader stays blocked until the process exits
		fmt.Fprintln(prompt)
		return "", usagef("stopped; nothing was changed")
	}
}

// readPassphraseLine reads the first line of r, without its line ending.
func readPassphraseLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxPassphrase+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", usagef("reading the passphrase from standard input: %v", err)
	}
	p := strings.TrimRight(line, "\r\n")
	if len(p) > maxPassphrase {
		return "", usagef("standard input: the passphrase line is longer than %d bytes", maxPassphrase)
	}
	if p == "" {
		return "", usagef("--passphrase-stdin: the first line of standard input is empty; put the passphrase there")
	}
	return p, nil
}
