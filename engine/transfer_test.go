package engine_test

// transfer_test.go: export and import between two homes, each a real vault
// over its own in-memory keychain, with every platform and an agent.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"

	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/connectors/magento2/magentotest"
	"storelink/connectors/prestashop/pstest"
	"storelink/connectors/upgates/upgatestest"
	"storelink/engine"
	"storelink/vault"
)

const passphrase = "correct horse battery staple"

// home is one computer: a Storelink home and its keychain.
type home struct {
	t       *testing.T
	dir     string
	store   *vault.Vault
	secrets *vault.MemorySecrets
	eng     *engine.Engine
}

func newHome(t *testing.T) *home {
	t.Helper()
	h := &home{t: t, dir: t.TempDir(), secrets: vault.NewMemorySecrets()}
	var err error
	if h.store, err = vault.Open(h.dir, h.secrets); err != nil {
		t.Fatal(err)
	}
	h.eng = engine.New(engine.Deps{Store: h.store, Registry: connectors.Default})
	t.Cleanup(func() { h.eng.Close() })
	return h
}

func (h *home) create(app string, values connectors.Values) {
	h.t.Helper()
	out, err := h.eng.Create(context.Background(), engine.Draft{App: app, Values: values}, engine.SaveOptions{NoVerify: true})
	if err != nil || !out.Saved {
		h.t.Fatalf("create %s: %v", values["name"], err)
	}
}

// snapshot is every file of the home and every keychain item.
func (h *home) snapshot() map[string]string {
	h.t.Helper()
	out := map[string]string{}
	_ = filepath.Walk(h.dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			data, _ := os.ReadFile(p)
			out["file "+p] = string(data)
		}
		return nil
	})
	for _, k := range h.secrets.Keys() {
		v, _ := h.secrets.Get(k)
		out["keychain "+k] = v
	}
	return out
}

func (h *home) unchangedSince(before map[string]string, what string) {
	h.t.Helper()
	if after := h.snapshot(); !maps.Equal(before, after) {
		h.t.Errorf("%s changed the home or the keychain:\nbefore %v\nafter  %v", what, slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
	}
}

// secretsOf is what the keychain holds for the saved connection or agent.
func (h *home) secretsOf(c vault.Connection) connectors.Values {
	h.t.Helper()
	s, err := h.store.Secrets(c)
	if err != nil {
		h.t.Fatalf("secrets of %s: %v", c.Name, err)
	}
	return s
}

func rsaPEM(t *testing.T) string {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func sshKeyPEM(t *testing.T) string {
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	b, err := ssh.MarshalPrivateKey(k, "")
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(b))
}

// fullHome has a connection of every platform (Magento in each way it signs
// in), an agent, an on-premise connection through it and a borrower.
func fullHome(t *testing.T, ps *pstest.Server) *home {
	h := newHome(t)
	u, _ := url.Parse(ps.URL)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": u.Host, "use_https": "false", "api_key": pstest.DefaultKey, "concurrency_level": "3"})
	h.create("prestashop", connectors.Values{"name": "Shop borrower", "store_url": u.Host, "use_https": "false", "api_key": pstest.DefaultKey, "borrow_concurrency_from": "Shop"})
	mg := "https://magento.example/rest"
	h.create("magento2", connectors.Values{"name": "Magento HMAC", "base_uri": mg, "auth_type": "oauth1", "signature_method": "HMAC-SHA256",
		"consumer_key": magentotest.DefaultConsumerKey, "consumer_secret": magentotest.DefaultConsumerSecret,
		"access_token": magentotest.DefaultAccessToken, "token_secret": magentotest.DefaultTokenSecret})
	h.create("magento2", connectors.Values{"name": "Magento RSA", "base_uri": mg, "auth_type": "oauth1", "signature_method": "RSA-SHA256",
		"consumer_key": magentotest.DefaultConsumerKey, "access_token": magentotest.DefaultAccessToken, "private_key": rsaPEM(t)})
	h.create("magento2", connectors.Values{"name": "Magento token", "base_uri": mg, "auth_type": "token", "access_token": magentotest.DefaultAccessToken})
	h.create("magento2", connectors.Values{"name": "Magento admin", "base_uri": mg, "auth_type": "admin", "username": "admin", "password": magentotest.DefaultAdminPassword})
	up := upgatestest.New(t, upgatestest.Options{})
	uv := up.Values()
	uv["name"] = "Upgates"
	h.create("upgates", uv)
	if out, err := h.eng.SaveAgent(context.Background(), engine.Draft{Values: connectors.Values{"name": "Office", "host": "ssh.office.example",
		"user": "storelink", "auth": "key", "private_key": sshKeyPEM(t), "passphrase": "key-passphrase-1",
		"host_key": "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"}},
		engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{NoVerify: true}}); err != nil || !out.Saved {
		t.Fatalf("agent: %v", err)
	}
	h.create("prestashop", connectors.Values{"name": "Behind the firewall", "mode": "on-premise", "agent": "Office",
		"store_url": "shop.lan", "api_key": "LANKEY0123456789ABCDEFGHIJKLMNOP"})
	return h
}

func (h *home) export(o engine.ExportOptions) string {
	h.t.Helper()
	path := filepath.Join(h.t.TempDir(), "storelink-export")
	o.WorkFactor = 10 // scrypt's default costs a second and 256 MiB per run
	if _, err := h.eng.ExportFile(path, o); err != nil {
		h.t.Fatalf("export: %v", err)
	}
	return path
}

func (h *home) importFile(path, pass string, on engine.Conflict) (engine.ImportReport, error) {
	im, err := h.eng.OpenImport(path, func() (string, error) { return pass, nil })
	if err != nil {
		return engine.ImportReport{}, err
	}
	return h.eng.Import(im, on)
}

func TestExportImportRoundTripWithSecrets(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	defer ps.Close()
	src := fullHome(t, ps)
	path := src.export(engine.ExportOptions{WithSecrets: true, Passphrase: passphrase})
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte(armor.Header)) {
		t.Fatalf("not an armored age file: %.60q", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v, want 0600", fi.Mode().Perm())
	}
	conns, _ := src.eng.List()
	agents, _ := src.eng.ListAgents()
	for _, c := range append(slices.Clone(conns), agents...) {
		for _, s := range src.secretsOf(c) {
			if bytes.Contains(data, []byte(s)) || bytes.Contains(data, []byte(strings.Split(s, "\n")[0])) {
				t.Errorf("a secret of %s is readable in the encrypted file", c.Name)
			}
		}
	}

	dst := newHome(t)
	rep, err := dst.importFile(path, passphrase, engine.ConflictRefuse)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if !rep.Encrypted || len(rep.Items) != len(conns)+len(agents) {
		t.Errorf("report: %+v", rep)
	}
	for _, want := range conns {
		got, err := dst.eng.Get(want.Name)
		if err != nil {
			t.Errorf("%s not imported: %v", want.Name, err)
			continue
		}
		if got.App != want.App || !maps.Equal(got.Values, want.Values) {
			t.Errorf("%s: got %s %v, want %s %v", want.Name, got.App, got.Values, want.App, want.Values)
		}
		if g, w := dst.secretsOf(got), src.secretsOf(want); !maps.Equal(g, w) || len(w) == 0 {
			t.Errorf("%s: secrets differ (%d restored of %d)", want.Name, len(g), len(w))
		}
		if got.Last == nil || !got.Last.Unverified || got.Last.Message != engine.ImportedReason {
			t.Errorf("%s: last verification %+v, want unverified %q", want.Name, got.Last, engine.ImportedReason)
		}
	}
	for _, want := range agents {
		got, err := dst.eng.GetAgent(want.Name)
		if err != nil || !maps.Equal(got.Values, want.Values) || !maps.Equal(dst.secretsOf(got), src.secretsOf(want)) {
			t.Errorf("agent %s: %v %v", want.Name, err, got.Values)
		}
	}
	// The restored key works: the imported connection passes against its store.
	if r := dst.eng.TestSaved(context.Background(), "Shop", engine.TestOptions{}); !r.Result.OK {
		t.Errorf("imported Shop does not pass: %s %s", r.Result.Code, r.Result.Message)
	}
}

func TestExportImportSettingsOnly(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	defer ps.Close()
	src := fullHome(t, ps)
	path := src.export(engine.ExportOptions{})
	data, _ := os.ReadFile(path)
	var doc struct {
		Format      int               `json:"format"`
		WithSecrets bool              `json:"with_secrets"`
		Connections []json.RawMessage `json:"connections"`
		Agents      []json.RawMessage `json:"agents"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Format != engine.TransferFormat || doc.WithSecrets || len(doc.Connections) != 8 || len(doc.Agents) != 1 {
		t.Fatalf("settings export: %v %+v", err, doc)
	}
	conns, _ := src.eng.List()
	agents, _ := src.eng.ListAgents()
	for _, c := range append(slices.Clone(conns), agents...) {
		for k, s := range src.secretsOf(c) {
			for _, line := range strings.Split(s, "\n") {
				if len(line) >= 8 && bytes.Contains(data, []byte(line)) {
					t.Errorf("%s's %s is in the settings export", c.Name, k)
				}
			}
		}
	}

	dst := newHome(t)
	if _, err := dst.importFile(path, "", engine.ConflictRefuse); err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, want := range conns {
		got, err := dst.eng.Get(want.Name)
		if err != nil || !maps.Equal(got.Values, want.Values) {
			t.Fatalf("%s: %v %v", want.Name, err, got.Values)
		}
		if len(got.SecretKeys) != 0 || got.Last == nil || !got.Last.Unverified || got.Last.Message != engine.ImportedWithoutSecretReason {
			t.Errorf("%s: %v %+v", want.Name, got.SecretKeys, got.Last)
		}
	}
	if len(dst.secrets.Keys()) != 0 {
		t.Errorf("a settings import wrote keychain items: %v", dst.secrets.Keys())
	}
	a, err := dst.eng.GetAgent("Office")
	if err != nil || a.Values["auth"] != "key" || a.Last.Message != engine.ImportedWithoutSecretReason {
		t.Errorf("agent: %v %v %+v", err, a.Values, a.Last)
	}
}

// Each refused file leaves the home and the keychain exactly as they were.
func TestImportRefusalsChangeNothing(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	defer ps.Close()
	src := fullHome(t, ps)
	good := src.export(engine.ExportOptions{WithSecrets: true, Passphrase: passphrase})
	data, _ := os.ReadFile(good)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lines := strings.Split(string(data), "\n")
	mid := len(lines) / 2
	flipped := slices.Clone(lines)
	c := []byte(flipped[mid])
	c[10] ^= 'A' ^ 'B' // one base64 letter of the payload
	if c[10] == flipped[mid][10] {
		c[10] = 'A'
	}
	flipped[mid] = string(c)
	newer := func() []byte {
		var out bytes.Buffer
		r, _ := age.NewScryptRecipient(passphrase)
		r.SetWorkFactor(10)
		a := armor.NewWriter(&out)
		w, _ := age.Encrypt(a, r)
		_, _ = w.Write([]byte(`{"format": 2, "connections": [{"name": "From the future", "values": {"whatever": {"new": true}}}]}`))
		_ = w.Close()
		_ = a.Close()
		return out.Bytes()
	}
	settings := src.export(engine.ExportOptions{})
	sdata, _ := os.ReadFile(settings)
	invalid := strings.Replace(string(sdata), `"concurrency_level": "3"`, `"concurrency_level": "99"`, 1)
	noAgent := strings.Replace(string(sdata), `"agent": "Office"`, `"agent": "Elsewhere"`, 1)
	cases := []struct {
		name, path, pass string
		want             error
		says             string
	}{
		{"wrong passphrase", good, "not the passphrase", engine.ErrWrongPassphrase, "the passphrase does not open this file"},
		{"no passphrase", good, "", engine.ErrNoPassphrase, "is encrypted"},
		{"damaged payload", write("flipped", []byte(strings.Join(flipped, "\n"))), passphrase, engine.ErrDamagedFile, "is damaged"},
		{"truncated", write("cut", data[:len(data)*2/3]), passphrase, engine.ErrDamagedFile, "is damaged"},
		{"newer format, encrypted", write("newer.age", newer()), passphrase, engine.ErrNewerFormat, "written by a newer Storelink (format 2); update Storelink"},
		{"newer format, settings", write("newer.json", []byte(`{"format": 7, "agents": "a list later"}`)), "", engine.ErrNewerFormat, "(format 7)"},
		{"damaged settings", write("bad.json", sdata[:len(sdata)/2]), "", engine.ErrDamagedFile, "is damaged"},
		{"not an export", write("other.json", []byte(`{"schema": 2, "connections": []}`)), "", engine.ErrNotExportFile, "not a Storelink export file"},
		{"not JSON at all", write("photo.jpg", []byte("\xff\xd8\xff\xe0 JFIF")), "", engine.ErrNotExportFile, "not a Storelink export file"},
		{"refused value", write("invalid.json", []byte(invalid)), "", nil, "Concurrency level: enter a number from 1 to 25"},
		{"unknown agent", write("noagent.json", []byte(noAgent)), "", nil, `no saved agent is called "Elsewhere"`},
	}
	dst := newHome(t)
	dst.create("prestashop", connectors.Values{"name": "Already here", "store_url": "127.0.0.1:9", "use_https": "false", "api_key": "HERE0123456789ABCDEFGHIJKLMNOPQR"})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dst.snapshot()
			_, err := dst.importFile(tc.path, tc.pass, engine.ConflictRefuse)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
			if strings.Contains(err.Error(), pstest.DefaultKey) {
				t.Errorf("the error quotes a secret: %v", err)
			}
			dst.unchangedSince(before, tc.name)
		})
	}
}

func TestImportConflicts(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	defer ps.Close()
	src := fullHome(t, ps)
	path := src.export(engine.ExportOptions{WithSecrets: true, Passphrase: passphrase})
	srcShop, _ := src.eng.Get("Shop")
	const localKey = "LOCAL0123456789ABCDEFGHIJKLMNOPQ"
	prepare := func(t *testing.T) *home {
		h := newHome(t)
		h.create("prestashop", connectors.Values{"name": "shop", "store_url": "127.0.0.1:9", "use_https": "false", "api_key": localKey})
		h.create("prestashop", connectors.Values{"name": "Mine", "store_url": "127.0.0.1:9", "use_https": "false", "api_key": localKey, "borrow_concurrency_from": "shop"})
		if _, err := h.eng.SaveAgent(context.Background(), engine.Draft{Values: connectors.Values{"name": "office", "host": "other.example", "user": "me", "auth": "ssh-agent"}},
			engine.AgentSaveOptions{SaveOptions: engine.SaveOptions{NoVerify: true}}); err != nil {
			t.Fatal(err)
		}
		return h
	}
	t.Run("refuse", func(t *testing.T) {
		h := prepare(t)
		before := h.snapshot()
		_, err := h.importFile(path, passphrase, engine.ConflictRefuse)
		var ce *engine.ConflictError
		if !errors.As(err, &ce) || !slices.Equal(ce.Connections, []string{"Shop"}) || !slices.Equal(ce.Agents, []string{"Office"}) {
			t.Fatalf("got %v", err)
		}
		if !strings.Contains(err.Error(), `connections "Shop" and agents "Office"`) {
			t.Errorf("message: %v", err)
		}
		h.unchangedSince(before, "a refused conflict")
	})
	t.Run("skip", func(t *testing.T) {
		h := prepare(t)
		rep, err := h.importFile(path, passphrase, engine.ConflictSkip)
		if err != nil {
			t.Fatal(err)
		}
		shop, _ := h.eng.Get("shop")
		if h.secretsOf(shop)["api_key"] != localKey || shop.Values["store_url"] != "127.0.0.1:9" {
			t.Errorf("skip changed the saved shop: %v", shop.Values)
		}
		office, _ := h.eng.GetAgent("office")
		if office.Values["host"] != "other.example" {
			t.Errorf("skip changed the saved agent: %v", office.Values)
		}
		if fw, err := h.eng.Get("Behind the firewall"); err != nil || fw.Values["agent"] != "office" { // the saved agent, as it is spelled here
			t.Errorf("the connection of a skipped agent: %v %v", err, fw.Values)
		}
		skipped := 0
		for _, it := range rep.Items {
			if it.Action == "skipped" {
				skipped++
			}
		}
		if conns, _ := h.eng.List(); len(conns) != 2+7 || skipped != 2 {
			t.Errorf("%d connections, %d skipped: %+v", len(conns), skipped, rep.Items)
		}
	})
	t.Run("rename", func(t *testing.T) {
		h := prepare(t)
		if _, err := h.importFile(path, passphrase, engine.ConflictRename); err != nil {
			t.Fatal(err)
		}
		shop, _ := h.eng.Get("shop")
		imported, err := h.eng.Get("Shop (imported)")
		if err != nil || h.secretsOf(shop)["api_key"] != localKey || h.secretsOf(imported)["api_key"] != pstest.DefaultKey {
			t.Fatalf("rename: %v", err)
		}
		if imported.Values["store_url"] != srcShop.Values["store_url"] {
			t.Errorf("renamed shop: %v", imported.Values)
		}
		// References inside the file follow the renames.
		if b, _ := h.eng.Get("Shop borrower"); b.Values["borrow_concurrency_from"] != "Shop (imported)" {
			t.Errorf("borrower points at %q", b.Values["borrow_concurrency_from"])
		}
		if fw, _ := h.eng.Get("Behind the firewall"); fw.Values["agent"] != "Office (imported)" {
			t.Errorf("on-premise connection points at %q", fw.Values["agent"])
		}
		if _, err := h.eng.GetAgent("Office (imported)"); err != nil {
			t.Error(err)
		}
	})
	t.Run("replace", func(t *testing.T) {
		h := prepare(t)
		old, _ := h.eng.Get("shop")
		if _, err := h.importFile(path, passphrase, engine.ConflictReplace); err != nil {
			t.Fatal(err)
		}
		shop, err := h.eng.Get("Shop")
		if err != nil || shop.ID != old.ID || h.secretsOf(shop)["api_key"] != pstest.DefaultKey || shop.Values["store_url"] != srcShop.Values["store_url"] {
			t.Fatalf("replace: %v %+v", err, shop)
		}
		if mine, _ := h.eng.Get("Mine"); mine.Values["borrow_concurrency_from"] != "Shop" {
			t.Errorf("the local borrower points at %q", mine.Values["borrow_concurrency_from"])
		}
		for _, k := range h.secrets.Keys() {
			if strings.HasPrefix(k, old.ID+"/1/") {
				t.Errorf("the replaced secret %s is still in the keychain", k)
			}
		}
		if office, _ := h.eng.GetAgent("Office"); office.Values["host"] != "ssh.office.example" {
			t.Errorf("agent not replaced: %v", office.Values)
		}
	})
	t.Run("replace across platforms is refused", func(t *testing.T) {
		h := newHome(t)
		h.create("magento2", connectors.Values{"name": "Shop", "base_uri": "https://m.example/rest", "auth_type": "token", "access_token": magentotest.DefaultAccessToken})
		before := h.snapshot()
		if _, err := h.importFile(path, passphrase, engine.ConflictReplace); err == nil || !strings.Contains(err.Error(), "cannot change its platform") {
			t.Fatalf("got %v", err)
		}
		h.unchangedSince(before, "a refused replace")
	})
}

// A keychain that fails half-way: the entries saved before are removed
// again and the error says so.
func TestImportKeychainFailureHalfWayIsUndone(t *testing.T) {
	ps := pstest.New(pstest.Options{})
	defer ps.Close()
	src := fullHome(t, ps)
	path := src.export(engine.ExportOptions{WithSecrets: true, Passphrase: passphrase})
	dst := newHome(t)
	dst.create("prestashop", connectors.Values{"name": "Already here", "store_url": "127.0.0.1:9", "use_https": "false", "api_key": "HERE0123456789ABCDEFGHIJKLMNOPQR"})
	keys := func() map[string]string {
		out := map[string]string{}
		for _, k := range dst.secrets.Keys() {
			out[k], _ = dst.secrets.Get(k)
		}
		return out
	}
	beforeKeys := keys()
	beforeList, _ := dst.eng.List()
	sets := 0
	dst.secrets.Fail = func(op, key string) error {
		if op == "set" && strings.HasSuffix(key, "/consumer_secret") {
			sets++
			return errors.New("the keyring went away")
		}
		return nil
	}
	_, err := dst.importFile(path, passphrase, engine.ConflictRefuse)
	var ie *engine.ImportError
	if !errors.As(err, &ie) || len(ie.Undone) < 2 || len(ie.Left) != 0 || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("got %v", err)
	}
	if sets != 1 {
		t.Errorf("%d failing sets", sets)
	}
	dst.secrets.Fail = nil
	if afterList, _ := dst.eng.List(); len(afterList) != len(beforeList) || afterList[0].ID != beforeList[0].ID {
		t.Errorf("connections after the undo: %+v", afterList)
	}
	if as, _ := dst.eng.ListAgents(); len(as) != 0 {
		t.Errorf("agents after the undo: %+v", as)
	}
	if !maps.Equal(keys(), beforeKeys) {
		t.Errorf("keychain after the undo: %v, before %v", slices.Sorted(maps.Keys(keys())), slices.Sorted(maps.Keys(beforeKeys)))
	}
}

func TestExportRefusesAnExistingFileAndAShortPassphrase(t *testing.T) {
	h := newHome(t)
	h.create("prestashop", connectors.Values{"name": "Shop", "store_url": "127.0.0.1:9", "use_https": "false", "api_key": pstest.DefaultKey})
	path := filepath.Join(t.TempDir(), "there")
	if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []engine.ExportOptions{{}, {WithSecrets: true, Passphrase: passphrase, WorkFactor: 10}} {
		if _, err := h.eng.ExportFile(path, o); !errors.Is(err, engine.ErrFileExists) || !strings.Contains(err.Error(), "already exists; nothing was exported") {
			t.Errorf("got %v", err)
		}
	}
	if data, _ := os.ReadFile(path); string(data) != "keep me" {
		t.Errorf("the existing file was overwritten: %q", data)
	}
	var ie *engine.InputError
	if _, err := h.eng.ExportFile(filepath.Join(t.TempDir(), "new"), engine.ExportOptions{WithSecrets: true, Passphrase: "short"}); !errors.As(err, &ie) {
		t.Errorf("a 5-character passphrase: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("leftovers beside the file: %v", entries)
	}
	if _, err := h.eng.ExportFile(path, engine.ExportOptions{Replace: true}); err != nil {
		t.Errorf("replace: %v", err)
	}
}
