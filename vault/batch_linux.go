//go:build linux

package vault

import (
	"slices"
	"strings"

	dbus "github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

const (
	secretsBus     = "org.freedesktop.secrets"
	secretsPath    = dbus.ObjectPath("/org/freedesktop/secrets")
	secretsService = "org.freedesktop.Secret.Service"
)

// connectSecretService opens the session bus connection go-keyring and
// secretServiceGetMany share (godbus keeps one per process); an error is
// left for the read that follows to report.
func connectSecretService() { _, _ = dbus.SessionBus() }

// secretServiceGetMany reads many items of service in three round trips
// whatever their number: the session and one search per key are sent at
// once (the daemon answers them in turn, nobody waits between them), then one
// GetSecrets for all. go-keyring's Get takes eight calls, one after the
// other, for each item; a keyring daemon that answers one call at a time
// made that most of `storelink test NAME` and of Test all over a hundred
// connections. Locked items are unlocked first, as go-keyring does.
func secretServiceGetMany(service string, keys []string) (map[string]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	obj := svc.Object(secretsBus, secretsPath)
	replies := make(chan *dbus.Call, len(keys)+1)
	open := obj.Go(secretsService+".OpenSession", 0, replies, "plain", dbus.MakeVariant(""))
	searches := make([]*dbus.Call, len(keys))
	for i, key := range keys {
		searches[i] = obj.Go(secretsService+".SearchItems", 0, replies, map[string]string{"service": service, "username": key})
	}
	var session dbus.ObjectPath
	var ignored dbus.Variant
	if err := (<-open.Done).Store(&ignored, &session); err != nil {
		return nil, err // the searches' replies land in the buffer: nobody blocks
	}
	// The values are read once GetSecrets answers; nobody waits for Close.
	defer svc.Object(secretsBus, session).Go("org.freedesktop.Secret.Session.Close", dbus.FlagNoReplyExpected, nil)
	paths := map[dbus.ObjectPath]string{}
	var items []dbus.ObjectPath
	anyLocked := false
	for i, call := range searches {
		var unlocked, locked []dbus.ObjectPath
		if err := (<-call.Done).Store(&unlocked, &locked); err != nil {
			return nil, err
		}
		if item, ok := pick(append(unlocked, locked...)); ok {
			paths[item] = keys[i]
			items = append(items, item)
			anyLocked = anyLocked || !slices.Contains(unlocked, item)
		}
	}
	out := map[string]string{}
	if len(items) == 0 {
		return out, nil
	}
	if anyLocked {
		if err := svc.Unlock(svc.GetLoginCollection().Path()); err != nil {
			return nil, err
		}
	}
	var secrets map[dbus.ObjectPath]ss.Secret
	if err := obj.Call(secretsService+".GetSecrets", 0, items, session).Store(&secrets); err != nil {
		return nil, err
	}
	for p, s := range secrets {
		out[paths[p]] = string(s.Value)
	}
	return out, nil
}

// loginItems is where go-keyring writes (the "login" collection); the
// service-wide search also looks in the others.
const loginItems = "/org/freedesktop/secrets/collection/login/"

// pick chooses among the items a search found the one go-keyring's own read
// would: the login collection's first, else the first.
func pick(found []dbus.ObjectPath) (dbus.ObjectPath, bool) {
	for _, p := range found {
		if strings.HasPrefix(string(p), loginItems) {
			return p, true
		}
	}
	if len(found) == 0 {
		return "", false
	}
	return found[0], true
}
