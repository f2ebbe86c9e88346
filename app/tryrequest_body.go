package app

// tryrequest_body.go: an answer's body made readable for Try a request:
// JSON and XML indented, anything else as it came, capped for display.

import (
	"strings"
	"unicode/utf8"

	"storelink/pretty"
)

// shown is body indented when it is JSON or XML, else as it came (see
// package pretty); text that is not UTF-8 is shown with its bad bytes
// replaced.
func shown(contentType string, body []byte) string {
	out, _ := pretty.Body(contentType, body)
	return strings.TrimSuffix(strings.ToValidUTF8(string(out), string(utf8.RuneError)), "\n")
}
