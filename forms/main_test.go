package forms

// Tests run straight from "go test" under LANG=C.UTF-8 (no Makefile
// environment) stay quiet: cleanlocale's init runs before Fyne's lang
// package reads the locale, as it does in the binary (main imports it first).
import _ "storelink/internal/cleanlocale"
