// Package cleanlocale keeps Fyne from logging "Error parsing user locale C"
// on every run where the locale is C.UTF-8 (the default of Debian and most
// containers): go-locale treats "C" and "POSIX" as untranslated but passes
// "C.UTF-8" through, and "C" is not a language tag. Imported first by main,
// its init runs before Fyne's lang package reads the environment (Go
// initialises packages in import-path order as far as their imports allow,
// and lang waits for text/template); the E2E test TestE2EEmptyHome checks
// the binary's standard error stays empty under LANG=C.UTF-8.
package cleanlocale

import (
	"os"
	"strings"
)

func init() { Fix(os.Getenv, os.Setenv) }

// Fix sets LANGUAGE=en when the locale that decides the messages' language
// (LC_ALL, else LC_MESSAGES, else LANG) is C or POSIX with a codeset or
// modifier. In the C locale gettext ignores LANGUAGE, so programs Storelink
// might start are not affected; only go-locale reads it.
func Fix(getenv func(string) string, setenv func(string, string) error) {
	locale := ""
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(env); locale != "" {
			break
		}
	}
	base, _, _ := strings.Cut(locale, ".")
	base, _, _ = strings.Cut(base, "@")
	if locale != base && (base == "C" || base == "POSIX") && getenv("LANGUAGE") == "" {
		_ = setenv("LANGUAGE", "en")
	}
}
