package cli

// connections.go: saved connections as a kind: storelink create, edit,
// list, test and delete, over the engine's flow for connections.

import (
	"flag"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

func connectionKind() kind {
	return kind{
		id: engine.KindConnection, noun: "connection",
		own: connectionFlags, line: connectionLine, tested: testedConnection,
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

// testOutput is one line of `test --json`; the keys are a public contract.
type testOutput struct {
	Name string `json:"name"`
	App  string `json:"app"`
	resultOutput
}

// resultOutput is a test's result in `test --json` after the name and app.
type resultOutput struct {
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
	// The result for people: headline, reason, steps, technical, fixes.
	connectors.Presentation
}

func testedConnection(t engine.Tested) tested {
	return tested{name: t.Name, result: t.Result, json: testOutput{Name: t.Name, App: t.App, resultOutput: resultOf(t.Result)}}
}

func resultOf(r connectors.Result) resultOutput {
	return resultOutput{
		OK: r.OK, Code: r.Code, Message: r.Message, Hint: r.Hint,
		Warnings: r.Warnings, Checks: r.Checks, Permissions: r.Permissions, Server: r.Server,
		DurationMS: r.Duration.Milliseconds(), Requests: r.Requests, Location: r.Location, Forceable: r.Forceable,
		Certificate: r.Certificate, Presentation: r.Presentation,
	}
}

func connectionLine(s vault.Connection) (listed, []string) {
	l := listedOf(s)
	l.App, l.Mode, l.Agent = s.App, s.Mode(), s.Values[connectors.FieldAgent]
	return l, []string{s.App, s.Mode()}
}
