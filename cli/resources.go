package cli

// resources.go: every kind the engine has beyond connections and agents
// (engine.Deps.Kinds) served as `storelink KIND create|list|test|edit|delete`
// with agent's flags, from the engine's descriptor alone: a new kind needs
// nothing here.

import (
	"fmt"
	"slices"

	"storelink/connectors"
	"storelink/engine"
	"storelink/vault"
)

// kindCommand finds "storelink <kind ID> ..." among the engine's kinds; the
// engine is opened only for a word no other command has.
func (c *call) kindCommand(id string) (command, bool) {
	if id == engine.KindConnection || id == engine.KindAgent {
		return nil, false
	}
	eng, err := c.engine()
	if err != nil || !slices.Contains(eng.KindIDs(), id) {
		return nil, false
	}
	k := eng.Of(id).Kind()
	if k.Apps != nil {
		return nil, false // one form per resource only: create has no --app
	}
	return resourceKind(k).command, true
}

// resourceKind is the command line's descriptor of an engine kind of one
// form: list shows its first plain required field beside the name.
func resourceKind(k engine.Kind) kind {
	accept := ""
	if k.Accept != nil {
		accept = k.Accept.Field
	}
	shown := ""
	for _, f := range k.Form.Fields {
		if f.Required && !f.IsSecret() && f.Key != connectors.FieldName {
			shown = f.Key
			break
		}
	}
	return kind{
		id: k.ID, noun: k.Noun, prefix: k.ID + " ",
		own: oneForm(k.Form, accept),
		line: func(s vault.Connection) (listed, []string) {
			if shown == "" {
				return listedOf(s), nil
			}
			return listedOf(s), []string{s.Values[shown]}
		},
		tested: func(t engine.Tested) tested {
			return tested{name: t.Name, result: t.Result, json: resourceOutput{Name: t.Name, Kind: k.ID, resultOutput: resultOf(t.Result)}}
		},
		columns: []int{24, 32},
		empty:   fmt.Sprintf("No %s is saved yet. Add one with `storelink %s create`.", k.Noun, k.ID),
	}
}

// resourceOutput is one line of `KIND test --json`: connections' keys, the
// kind in place of the application.
type resourceOutput struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	resultOutput
}
