package connectors

// words.go: a platform's own words for the terms its results carry (a
// permission's methods and privilege, a Server.Extra value), declared
// beside its fields so a front end shows them without knowing the platform.

import "strings"

// ResultWords put a result's API terms into a platform's words. Keys are as
// the result carries them; lookups ignore case.
type ResultWords struct {
	// Methods name the HTTP methods a Permission lists ("GET": "View").
	Methods map[string]string
	// Privileges name a Permission's Privilege ("readonly": "Read only").
	Privileges map[string]string
	// Values put a Server.Extra value into words, by its key ("patch").
	Values map[string]func(value string) string
}

// Method is m in words, or m as it is when no platform names it.
func (w ResultWords) Method(m string) string { return lookupFold(w.Methods, m) }

// Privilege is p in words, or p as it is when no platform names it.
func (w ResultWords) Privilege(p string) string { return lookupFold(w.Privileges, p) }

// Value is the Server.Extra value v of key in words; ok is false when no
// platform has words for key.
func (w ResultWords) Value(key, v string) (words string, ok bool) {
	if f := w.Values[key]; f != nil {
		return f(v), true
	}
	return v, false
}

func lookupFold(words map[string]string, term string) string {
	if w, ok := words[term]; ok {
		return w
	}
	for k, w := range words {
		if strings.EqualFold(k, term) {
			return w
		}
	}
	return term
}

// merge adds o's words that w lacks.
func (w *ResultWords) merge(o ResultWords) {
	w.Methods = mergeMissing(w.Methods, o.Methods)
	w.Privileges = mergeMissing(w.Privileges, o.Privileges)
	w.Values = mergeMissing(w.Values, o.Values)
}

func mergeMissing[V any](dst, src map[string]V) map[string]V {
	for k, v := range src {
		if dst == nil {
			dst = map[string]V{}
		}
		if _, ok := dst[k]; !ok {
			dst[k] = v
		}
	}
	return dst
}

// Words are every registered application's result words in one vocabulary
// (the first by title wins a term two declare): a term reads the same
// whatever platform answered, so Magento's GET is PrestaShop's "View" too.
func (r *Registry) Words() ResultWords {
	var w ResultWords
	for _, info := range r.All() {
		w.merge(info.Words)
	}
	return w
}

// Words are Default's result words.
func Words() ResultWords { return Default.Words() }
