//go:build e2e

// Moving to a new computer through the real binary and the real keychain:
// export from one home, import into a fresh one (its keychain items are
// keyed by new connection IDs, so nothing is shared), and every refusal.
package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"

	"storelink/connectors/prestashop/pstest"
)

const movePassphrase = "a passphrase for moving house"

// settingsOf is the home's connections.json ("" when absent) and its
// Storelink keychain items: what a refused import must leave alone.
func (b *binary) settingsAndItems() (string, []string) {
	data, _ := os.ReadFile(filepath.Join(b.home, "connections.json"))
	items := keychainItems(b.t)
	slices.Sort(items)
	return string(data), items
}

func TestE2EExportImportMovesEverything(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	defer ps.Close()
	const agentPassword = "agent-password-0123456789"
	src := newBinary(t)
	if code, _, errs := src.run(`{"api_key":"`+pstest.DefaultKey+`"}`, "create", "--app", "prestashop", "--name", "Shop",
		"--set", "store_url="+hostPort(t, ps.URL), "--set", "use_https=false", "--secrets-stdin"); code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	if code, _, errs := src.run(`{"password":"`+agentPassword+`"}`, "agent", "create", "--name", "Office", "--set", "host=ssh.office.example",
		"--set", "user=storelink", "--set", "auth=password", "--secrets-stdin", "--no-verify"); code != 0 {
		t.Fatalf("agent create: %d %s", code, errs)
	}
	if code, _, errs := src.run(`{"api_key":"LANKEY0123456789ABCDEFGHIJKLMNOP"}`, "create", "--app", "prestashop", "--name", "Behind the firewall",
		"--mode", "on-premise", "--agent", "Office", "--set", "store_url=shop.lan", "--secrets-stdin", "--no-verify"); code != 0 {
		t.Fatalf("create on-premise: %d %s", code, errs)
	}
	secrets := []string{pstest.DefaultKey, agentPassword, "LANKEY0123456789ABCDEFGHIJKLMNOP", movePassphrase}

	dir := t.TempDir()
	sealed := filepath.Join(dir, "move.age")
	code, out, errs := src.run(movePassphrase+"\n", "export", sealed, "--with-secrets", "--passphrase-stdin")
	if code != 0 || !strings.Contains(out, "Exported 2 connections and 1 agent") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	data, _ := os.ReadFile(sealed)
	if fi, err := os.Stat(sealed); err != nil || fi.Mode().Perm() != 0o600 || !bytes.HasPrefix(data, []byte(armor.Header)) {
		t.Fatalf("export file: %v %v %.40q", err, fi.Mode(), data)
	}
	plain := filepath.Join(dir, "settings.json")
	if code, out, errs := src.run("", "export", plain); code != 0 || !strings.Contains(out, "settings only") {
		t.Fatalf("settings export: %d %q %q", code, out, errs)
	}
	pdata, _ := os.ReadFile(plain)
	for _, s := range secrets {
		for _, f := range [][]byte{data, pdata} {
			if bytes.Contains(f, []byte(s)) {
				t.Errorf("a secret or the passphrase is readable in an export file")
			}
		}
	}
	if !bytes.Contains(pdata, []byte(`"secret_keys"`)) || !bytes.Contains(pdata, []byte(`"format": 1`)) {
		t.Errorf("settings export: %s", pdata)
	}
	// An existing file is never replaced.
	if code, _, errs := src.run(movePassphrase+"\n", "export", sealed, "--with-secrets", "--passphrase-stdin"); code != 2 || !strings.Contains(errs, "already exists") {
		t.Errorf("export over a file: %d %q", code, errs)
	}
	if again, _ := os.ReadFile(sealed); !bytes.Equal(again, data) {
		t.Error("the existing export file was changed")
	}
	// Without a terminal and without --passphrase-stdin: refused, nothing read.
	if code, _, errs := src.run(movePassphrase+"\n", "export", filepath.Join(dir, "x"), "--with-secrets"); code != 2 || !strings.Contains(errs, "--passphrase-stdin") {
		t.Errorf("no terminal: %d %q", code, errs)
	}

	dst := newBinary(t)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	damaged := slices.Clone(data)
	damaged[len(damaged)/2] ^= 1
	var future bytes.Buffer
	r, _ := age.NewScryptRecipient(movePassphrase)
	r.SetWorkFactor(10)
	aw := armor.NewWriter(&future)
	w, _ := age.Encrypt(aw, r)
	_, _ = w.Write([]byte(`{"format": 3, "connections": []}`))
	_ = w.Close()
	_ = aw.Close()
	refusals := []struct {
		name, file, stdin, says string
	}{
		{"wrong passphrase", sealed, "not the passphrase\n", "the passphrase does not open this file"},
		{"damaged", write("damaged.age", damaged), movePassphrase + "\n", "is damaged"},
		{"newer, encrypted", write("future.age", future.Bytes()), movePassphrase + "\n", "written by a newer Storelink (format 3); update Storelink"},
		{"newer, settings", write("future.json", []byte(`{"format": 9}`)), "", "written by a newer Storelink (format 9); update Storelink"},
		{"not an export", write("photo.jpg", []byte("\xff\xd8\xff\xe0")), "", "not a Storelink export file"},
		{"a folder", dir, "", "not a regular file"},
	}
	for _, c := range refusals {
		settings, items := dst.settingsAndItems()
		code, out, errs := dst.run(c.stdin, "import", c.file, "--passphrase-stdin")
		if code != 2 || !strings.Contains(errs, c.says) {
			t.Errorf("%s: exit %d, %q %q; want 2 saying %q", c.name, code, out, errs, c.says)
		}
		if s, i := dst.settingsAndItems(); s != settings || !slices.Equal(i, items) {
			t.Errorf("%s changed the home or the keychain", c.name)
		}
	}

	code, out, errs = dst.run(movePassphrase+"\n", "import", sealed, "--passphrase-stdin")
	if code != 0 || !strings.Contains(out, "Imported 3 of 3") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	var listed []listed
	_, lout, _ := dst.run("", "list", "--json")
	if err := json.Unmarshal([]byte(lout), &listed); err != nil || len(listed) != 2 {
		t.Fatalf("list: %v %q", err, lout)
	}
	for _, l := range listed {
		if l.Last == nil || !l.Last.Unverified || l.Last.Message != "imported; not tested yet" {
			t.Errorf("%s: %+v", l.Name, l.Last)
		}
	}
	// The key came through the keychain of the new home: the store accepts it.
	if got := dst.testOne("Shop"); !got.OK || got.Code != "ok" {
		t.Errorf("imported Shop: %+v", got)
	}

	// The same file again: every name is taken.
	settings, items := dst.settingsAndItems()
	code, _, errs = dst.run(movePassphrase+"\n", "import", sealed, "--passphrase-stdin")
	if code != 2 || !strings.Contains(errs, `"Shop"`) || !strings.Contains(errs, `"Office"`) || !strings.Contains(errs, "--on-conflict") {
		t.Errorf("conflict: %d %q", code, errs)
	}
	if s, i := dst.settingsAndItems(); s != settings || !slices.Equal(i, items) {
		t.Error("a refused conflict changed the home or the keychain")
	}
	code, out, errs = dst.run(movePassphrase+"\n", "import", sealed, "--passphrase-stdin", "--on-conflict", "rename")
	if code != 0 || !strings.Contains(out, `renamed  connection "Shop" as "Shop (imported)"`) {
		t.Errorf("rename: %d %q %q", code, out, errs)
	}
	if code, _, errs := dst.run("", "import", plain, "--on-conflict", "sideways"); code != 2 || !strings.Contains(errs, "skip, rename or replace") {
		t.Errorf("bad --on-conflict: %d %q", code, errs)
	}
	// Settings alone into a third home: saved, without secrets, and it says so.
	third := newBinary(t)
	if code, out, errs := third.run("", "import", plain); code != 0 || !strings.Contains(out, "without secrets") {
		t.Errorf("settings import: %d %q %q", code, out, errs)
	}
	for _, b := range []*binary{src, dst, third} {
		for _, s := range secrets {
			b.assertNoLeak(s) // settings, logs and anything else in the home
		}
	}
}
