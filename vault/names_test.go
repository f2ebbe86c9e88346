package vault

import (
	"errors"
	"strings"
	"testing"
)

// The engine refuses look-alike names; the vault refuses them again under
// its lock, so two saves at once (or a caller that skipped the engine)
// cannot add "pаypal" beside "paypal". The saved name is shown.
func TestLookAlikeNameIsRefusedUnderTheLock(t *testing.T) {
	v, _ := newTestVault(t)
	for _, n := range []string{"paypal", "café"} {
		if _, err := v.Save(conn(n), nil, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for given, want := range map[string]string{
		"p\u0430ypal": "\"p\u0430ypal\" looks the same as a connection named \"paypal\"",
		"cafe\u0301":  `a connection named "café" already exists`,
	} {
		_, err := v.Save(conn(given), nil, SaveOptions{})
		if !errors.Is(err, ErrDuplicateName) || !strings.Contains(err.Error(), want) {
			t.Errorf("save %q: %v, want %q", given, err, want)
		}
	}
	if _, err := v.Save(conn("PAYPAL"), nil, SaveOptions{Replace: "paypal"}); err != nil {
		t.Errorf("an edit keeps its own look: %v", err)
	}
	if c, err := v.Get("CAFE\u0301"); err != nil || c.Name != "café" {
		t.Errorf("Get finds a name whatever its case and composition: %+v %v", c, err)
	}
	list, _ := v.List()
	if len(list) != 2 {
		t.Errorf("saved %d connections", len(list))
	}
}
