package vault

import (
	"testing"

	dbus "github.com/godbus/dbus/v5"
)

// The batch read searches every collection; where an item is found twice it
// takes the login collection's, which go-keyring reads and writes.
func TestBatchReadPicksTheLoginCollectionsItem(t *testing.T) {
	other := dbus.ObjectPath("/org/freedesktop/secrets/collection/session/3")
	login := dbus.ObjectPath("/org/freedesktop/secrets/collection/login/12")
	for _, c := range []struct {
		found []dbus.ObjectPath
		want  dbus.ObjectPath
		ok    bool
	}{
		{[]dbus.ObjectPath{other, login}, login, true},
		{[]dbus.ObjectPath{login, other}, login, true},
		{[]dbus.ObjectPath{other}, other, true},
		{nil, "", false},
	} {
		if got, ok := pick(c.found); got != c.want || ok != c.ok {
			t.Errorf("pick(%v) = %v, %v; want %v, %v", c.found, got, ok, c.want, c.ok)
		}
	}
}
