package redact

// walk.go: rewriting every string a value holds, so a result's new field
// is masked without anyone remembering to.

import "reflect"

// Walk masks every string reachable from ptr (see Strings).
func (r *Redactor) Walk(ptr any) { Strings(r.String, ptr) }

// Strings replaces every settable string reachable from ptr, a pointer, with
// fn of it: struct fields, and through pointers, interfaces, slices, arrays
// and maps (values, and keys that are strings). Unexported fields are left
// alone (reflect cannot set them). Shared pointers are followed once.
func Strings(fn func(string) string, ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	w := walker{fn: fn, seen: map[visit]bool{}}
	w.value(v.Elem())
}

type walker struct {
	fn   func(string) string
	seen map[visit]bool // pointers, maps and slices already walked
}

// visit is where a walk went: an address alone would confuse a struct with
// its first field.
type visit struct {
	at  uintptr
	typ reflect.Type
	len int
}

func (w *walker) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" && v.CanSet() {
			v.SetString(w.fn(s))
		}
	case reflect.Pointer:
		if v.IsNil() || w.once(v) {
			return
		}
		w.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if !v.CanSet() {
			if e.Kind() == reflect.Pointer {
				w.value(e)
			}
			return
		}
		c := reflect.New(e.Type()).Elem()
		c.Set(e)
		w.value(c)
		v.Set(c)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				w.value(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 || w.once(v) {
			return
		}
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			w.value(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 || !v.CanInterface() || w.once(v) { // SetMapIndex needs CanInterface
			return
		}
		w.mapEntries(v)
	}
}

// mapEntries rewrites a map's values (copied out, walked, put back) and
// its string keys.
func (w *walker) mapEntries(m reflect.Value) {
	for _, k := range m.MapKeys() {
		val := m.MapIndex(k)
		c := reflect.New(val.Type()).Elem()
		c.Set(val)
		w.value(c)
		nk := k
		if k.Kind() == reflect.String {
			nk = reflect.New(k.Type()).Elem()
			nk.SetString(w.fn(k.String()))
			if nk.String() != k.String() {
				m.SetMapIndex(k, reflect.Value{})
			}
		}
		m.SetMapIndex(nk, c)
	}
}

// once reports whether v (a pointer, map or slice) was walked already, and
// marks it.
func (w *walker) once(v reflect.Value) bool {
	at := visit{v.Pointer(), v.Type(), 0}
	if v.Kind() == reflect.Slice {
		at.len = v.Len()
	}
	if w.seen[at] {
		return true
	}
	w.seen[at] = true
	return false
}
