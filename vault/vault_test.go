package vault

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
)

func newTestVault(t *testing.T) (*Vault, *MemorySecrets) {
	t.Helper()
	mem := NewMemorySecrets()
	v, err := Open(t.TempDir(), mem)
	if err != nil {
		t.Fatal(err)
	}
	return v, mem
}

func conn(name string) Connection {
	return Connection{Name: name, App: "prestashop", Values: connectors.Values{"store_url": "shop.example", "mode": "cloud"}}
}

func TestSaveListGetSecrets(t *testing.T) {
	v, mem := newTestVault(t)
	saved, err := v.Save(conn("Shop"), connectors.Values{"api_key": "K3Y0123456789ABCDEFGHIJKLMNPQRST"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if saved.ID == "" || saved.Generation != 1 || !slices.Equal(saved.SecretKeys, []string{"api_key"}) {
		t.Fatalf("saved = %+v", saved)
	}
	calls := mem.Calls()
	list, err := v.List()
	if err != nil || len(list) != 1 || list[0].Name != "Shop" || list[0].Values["store_url"] != "shop.example" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if _, err := v.Get("shop"); err != nil {
		t.Fatalf("Get is case-insensitive: %v", err)
	}
	if mem.Calls() != calls {
		t.Fatal("listing connections read the keychain; secrets must be read only when needed")
	}
	sec, err := v.Secrets(list[0])
	if err != nil || sec["api_key"] != "K3Y0123456789ABCDEFGHIJKLMNPQRST" {
		t.Fatalf("Secrets = %v, %v", sec, err)
	}
	raw, _ := os.ReadFile(v.Path())
	if strings.Contains(string(raw), "K3Y0123456789") {
		t.Fatal("a secret reached connections.json")
	}
	var f struct {
		Schema int `json:"schema"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.Schema != SchemaVersion {
		t.Fatalf("schema = %d, %v", f.Schema, err)
	}
	// Windows has ACLs, not modes: Go reports 0666 for every file there.
	if fi, _ := os.Stat(v.Path()); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("connections.json mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestDuplicateNameIsRefusedNamingTheField(t *testing.T) {
	v, _ := newTestVault(t)
	if _, err := v.Save(conn("Shop"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := v.Save(conn("shop"), nil, SaveOptions{})
	if !errors.Is(err, ErrDuplicateName) || !strings.HasPrefix(err.Error(), "Name: ") {
		t.Fatalf("err = %v", err)
	}
	// Renaming a connection to its own name (edit) is fine.
	if _, err := v.Save(conn("SHOP"), nil, SaveOptions{Replace: "Shop"}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Save(Connection{Name: "  "}, nil, SaveOptions{}); err == nil || !strings.HasPrefix(err.Error(), "Name: ") {
		t.Fatalf("empty name: %v", err)
	}
}

func TestEditReplacesSecretsAndDropsTheOldGeneration(t *testing.T) {
	v, mem := newTestVault(t)
	first, _ := v.Save(conn("Shop"), connectors.Values{"api_key": "old-secret-value"}, SaveOptions{})
	edited := first
	edited.Name = "Renamed"
	second, err := v.Save(edited, connectors.Values{"api_key": "new-secret-value"}, SaveOptions{Replace: "Shop"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID || second.Generation != 2 || !second.Created.Equal(first.Created) {
		t.Fatalf("edit lost identity: %+v", second)
	}
	if _, err := v.Get("Shop"); !errors.Is(err, ErrNotFound) {
		t.Fatal("the old name is still there")
	}
	sec, _ := v.Secrets(second)
	if sec["api_key"] != "new-secret-value" {
		t.Fatalf("secret = %q", sec["api_key"])
	}
	if keys := mem.Keys(); len(keys) != 1 {
		t.Fatalf("keychain items after edit = %v, want only the new generation", keys)
	}
}

func TestKeepSecretsCarriesThemToTheNewGeneration(t *testing.T) {
	v, _ := newTestVault(t)
	first, _ := v.Save(conn("Shop"), connectors.Values{"api_key": "kept-secret-value", "other": "x-other-secret"}, SaveOptions{})
	second, err := v.Save(first, connectors.Values{"other": "y-other-secret"}, SaveOptions{Replace: "Shop", KeepSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := v.Secrets(second)
	if err != nil || sec["api_key"] != "kept-secret-value" || sec["other"] != "y-other-secret" {
		t.Fatalf("secrets = %v, %v", sec, err)
	}
}

// A keychain that fails on the third call: nothing of the connection is
// saved, no orphan item is left, and an edited connection keeps its old
// secrets.
func TestRollbackWhenTheKeychainFailsMidSave(t *testing.T) {
	v, mem := newTestVault(t)
	orig, err := v.Save(conn("Shop"), connectors.Values{"a": "old-a-secret", "b": "old-b-secret"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(v.Path())
	itemsBefore := mem.Keys()
	n := 0
	mem.Fail = func(op, key string) error {
		if op == "set" {
			n++
			if n == 3 {
				return &KeychainError{Op: "store", Why: "injected fault"}
			}
		}
		return nil
	}
	// A new connection with three secrets: the third Set fails.
	_, err = v.Save(conn("New"), connectors.Values{"a": "new-a-secret", "b": "new-b-secret", "c": "new-c-secret"}, SaveOptions{})
	if err == nil || !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(v.Path())
	if string(before) != string(after) {
		t.Fatal("connections.json changed although the save failed")
	}
	if !slices.Equal(sorted(mem.Keys()), sorted(itemsBefore)) {
		t.Fatalf("orphan keychain items: %v, before %v", mem.Keys(), itemsBefore)
	}
	// An edit that fails keeps the old secrets readable.
	n = 0
	edit := orig
	_, err = v.Save(edit, connectors.Values{"a": "x-a-secret", "b": "x-b-secret", "c": "x-c-secret"}, SaveOptions{Replace: "Shop"})
	if err == nil {
		t.Fatal("edit should fail")
	}
	mem.Fail = nil
	got, _ := v.Get("Shop")
	sec, err := v.Secrets(got)
	if err != nil || sec["a"] != "old-a-secret" || sec["b"] != "old-b-secret" {
		t.Fatalf("old secrets after failed edit = %v, %v", sec, err)
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

func TestDeleteRemovesBoth(t *testing.T) {
	v, mem := newTestVault(t)
	c, _ := v.Save(conn("Shop"), connectors.Values{"private_key": strings.Repeat("k", 5000)}, SaveOptions{})
	if len(mem.Keys()) < 3 {
		t.Fatalf("a 5000-byte secret should be split, items = %v", mem.Keys())
	}
	if err := v.Delete(c.Name); err != nil {
		t.Fatal(err)
	}
	if len(mem.Keys()) != 0 {
		t.Fatalf("items left: %v", mem.Keys())
	}
	if _, err := v.Get("Shop"); !errors.Is(err, ErrNotFound) {
		t.Fatal("still listed")
	}
	if err := v.Delete("Shop"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestDeleteChangesTheFileFirstAndReportsWhatItLeft(t *testing.T) {
	v, mem := newTestVault(t)
	_, _ = v.Save(conn("Shop"), connectors.Values{"api_key": "some-secret-value"}, SaveOptions{})
	mem.Fail = func(op, key string) error {
		if op == "delete" {
			return &KeychainError{Op: "delete", Why: "injected"}
		}
		return nil
	}
	var orphans []string
	v.OnOrphans = func(name string, fields []string) { orphans = append(orphans, name+":"+strings.Join(fields, ",")) }
	if err := v.Delete("Shop"); err != nil {
		t.Fatalf("the connection is deleted even if its item is not: %v", err)
	}
	if _, err := v.Get("Shop"); !errors.Is(err, ErrNotFound) {
		t.Fatal("still listed")
	}
	if len(orphans) != 1 || orphans[0] != "Shop:api_key" || len(mem.Keys()) != 1 {
		t.Errorf("the item left behind is reported: %v %v", orphans, mem.Keys())
	}
}

func rsaPEM(t testing.TB, bits int) string {
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

func TestLargeSecretsAreSplitAndJoined(t *testing.T) {
	v, mem := newTestVault(t)
	key := rsaPEM(t, 4096)
	unicode := strings.Repeat("žluťoučký kůň ", 400) // multi-byte runes across chunk edges
	c, err := v.Save(conn("RSA"), connectors.Values{"private_key": key, "note": unicode}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range mem.Keys() {
		v, _ := mem.Get(k)
		if len(v) > 2560 {
			t.Errorf("item %s is %d bytes, over the Windows limit", k, len(v))
		}
	}
	sec, err := v.Secrets(c)
	if err != nil || sec["private_key"] != key || sec["note"] != unicode {
		t.Fatalf("round trip failed: %v", err)
	}
}

func TestDamagedOrNewerFileIsNeverOverwritten(t *testing.T) {
	v, _ := newTestVault(t)
	for _, content := range []string{"{not json", `{"schema": 99, "connections": []}`, "null", "{}", `{"connections":null}`, `{"connections":[]}`, ""} {
		if err := os.WriteFile(v.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Save(conn("Shop"), nil, SaveOptions{}); err == nil {
			t.Fatalf("saving over %q should fail", content)
		}
		got, _ := os.ReadFile(v.Path())
		if string(got) != content {
			t.Fatalf("file was changed to %q", got)
		}
	}
}

func TestRecord(t *testing.T) {
	v, _ := newTestVault(t)
	_, _ = v.Save(conn("Shop"), nil, SaveOptions{})
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if err := v.Record("Shop", Verification{At: at, OK: false, Code: connectors.CodeAuthInvalid}); err != nil {
		t.Fatal(err)
	}
	c, _ := v.Get("Shop")
	if c.Last == nil || c.Last.Code != connectors.CodeAuthInvalid || !c.Last.At.Equal(at) {
		t.Fatalf("Last = %+v", c.Last)
	}
	if err := v.Record("Nope", Verification{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

// Readers never see a half-written file while another goroutine saves.
func TestWritesAreAtomic(t *testing.T) {
	v, _ := newTestVault(t)
	_, _ = v.Save(conn("Seed"), nil, SaveOptions{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			data, err := os.ReadFile(v.Path())
			if err != nil {
				bad = err
				return
			}
			var f file
			if err := json.Unmarshal(data, &f); err != nil || len(f.Connections) == 0 {
				bad = fmt.Errorf("reader saw a partial file (%d bytes): %v", len(data), err)
				return
			}
		}
	}()
	big := connectors.Values{"store_url": strings.Repeat("x", 4000)}
	for i := 0; i < 40; i++ {
		c := conn("C" + strconv.Itoa(i))
		c.Values = big.Clone()
		if _, err := v.Save(c, nil, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if bad != nil {
		t.Fatal(bad)
	}
	leftovers, _ := filepath.Glob(filepath.Join(v.Dir(), FileName+"?*"))
	for _, l := range leftovers {
		if !strings.HasSuffix(l, ".lock") {
			t.Errorf("temporary file left behind: %s", l)
		}
	}
}

// Two processes saving 50 connections each at once lose none.
func TestTwoProcessesSaveConcurrently(t *testing.T) {
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for p := 0; p < 2; p++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessSaves$")
		cmd.Env = append(os.Environ(), "STORELINK_VAULT_HELPER="+dir, "STORELINK_VAULT_PREFIX=p"+strconv.Itoa(p))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("helper process: %v", err)
		}
	}
	v, _ := Open(dir, NewMemorySecrets())
	list, err := v.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 100 {
		t.Fatalf("%d connections saved, want 100", len(list))
	}
}

func TestHelperProcessSaves(t *testing.T) {
	dir := os.Getenv("STORELINK_VAULT_HELPER")
	if dir == "" {
		t.Skip("run by TestTwoProcessesSaveConcurrently")
	}
	v, err := Open(dir, NewMemorySecrets())
	if err != nil {
		t.Fatal(err)
	}
	prefix := os.Getenv("STORELINK_VAULT_PREFIX")
	for i := 0; i < 50; i++ {
		if _, err := v.Save(conn(prefix+"-"+strconv.Itoa(i)), connectors.Values{"api_key": "secret-" + strconv.Itoa(i)}, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStateDir(t *testing.T) {
	s := StateDir{Dir: filepath.Join(t.TempDir(), "state")}
	if data, err := s.Load("upgates-failed-logins"); data != nil || err != nil {
		t.Fatalf("empty load = %q, %v", data, err)
	}
	if err := s.Store("upgates-failed-logins", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if data, _ := s.Load("upgates-failed-logins"); string(data) != `{"a":1}` {
		t.Fatalf("load = %q", data)
	}
	if err := s.Store("../escape", nil); err == nil {
		t.Fatal("a key with a path must be refused")
	}
}

func TestHomeHonoursTheEnvironment(t *testing.T) {
	home := filepath.Join(t.TempDir(), "sl-home") // absolute on every system, Windows too
	t.Setenv(HomeEnv, home)
	if h, _ := Home(); h != home {
		t.Fatalf("Home = %q", h)
	}
}
