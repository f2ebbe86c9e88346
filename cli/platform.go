package cli

// platform.go: the platforms own commands (storelink prestashop genkey,
// storelink upgates serve...), which save and test connections through the
// same path as create and test.

import (
	"context"
	"strings"

	"storelink/connectors"
	"storelink/engine"
)

// platformCommand finds "storelink <app ID> <command>" in the registry.
func platformCommand(reg *connectors.Registry, id string) (command, bool) {
	info, ok := reg.Lookup(id)
	if !ok || len(info.Commands) == 0 {
		return nil, false
	}
	return func(ctx context.Context, c *call, args []string) error {
		var names []string
		for _, cmd := range info.Commands {
			names = append(names, cmd.Name)
		}
		if len(args) == 0 {
			return usagef("usage: storelink %s %s", info.ID, strings.Join(names, "|"))
		}
		for _, cmd := range info.Commands {
			if cmd.Name == args[0] {
				return cmd.Run(ctx, c.commandEnv(), args[1:])
			}
		}
		return usagef("%s: unknown command %q (%s)", info.ID, args[0], strings.Join(names, ", "))
	}, true
}

// commandEnv is what platform commands get; the engine is opened only when
// they use it.
func (c *call) commandEnv() connectors.CommandEnv {
	env := connectors.CommandEnv{
		Stdin: c.env.Stdin, Stdout: c.env.Stdout, Stderr: c.env.Stderr,
		Connections: commandConnections{c},
		Logf: func(format string, args ...any) {
			if eng, err := c.engine(); err == nil {
				eng.Log().Infof(format, args...)
			}
		},
		Redact: func(values ...string) {
			if eng, err := c.engine(); err == nil {
				eng.AddSecrets(values...)
			}
		},
	}
	if eng, err := c.engine(); err == nil {
		env.Import = eng.ImportEnv()
	}
	return env
}

// commandConnections lets platform commands save and test as create and
// test do.
type commandConnections struct{ c *call }

func (cc commandConnections) Save(ctx context.Context, req connectors.SaveRequest) error {
	info, ok := cc.c.env.Registry.Lookup(req.App)
	if !ok {
		info.ID = req.App // the engine says it is unknown, naming it
	}
	return cc.c.save(ctx, connectionKind(), request{info: info, values: req.Values, asJSON: req.JSON,
		options: engine.SaveOptions{NoVerify: req.NoVerify, Reason: req.Reason, Replaces: req.Replaces,
			Test: engine.TestOptions{Timeout: req.Timeout}}})
}

func (cc commandConnections) Test(ctx context.Context, name string) connectors.Result {
	eng, err := cc.c.engine()
	if err != nil {
		return connectors.Fail(connectors.CodeInternalError, err.Error(), "")
	}
	return eng.Of(engine.KindConnection).TestSaved(ctx, name, engine.TestOptions{Trigger: TriggerCLI}).Result
}
