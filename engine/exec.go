package engine

// exec.go: the environment `storelink exec` hands a program: each saved
// connection's settings and secrets as variables (connectors.EnvVars), with
// the secrets made known to the redactor that masks the program's output.

import (
	"errors"
	"fmt"
	"strings"

	"storelink/connectors"
	"storelink/redact"
	"storelink/vault"
)

// Env returns the variables for the saved connections names, secrets from
// the keychain. With one name they are as connectors.EnvVars names them;
// with several, each starts with its connection's name as a variable word
// ("shop.cz" -> SHOP_CZ_PRESTASHOP_API_KEY). Every secret among them is
// masked by the engine's redactor from now on. A missing connection, an
// on-premise one or two names with the same prefix are a
// connectors.UsageError.
func (e *Engine) Env(names ...string) ([]connectors.EnvVar, error) {
	return e.env(names, true)
}

// EnvNames are the names of the variables Env would return, found without
// the keychain: a secret saved for a field is enough to name its variable.
func (e *Engine) EnvNames(names ...string) ([]string, error) {
	vars, err := e.env(names, false)
	out := make([]string, len(vars))
	for i, v := range vars {
		out[i] = v.Name
	}
	return out, err
}

func (e *Engine) env(names []string, withSecrets bool) ([]connectors.EnvVar, error) {
	if len(names) == 0 {
		return nil, connectors.Usagef("exec needs the name of a saved connection: storelink exec NAME -- COMMAND")
	}
	r := e.Of(KindConnection)
	prefixes := map[string]string{}
	var out []connectors.EnvVar
	for _, name := range names {
		c, err := e.d.Store.Get(name)
		if errors.Is(err, vault.ErrNotFound) {
			return nil, connectors.Usagef("no saved connection is named %q; `storelink list` shows their names", name)
		}
		if err != nil {
			return nil, err
		}
		prefix := ""
		if len(names) > 1 {
			prefix = EnvPrefixOfName(c.Name)
			if other, dup := prefixes[prefix]; dup {
				return nil, connectors.Usagef("the connections %q and %q would both set variables starting %s; run one of them in its own storelink exec, or rename one", other, c.Name, prefix)
			}
			prefixes[prefix] = c.Name
		}
		info, err := r.Form(c.App)
		if err != nil {
			return nil, err
		}
		if c.Values.String(connectors.FieldMode) == connectors.ModeOnPremise {
			return nil, connectors.Usagef("the connection %q is on-premise: its store is reached only through the agent %q, so an address handed to a program would not answer; use `storelink api %s` (which goes through the agent), or Mode: Cloud if this computer can reach the store",
				c.Name, c.Values.String(connectors.FieldAgent), c.Name)
		}
		values := c.Values.Clone()
		for _, k := range c.SecretKeys {
			values[k] = "saved" // only named, never handed over
		}
		if withSecrets {
			if values, err = r.withSecrets(c, nil); err != nil {
				return nil, fmt.Errorf("the secrets of %q could not be read from the keychain (%w); unlock the keychain and try again, or edit the connection and enter its secrets again", c.Name, err)
			}
			e.addSecretsOf(info, values)
		}
		values[connectors.FieldName] = c.Name
		for _, v := range connectors.EnvVars(info, values) {
			if !withSecrets {
				v.Value = ""
			}
			if v.Secret && withSecrets {
				e.d.Redactor.Add(v.Value) // as handed over, trimmed
			}
			v.Name = prefix + v.Name
			out = append(out, v)
		}
	}
	return out, nil
}

// EnvPrefixOfName is what starts a connection's variables when a program
// gets several: its name as a variable word and "_" ("shop.cz" ->
// "SHOP_CZ_"); a name starting with a digit gets a "_" before it, as a
// shell's variable names cannot.
func EnvPrefixOfName(name string) string {
	p := connectors.EnvWord(strings.TrimSpace(name)) + "_"
	if p[0] >= '0' && p[0] <= '9' {
		p = "_" + p
	}
	return p
}

// Redactor is the engine's redactor, for a stream of output to be masked
// with every secret the engine has handled (redact.NewWriter).
func (e *Engine) Redactor() *redact.Redactor { return e.d.Redactor }
