package vault

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"storelink/connectors"
)

// TestASettingsFolderThatCannotBeWritten: save, edit, rename and delete fail
// whole; nothing listed loses its secrets and no new item stays behind.
func TestASettingsFolderThatCannotBeWritten(t *testing.T) {
	readOnly := errors.New("read-only file system")
	ops := map[string]func(v *Vault) error{
		"save": func(v *Vault) error {
			_, err := v.Save(conn("New"), connectors.Values{"api_key": "new-secret-value"}, SaveOptions{})
			return err
		},
		"edit": func(v *Vault) error {
			_, err := v.Save(conn("Shop"), connectors.Values{"api_key": "changed-secret-value"}, SaveOptions{Replace: "Shop"})
			return err
		},
		"rename": func(v *Vault) error {
			_, err := v.Save(conn("Renamed"), nil, SaveOptions{Replace: "Shop", KeepSecrets: true})
			return err
		},
		"delete": func(v *Vault) error { return v.Delete("Shop") },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			v, mem := newTestVault(t)
			if _, err := v.Save(conn("Shop"), connectors.Values{"api_key": "kept-secret-value"}, SaveOptions{}); err != nil {
				t.Fatal(err)
			}
			keys := mem.Keys()
			v.failWrite = func() error { return readOnly }
			if err := op(v); !errors.Is(err, readOnly) {
				t.Fatalf("the write failure is reported: %v", err)
			}
			v.failWrite = nil
			cs, _ := v.List()
			if len(cs) != 1 || cs[0].Name != "Shop" {
				t.Fatalf("listed: %v", cs)
			}
			s, err := v.Secrets(cs[0])
			if err != nil || s["api_key"] != "kept-secret-value" {
				t.Errorf("Shop keeps its secret: %v %v", s, err)
			}
			now := mem.Keys()
			slices.Sort(keys)
			slices.Sort(now)
			if fmt.Sprint(now) != fmt.Sprint(keys) {
				t.Errorf("keychain items: before %v, after %v", keys, now)
			}
		})
	}
}
