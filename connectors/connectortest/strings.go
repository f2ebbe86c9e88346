package connectortest

// strings.go: reading and filling every string of a value by reflection,
// for tests that prove no piece of a secret survives in any field, the
// fields added after the test was written included.

import (
	"reflect"
	"strings"
)

// PieceLen is the shortest run of a secret that counts as a leak; the
// redactor masks every run this long (redact.RunLen).
const PieceLen = 8

// Strings returns every string reachable from v through exported fields,
// pointers, interfaces, slices, arrays and maps (keys included).
func Strings(v any) []string {
	var out []string
	collect(reflect.ValueOf(v), &out, map[uintptr]bool{})
	return out
}

func collect(v reflect.Value, out *[]string, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer:
		if !v.IsNil() && !seen[v.Pointer()] {
			seen[v.Pointer()] = true
			collect(v.Elem(), out, seen)
		}
	case reflect.Interface:
		if !v.IsNil() {
			collect(v.Elem(), out, seen)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collect(v.Field(i), out, seen)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collect(v.Index(i), out, seen)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			collect(k, out, seen)
			collect(v.MapIndex(k), out, seen)
		}
	}
}

// Fill sets every string reachable from ptr (a pointer) to text, making one
// element of each slice and map and a value for each pointer and empty
// interface on the way (depth bounds recursive types). It returns how many
// strings it set, and the types it could not fill with text: an interface
// with methods (an error) holds text the redactor cannot rewrite.
func Fill(ptr any, text string) (n int, unfillable []string) {
	f := filler{text: text}
	f.fill(reflect.ValueOf(ptr).Elem(), 0)
	return f.n, f.unfillable
}

type filler struct {
	text       string
	n          int
	unfillable []string
}

func (f *filler) fill(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.text)
		f.n++
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Interface:
		if v.NumMethod() > 0 {
			f.unfillable = append(f.unfillable, v.Type().String())
			return
		}
		v.Set(reflect.ValueOf(f.text))
		f.n++
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		f.fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		f.fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		f.fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// Piece returns the longest run of secret, PieceLen or longer, found in s
// ("" when there is none).
func Piece(s, secret string) string {
	best := ""
	for i := 0; i+PieceLen <= len(secret); i++ {
		if !strings.Contains(s, secret[i:i+PieceLen]) {
			continue
		}
		j := i + PieceLen
		for j < len(secret) && strings.Contains(s, secret[i:j+1]) {
			j++
		}
		if j-i > len(best) {
			best = secret[i:j]
		}
	}
	return best
}
