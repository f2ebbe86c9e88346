package connectors

// env.go: the environment variables `storelink exec` hands a program,
// derived from a platform's field declarations so that every platform has
// them without a line of its own: <PREFIX>_<FIELD KEY> for each field with
// a value, and STORELINK_NAME, _APP, _URL and _API_URL.

import (
	"strings"
)

// The variables every connection gets besides its fields.
const (
	EnvName   = "STORELINK_NAME"    // the connection's name
	EnvApp    = "STORELINK_APP"     // the platform's ID ("prestashop")
	EnvURL    = "STORELINK_URL"     // the Shop address with its scheme
	EnvAPIURL = "STORELINK_API_URL" // the API root, for a platform with an API
)

// envSkipped are the common fields that mean nothing to a program: how
// Storelink itself reaches the store and paces its requests.
var envSkipped = map[string]bool{
	FieldName: true, FieldMode: true, FieldAgent: true, FieldConcurrency: true, FieldBorrowFrom: true,
}

// EnvVar is one environment variable for a connection.
type EnvVar struct {
	Name   string
	Value  string
	Secret bool   // from a secret field: masked in the program's output
	Key    string // the field it comes from; "" for STORELINK_*
}

// EnvWord is s as part of a variable's name: upper case, every character
// but A-Z and 0-9 an underscore ("shop.cz" -> "SHOP_CZ").
func EnvWord(s string) string {
	b := []byte(strings.ToUpper(s))
	for i, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

// EnvPrefixOf is the start of the names of info's field variables.
func EnvPrefixOf(info Info) string {
	if info.EnvPrefix != "" {
		return info.EnvPrefix
	}
	return EnvWord(info.ID)
}

// EnvVars are the variables of a connection with values (secrets
// included), in the order of its fields: defaults applied and addresses
// tidied as a test has them; hidden fields and empty values are left out.
func EnvVars(info Info, values Values) []EnvVar {
	v, _ := info.Normalize(info.Defaults(values))
	out := []EnvVar{{Name: EnvName, Value: v.String(FieldName)}, {Name: EnvApp, Value: info.ID}}
	if u := SiteURL(info, v); u != "" {
		out = append(out, EnvVar{Name: EnvURL, Value: u})
	}
	if info.API != nil && info.API.Root != nil {
		if root, err := info.API.Root(v); err == nil && root != "" {
			out = append(out, EnvVar{Name: EnvAPIURL, Value: root})
		}
	}
	prefix := EnvPrefixOf(info)
	for _, f := range info.Fields {
		if envSkipped[f.Key] || !f.VisibleIn(v) || v.String(f.Key) == "" {
			continue
		}
		out = append(out, EnvVar{Name: prefix + "_" + EnvWord(f.Key), Value: v.String(f.Key), Secret: f.IsSecret(), Key: f.Key})
	}
	return out
}

// EnvNames are the variables any connection of info may get, for help and
// documentation: Value is empty, Key names the field.
func EnvNames(info Info) []EnvVar {
	out := []EnvVar{{Name: EnvName}, {Name: EnvApp}, {Name: EnvURL}}
	if info.API != nil && info.API.Root != nil {
		out = append(out, EnvVar{Name: EnvAPIURL})
	}
	prefix := EnvPrefixOf(info)
	for _, f := range info.Fields {
		if !envSkipped[f.Key] {
			out = append(out, EnvVar{Name: prefix + "_" + EnvWord(f.Key), Secret: f.IsSecret(), Key: f.Key})
		}
	}
	return out
}

// SiteURL is the connection's Shop address (its first Address field of
// kind URL) with its scheme: as entered when it has one, else https, or
// http when a yes/no Address field (Use HTTPS) is off. "" when empty.
func SiteURL(info Info, values Values) string {
	var address string
	https := true
	for _, f := range info.Fields {
		switch {
		case !f.Address:
		case f.Kind == KindURL && address == "":
			address = values.String(f.Key)
		case f.Kind == KindBool:
			https = values.Bool(f.Key, f.Default == "true")
		}
	}
	if address == "" || SchemeOf(address) != "" {
		return address
	}
	return SiteBase(strings.TrimSuffix(address, "/"), https)
}
