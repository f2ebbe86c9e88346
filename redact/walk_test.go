package redact

import (
	"strings"
	"testing"
)

type walkInner struct {
	Name string
	Tags []string
}

type walkCode string

type walkOuter struct {
	Text    string
	Code    walkCode
	Ptr     *walkInner
	List    []walkInner
	Arr     [2]string
	ByKey   map[string]string
	ByName  map[string]*walkInner
	Nested  map[string][]string
	Any     any
	AnyPtr  any
	Self    *walkOuter
	private string
	N       int
}

func TestStringsReachesEveryString(t *testing.T) {
	up := func(s string) string { return strings.ToUpper(s) }
	v := &walkOuter{
		Text: "a", Code: "b", Ptr: &walkInner{Name: "c", Tags: []string{"d"}},
		List: []walkInner{{Name: "e"}}, Arr: [2]string{"f", "g"},
		ByKey: map[string]string{"h": "i"}, ByName: map[string]*walkInner{"j": {Name: "k"}},
		Nested: map[string][]string{"l": {"m"}}, Any: "n", AnyPtr: &walkInner{Name: "o"},
		private: "p", N: 1,
	}
	v.Self = v // a cycle ends
	Strings(up, v)
	got := []string{v.Text, string(v.Code), v.Ptr.Name, v.Ptr.Tags[0], v.List[0].Name, v.Arr[0], v.Arr[1],
		v.ByKey["H"], v.ByName["J"].Name, v.Nested["L"][0], v.Any.(string), v.AnyPtr.(*walkInner).Name}
	if strings.Join(got, "") != "ABCDEFGIKMNO" {
		t.Errorf("not every string was rewritten: %q", got)
	}
	if _, old := v.ByKey["h"]; old || v.private != "p" {
		t.Errorf("old key kept (%v) or unexported field changed (%q)", v.ByKey, v.private)
	}
	Strings(up, nil) // nothing to walk
	Strings(up, walkOuter{})
}
