package cli

// connections.go: saved connections as a kind: storelink create, edit,
// list, test and delete call the engine's connection methods through it.

import (
	"context"
	"flag"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func connectionKind() kind {
	return kind{
		noun: "connection", missing: vault.ErrNotFound,
		own:  connectionFlags,
		find: func(eng *engine.Engine, name string) (vault.Connection, error) { return eng.Get(name) },
		form: func(eng *engine.Engine, app string) (connectors.Info, error) { return eng.Lookup(app) },
		save: saveConnection,
		list: func(eng *engine.Engine) ([]vault.Connection, error) { return eng.List() },
		line: connectionLine,
		test: func(ctx context.Context, eng *engine.Engine, run testRun) ([]tested, error) {
			var out []tested
			for _, t := range eng.TestMany(ctx, run.names, run.options, nil) {
				out = append(out, testedConnection(t.Name, t.App, t.Result))
			}
			return out, nil
		},
		delete:  func(eng *engine.Engine, name string) error { return eng.Delete(name) },
		batch:   true,
		columns: []int{24, 12, 11},
		empty:   "No connections yet. Create one with `storelink create` or in the window.",
	}
}

// connectionFlags are create's --app, --mode and --agent (edit has none:
// --set mode=... changes them).
func connectionFlags(fs *flag.FlagSet, creating bool) func(c *call, r *request) error {
	if !creating {
		return func(*call, *request) error { return nil }
	}
	app := fs.String("app", "", "")
	mode := fs.String("mode", "", "")
	agent := fs.String("agent", "", "")
	return func(c *call, r *request) error {
		if *app == "" {
			return usagef("--app is required (see `storelink apps`)")
		}
		info, ok := c.env.Registry.Lookup(*app)
		if !ok {
			return usagef("--app: unknown application %q (see `storelink apps`)", *app)
		}
		r.info, r.values = info, connectors.Values{}
		if *mode != "" {
			r.values[connectors.FieldMode] = *mode
		}
		if *agent != "" {
			r.values[connectors.FieldAgent] = *agent
		}
		return nil
	}
}

func saveConnection(ctx context.Context, eng *engine.Engine, r request) (saved, error) {
	out, err := eng.Save(ctx, engine.Draft{App: r.info.ID, Values: r.values}, r.options)
	s := saved{checked: out.Checked, saved: out.Saved, name: out.Connection.Name}
	if out.Result != nil {
		t := testedConnection(out.Checked.Name, out.Checked.Info.ID, *out.Result)
		s.tested = &t
	}
	return s, err
}

// testOutput is one line of `test --json`; the keys are a public contract.
type testOutput struct {
	Name        string                  `json:"name"`
	App         string                  `json:"app"`
	OK          bool                    `json:"ok"`
	Code        connectors.Code         `json:"code"`
	Message     string                  `json:"message"`
	Hint        string                  `json:"hint"`
	Warnings    []connectors.Warning    `json:"warnings"`
	Checks      []connectors.Check      `json:"checks"`
	Permissions []connectors.Permission `json:"permissions"`
	Server      connectors.Server       `json:"server"`
	DurationMS  int64                   `json:"duration_ms"`
	Requests    int                     `json:"requests"`
	Location    string                  `json:"location,omitempty"`
	Forceable   bool                    `json:"forceable,omitempty"`
	// Certificate is the one a tls failure saw (subject issuer not_before
	// not_after sha256), to check and trust.
	Certificate *connectors.CertificateInfo `json:"certificate,omitempty"`
}

func testedConnection(name, app string, r connectors.Result) tested {
	return tested{name: name, result: r, json: testOutput{
		Name: name, App: app, OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint,
		Warnings: r.Warnings, Checks: r.Checks, Permissions: r.Permissions, Server: r.Server,
		DurationMS: r.Duration.Milliseconds(), Requests: r.Requests, Location: r.Location, Forceable: r.Forceable,
		Certificate: r.Certificate,
	}}
}

func connectionLine(s vault.Connection) (listed, []string) {
	l := listedOf(s)
	l.App, l.Mode, l.Agent = s.App, s.Mode(), s.Values[connectors.FieldAgent]
	return l, []string{s.App, s.Mode()}
}
