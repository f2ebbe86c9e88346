//go:build linux

package vault

import (
	dbus "github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// secretServiceGetMany reads many items of service in one Secret Service
// session: one search per key and one GetSecrets for them all, instead of
// go-keyring's six round trips per item. Test all over a hundred
// connections waited on a keyring daemon that answers one call at a time.
func secretServiceGetMany(service string, keys []string) (map[string]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return nil, err
	}
	session, err := svc.OpenSession()
	if err != nil {
		return nil, err
	}
	defer func() { _ = svc.Close(session) }() // the values are read; a session left open ends with the bus connection
	paths := map[dbus.ObjectPath]string{}
	var items []dbus.ObjectPath
	for _, key := range keys {
		found, err := svc.SearchItems(collection, map[string]string{"service": service, "username": key})
		if err != nil {
			return nil, err
		}
		if len(found) > 0 {
			paths[found[0]] = key
			items = append(items, found[0])
		}
	}
	out := map[string]string{}
	if len(items) == 0 {
		return out, nil
	}
	var secrets map[dbus.ObjectPath]ss.Secret
	if err := svc.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.GetSecrets", 0, items, session.Path()).Store(&secrets); err != nil {
		return nil, err
	}
	for p, s := range secrets {
		out[paths[p]] = string(s.Value)
	}
	return out, nil
}
