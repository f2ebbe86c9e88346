package cli

// input.go: what create and edit read: --set, and secrets as one JSON object
// on standard input, every key checked against the form's fields.

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/engine"
)

// saveFlags are the flags create and edit share.
type saveFlags struct {
	name, rename *string
	sets         multiFlag
	secretsStdin *bool
	noVerify     *bool
	// keepForNewAddress is edit's word that saved secrets may go to a
	// changed store address.
	keepForNewAddress *bool
	asJSON            *bool
	force             *bool
	timeout           *time.Duration
}

func newSaveFlags(fs *flag.FlagSet) *saveFlags {
	f := &saveFlags{}
	f.name = fs.String("name", "", "")
	f.rename = fs.String("rename", "", "")
	fs.Var(&f.sets, "set", "")
	f.secretsStdin = fs.Bool("secrets-stdin", false, "")
	f.noVerify = fs.Bool("no-verify", false, "")
	f.keepForNewAddress = fs.Bool("keep-secrets-for-new-address", false, "")
	f.asJSON = fs.Bool("json", false, "")
	f.timeout = fs.Duration("timeout", 0, "")
	f.force = fs.Bool("force", false, "")
	return f
}

// read fills r's values from --set and standard input, and its options.
func (f *saveFlags) read(c *call, r *request) error {
	values, err := f.values(c.env.Stdin, r.info)
	if err != nil {
		return err
	}
	for k, v := range r.values { // the kind's own flags, over --set
		values[k] = v
	}
	r.values = values
	r.asJSON = *f.asJSON
	r.options.NoVerify = *f.noVerify
	r.options.KeepSecretsForNewAddress = *f.keepForNewAddress
	r.options.Test = engine.TestOptions{Timeout: *f.timeout, Force: *f.force, Trigger: TriggerCLI}
	return nil
}

// values reads --set and, with --secrets-stdin, the secrets: every key must
// be a field of info, and secrets never come from the command line.
func (f *saveFlags) values(stdin io.Reader, info connectors.Info) (connectors.Values, error) {
	values := connectors.Values{}
	for _, kv := range f.sets {
		k, v, found := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !found || k == "" {
			return nil, usagef("--set %q: write FIELD=VALUE", kv)
		}
		field, known := info.Field(k)
		switch {
		case !known:
			return nil, usagef("--set %s: %s has no field %q (fields: %s)", k, info.Title, k, strings.Join(fieldKeys(info, false), ", "))
		case field.IsSecret():
			return nil, usagef("--set %s: %s is a secret; pass it on standard input with --secrets-stdin, never on the command line", k, field.Label)
		case k == connectors.FieldName:
			return nil, usagef("--set name: use --name")
		}
		values[k] = v
	}
	if !*f.secretsStdin {
		return values, nil
	}
	secrets, err := readSecrets(stdin)
	if err != nil {
		return nil, err
	}
	for k, v := range secrets {
		if field, known := info.Field(k); !known || !field.IsSecret() {
			return nil, usagef("standard input: %q is not a secret field of %s (secret fields: %s)", k, info.Title, strings.Join(fieldKeys(info, true), ", "))
		}
		values[k] = v
	}
	return values, nil
}

// maxSecretsInput is the most standard input holds for secrets.
const maxSecretsInput = 1 << 20

// readSecrets reads one JSON object of strings from r; a key given twice is
// refused rather than silently keeping the last.
func readSecrets(r io.Reader) (connectors.Values, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSecretsInput+1))
	if err != nil {
		return nil, usagef("reading secrets from standard input: %v", err)
	}
	if len(data) > maxSecretsInput {
		return nil, usagef("standard input: more than %d bytes (1 MiB), the most Storelink reads for secrets", maxSecretsInput)
	}
	if strings.TrimSpace(string(data)) == "" {
		return connectors.Values{}, nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, usagef("standard input must hold one JSON object of strings, like {\"api_key\": \"...\"}: %s", jsonProblem(err))
	}
	if dup := duplicateKey(data); dup != "" {
		return nil, usagef("standard input: %q is given twice; give each secret once", dup)
	}
	return connectors.Values(m), nil
}

// duplicateKey returns a key that occurs twice in the top-level object of
// data (already known to be valid JSON), or "".
func duplicateKey(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return ""
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return ""
		}
		k, _ := t.(string)
		if seen[k] {
			return k
		}
		seen[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

// jsonProblem describes a JSON error without quoting the input (it holds secrets).
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("the value of %q must be a string", te.Field)
	default:
		return "not valid JSON"
	}
}

func fieldKeys(info connectors.Info, secret bool) []string {
	var out []string
	for _, f := range info.Fields {
		if f.IsSecret() == secret {
			out = append(out, f.Key)
		}
	}
	sort.Strings(out)
	return out
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
